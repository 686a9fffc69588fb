import { REQUIRED_ENV_VARS } from '../config/expect.ts';
import type { CheckId } from '../domain/check.ts';
import type { Stage } from '../domain/phase.ts';
import type { DriverPhrases } from '../hunter/phrases.ts';

/**
 * What a check is, before it runs: the runbook step it automates, what it expects and its
 * troubleshooting hint. The phases run these definitions, and `pc-verify checks` and
 * docs/checks.md are printed from them, so the documentation cannot drift from the code.
 */
export interface CheckDefinition {
  readonly id: CheckId;
  readonly stage: Stage;
  readonly title: string;
  /** Where the runbook (docs/activation-plan.md) asks for this, in its own numbering. */
  readonly runbookStep: string;
  readonly expected: string;
  /** The runbook's hint, used when the check fails without a more precise one; worded by the driver. */
  readonly hint: (say: DriverPhrases) => string;
}

const always = (text: string) => () => text;

export const ENV_VARS: CheckDefinition = {
  id: 'env.vars',
  stage: 0,
  title: 'Environment variables set',
  runbookStep: 'Phase 0, step 1: right environment? (`.env` has all four variables)',
  expected: `${REQUIRED_ENV_VARS.join(', ')} set and non-empty in the env file`,
  hint: always(
    'Set the missing HUNTER_PARTNER_CENTER_* variables in the env file first; do not go on until they are all there.',
  ),
};
export const DB_MIGRATE: CheckDefinition = {
  id: 'db.migrate',
  stage: 0,
  title: 'Migration succeeded',
  runbookStep: 'Phase 0, step 2: run the DB migration',
  expected: '`alembic upgrade head` in the api service exits 0',
  hint: always(
    'The migration failed: read the error above, fix it (database reachable? migration conflict?) before anything else.',
  ),
};
export const DB_TABLE: CheckDefinition = {
  id: 'db.table',
  stage: 0,
  title: 'Table visible',
  runbookStep: 'Phase 0, step 3: check the table',
  expected:
    'table partner_center_referrals with referral_id varchar(255) not null, referral_type varchar(50), domain varchar(255)',
  hint: always(
    'The table is missing or has the wrong shape: run the migration (`alembic upgrade head`) and check the migration script.',
  ),
};

const OFF_PATH_HINT =
  'Fix the OFF path first; do not think about turning the flag ON until every Phase 1 check passes.';
const FLAG_OFF_EXPECTED =
  'HUNTER_PARTNER_CENTER_ENABLED=false in the env file, api and worker restarted, /healthz answering';

/** Why /healthz can disagree with the env file right after a restart. */
export function restartHint(stillReports: 'ON' | 'OFF', say: DriverPhrases): string {
  return `The api still reports the flag ${stillReports} after the restart. ${say.restartKeepsOldEnv}`;
}

export const FLAG_OFF: CheckDefinition = {
  id: 'flag.off',
  stage: 1,
  title: 'Flag set OFF and applied',
  runbookStep: 'Phase 1, step 1: set the flag false in `.env`, restart api and worker',
  expected: FLAG_OFF_EXPECTED,
  hint: always(OFF_PATH_HINT),
};
export const HEALTH_OFF: CheckDefinition = {
  id: 'health.off',
  stage: 1,
  title: 'Health: false',
  runbookStep: 'Phase 1, step 2: health',
  expected: 'GET /healthz → partner_center_enabled: false',
  hint: (say) => restartHint('ON', say),
};
export const API_OFF: CheckDefinition = {
  id: 'api.off',
  stage: 1,
  title: 'API: 400 + proper error',
  runbookStep: 'Phase 1, step 3: API',
  expected:
    'POST /api/referrals/sync → HTTP 400 "Partner Center integration is disabled. Enable feature flag to use this endpoint."',
  hint: always("API 200 → the API's feature flag check is broken (app/api/referrals.py)."),
};
export const TASK_OFF: CheckDefinition = {
  id: 'task.off',
  stage: 1,
  title: 'Task: status="skipped"',
  runbookStep: 'Phase 1, step 4: Celery task',
  expected: "celery task result {'status': 'skipped', 'reason': 'Feature flag disabled', counts 0}",
  hint: always(
    "The task does work while OFF → the Celery task's feature flag check is broken (app/core/tasks.py).",
  ),
};
export const LOGS_OFF: CheckDefinition = {
  id: 'logs.off',
  stage: 1,
  title: 'Log: "skip/feature_flag_disabled" visible',
  runbookStep: 'Phase 1, step 5: logs',
  expected:
    'worker logs since this phase: partner_center_sync_skipped, reason feature_flag_disabled, feature_flag_state false; no "sync started"/"enabled"',
  hint: always('"enabled" or "sync started" in the OFF logs → the logging (or the flag check) is wrong.'),
};

const AUTH_HINT =
  'Device flow errors → the Azure AD app registration or credentials are wrong: check the app registration and ' +
  'the Partner Center API permissions, then run the flow again. Never turn the flag ON before auth works.';

export const DEVICE_CODE: CheckDefinition = {
  id: 'auth.device_code',
  stage: 2,
  title: 'Device Code Flow succeeded',
  runbookStep: 'Phase 2, step 1: device-code login (the cache saved to `.token_cache`)',
  expected:
    'the requester signs in with the device code (MSAL PublicClientApplication, Hunter’s client and tenant)',
  hint: always(AUTH_HINT),
};
export const CACHE_INSTALLED: CheckDefinition = {
  id: 'auth.cache_installed',
  stage: 2,
  title: 'Token cache created',
  runbookStep: 'Phase 2, step 3: `.token_cache` exists in the api container',
  expected: '.token_cache written in the api service (mode 0600) and read back unchanged',
  hint: (say) =>
    `The token cache could not be written into the api service: check that ${say.execInApi} works by hand and that the api's working directory is writable.`,
};
export const SILENT: CheckDefinition = {
  id: 'auth.silent',
  stage: 2,
  title: 'Silent token acquisition works',
  runbookStep: 'Phase 2, step 2: silent acquisition',
  expected: 'acquireTokenSilent for the cached account returns an access token',
  hint: always(
    'Silent acquisition fails → the cache was not created properly: run the device-code flow again.',
  ),
};

export const WORKER_HINT =
  'Worker exception → the Partner Center API is unreachable or the credentials are wrong: check network ' +
  'connectivity from the worker and the Partner Center API credentials.';

export const FLAG_ON: CheckDefinition = {
  id: 'flag.on',
  stage: 3,
  title: 'Flag set ON and applied',
  runbookStep: 'Phase 3, step 1: set the flag true in `.env`, restart api and worker',
  expected:
    'HUNTER_PARTNER_CENTER_ENABLED=true in the env file, api and worker restarted, /healthz answering',
  hint: always('The flag could not be turned ON: fix the restart problem above and run again.'),
};
export const HEALTH_ON: CheckDefinition = {
  id: 'health.on',
  stage: 3,
  title: 'Health: true',
  runbookStep: 'Phase 3, step 2: health',
  expected: 'GET /healthz → partner_center_enabled: true',
  hint: (say) => restartHint('OFF', say),
};
export const API_ON_HINT = 'API 500 → the token cache is missing or broken: go back to Phase 2.';
export const API_ON: CheckDefinition = {
  id: 'api.on',
  stage: 3,
  title: 'API: 200 + task enqueued',
  runbookStep: 'Phase 3, step 3: API',
  expected: 'POST /api/referrals/sync → HTTP 200 {"success": true, "enqueued": true, "task_id": "…"}',
  hint: always(API_ON_HINT),
};
export const LOGS_ON: CheckDefinition = {
  id: 'logs.on',
  stage: 3,
  title: 'Worker log: task runs, no exception',
  runbookStep: 'Phase 3, step 4: worker logs',
  expected:
    'worker logs since this phase: partner_center_sync_task_started, partner_center_sync_started, ' +
    'partner_center_fetching_referrals; no exception, traceback or error line',
  hint: always(WORKER_HINT),
};
export const TASK_ON: CheckDefinition = {
  id: 'task.on',
  stage: 3,
  title: 'Task ran successfully',
  runbookStep: 'Phase 3, step 5: task status',
  expected: 'the enqueued task finished without an exception',
  hint: always(WORKER_HINT),
};

/** The rollback, `afterPass: turn-off` and the kill switch: the flag OFF again, and verified. */
export const FLAG_OFF_AGAIN: CheckDefinition = {
  id: 'flag.off',
  stage: 'off',
  title: 'Flag set OFF and applied',
  runbookStep: 'Decision matrix: the flag goes back OFF (Phase 1, step 1 again)',
  expected: FLAG_OFF_EXPECTED,
  hint: (say) =>
    `The flag could NOT be turned OFF: it may still be ON. Turn it OFF by hand now: set it false in the env file, then ${say.restart}.`,
};
export const HEALTH_OFF_AGAIN: CheckDefinition = {
  id: 'health.off',
  stage: 'off',
  title: 'Health: false',
  runbookStep: 'Decision matrix: the flag goes back OFF (Phase 1, step 2 again)',
  expected: 'GET /healthz → partner_center_enabled: false',
  hint: (say) =>
    `Hunter still reports the flag ON. Turn it OFF by hand now; if a restart does not re-read the env file, ${say.recreate}.`,
};

/** Every check, in the order a run meets them; the last two only when the flag goes OFF again. */
export const CHECK_DEFINITIONS: readonly CheckDefinition[] = [
  ENV_VARS,
  DB_MIGRATE,
  DB_TABLE,
  FLAG_OFF,
  HEALTH_OFF,
  API_OFF,
  TASK_OFF,
  LOGS_OFF,
  DEVICE_CODE,
  CACHE_INSTALLED,
  SILENT,
  FLAG_ON,
  HEALTH_ON,
  API_ON,
  LOGS_ON,
  TASK_ON,
  FLAG_OFF_AGAIN,
  HEALTH_OFF_AGAIN,
];
