/** The check registry's words (src/phases/checks.ts): title, runbook step, what it expects, its hint. */
export const registry = {
  envVars: {
    title: 'Environment variables set',
    step: 'Phase 0, step 1: right environment? (`.env` has all four variables)',
    expected: '{{vars}} set and non-empty in the env file',
    hint: 'Set the missing HUNTER_PARTNER_CENTER_* variables in the env file first; do not go on until they are all there.',
  },
  dbMigrate: {
    title: 'Migration succeeded',
    step: 'Phase 0, step 2: run the DB migration',
    expected: '`alembic upgrade head` in the api service exits 0',
    hint: 'The migration failed: read the error above, fix it (database reachable? migration conflict?) before anything else.',
  },
  dbTable: {
    title: 'Table visible',
    step: 'Phase 0, step 3: check the table',
    expected:
      'table partner_center_referrals with referral_id varchar(255) not null, referral_type varchar(50), domain varchar(255)',
    hint: 'The table is missing or has the wrong shape: run the migration (`alembic upgrade head`) and check the migration script.',
  },
  flagOff: {
    title: 'Flag set OFF and applied',
    step: 'Phase 1, step 1: set the flag false in `.env`, restart api and worker',
    expected:
      'HUNTER_PARTNER_CENTER_ENABLED=false in the env file, api and worker restarted, /healthz answering',
    hint: 'Fix the OFF path first; do not think about turning the flag ON until every Phase 1 check passes.',
  },
  healthOff: {
    title: 'Health: false',
    step: 'Phase 1, step 2: health',
    expected: 'GET /healthz → partner_center_enabled: false',
    hint: 'The api still reports the flag ON after the restart. {{restartKeepsOldEnv}}',
  },
  apiOff: {
    title: 'API: 400 + proper error',
    step: 'Phase 1, step 3: API',
    expected:
      'POST /api/referrals/sync → HTTP 400 "Partner Center integration is disabled. Enable feature flag to use this endpoint."',
    hint: "API 200 → the API's feature flag check is broken (app/api/referrals.py).",
  },
  taskOff: {
    title: 'Task: status="skipped"',
    step: 'Phase 1, step 4: Celery task',
    expected: "celery task result {'status': 'skipped', 'reason': 'Feature flag disabled', counts 0}",
    hint: "The task does work while OFF → the Celery task's feature flag check is broken (app/core/tasks.py).",
  },
  logsOff: {
    title: 'Log: "skip/feature_flag_disabled" visible',
    step: 'Phase 1, step 5: logs',
    expected:
      'worker logs since this phase: partner_center_sync_skipped, reason feature_flag_disabled, feature_flag_state false; no "sync started"/"enabled"',
    hint: '"enabled" or "sync started" in the OFF logs → the logging (or the flag check) is wrong.',
  },
  deviceCode: {
    title: 'Device Code Flow succeeded',
    step: 'Phase 2, step 1: device-code login (the cache saved to `.token_cache`)',
    expected:
      'the requester signs in with the device code (MSAL PublicClientApplication, Hunter’s client and tenant)',
    hint:
      'Device flow errors → the Azure AD app registration or credentials are wrong: check the app registration and ' +
      'the Partner Center API permissions, then run the flow again. Never turn the flag ON before auth works.',
  },
  cacheInstalled: {
    title: 'Token cache created',
    step: 'Phase 2, step 3: `.token_cache` exists in the api container',
    expected: '.token_cache written in the api service (mode 0600) and read back unchanged',
    hint: "The token cache could not be written into the api service: check that {{execInApi}} works by hand and that the api's working directory is writable.",
  },
  silent: {
    title: 'Silent token acquisition works',
    step: 'Phase 2, step 2: silent acquisition',
    expected: 'acquireTokenSilent for the cached account returns an access token',
    hint: 'Silent acquisition fails → the cache was not created properly: run the device-code flow again.',
  },
  flagOn: {
    title: 'Flag set ON and applied',
    step: 'Phase 3, step 1: set the flag true in `.env`, restart api and worker',
    expected:
      'HUNTER_PARTNER_CENTER_ENABLED=true in the env file, api and worker restarted, /healthz answering',
    hint: 'The flag could not be turned ON: fix the restart problem above and run again.',
  },
  healthOn: {
    title: 'Health: true',
    step: 'Phase 3, step 2: health',
    expected: 'GET /healthz → partner_center_enabled: true',
    hint: 'The api still reports the flag OFF after the restart. {{restartKeepsOldEnv}}',
  },
  apiOn: {
    title: 'API: 200 + task enqueued',
    step: 'Phase 3, step 3: API',
    expected: 'POST /api/referrals/sync → HTTP 200 {"success": true, "enqueued": true, "task_id": "…"}',
    hint: 'API 500 → the token cache is missing or broken: go back to Phase 2.',
  },
  logsOn: {
    title: 'Worker log: task runs, no exception',
    step: 'Phase 3, step 4: worker logs',
    expected:
      'worker logs since this phase: partner_center_sync_task_started, partner_center_sync_started, ' +
      'partner_center_fetching_referrals; no exception, traceback or error line',
    hint:
      'Worker exception → the Partner Center API is unreachable or the credentials are wrong: check network ' +
      'connectivity from the worker and the Partner Center API credentials.',
  },
  taskOn: {
    title: 'Task ran successfully',
    step: 'Phase 3, step 5: task status',
    expected: 'the enqueued task finished without an exception',
    hint:
      'Worker exception → the Partner Center API is unreachable or the credentials are wrong: check network ' +
      'connectivity from the worker and the Partner Center API credentials.',
  },
  flagOffAgain: {
    title: 'Flag set OFF and applied',
    step: 'Decision matrix: the flag goes back OFF (Phase 1, step 1 again)',
    expected:
      'HUNTER_PARTNER_CENTER_ENABLED=false in the env file, api and worker restarted, /healthz answering',
    hint: 'The flag could NOT be turned OFF: it may still be ON. Turn it OFF by hand now: set it false in the env file, then {{restart}}.',
  },
  healthOffAgain: {
    title: 'Health: false',
    step: 'Decision matrix: the flag goes back OFF (Phase 1, step 2 again)',
    expected: 'GET /healthz → partner_center_enabled: false',
    hint: 'Hunter still reports the flag ON. Turn it OFF by hand now; if a restart does not re-read the env file, {{recreate}}.',
  },
} as const;
