import { REQUIRED_ENV_VARS } from '../config/expect.ts';
import type { CheckId } from '../domain/check.ts';
import type { Stage } from '../domain/phase.ts';
import type { DriverPhrases } from '../hunter/phrases.ts';
import type { Catalogue } from '../i18n/catalogue/shape.ts';
import { type Translate, translator } from '../i18n/translate.ts';

/** A check's words in the catalogue: `checks.registry.<key>`. */
export type CheckKey = keyof Catalogue['checks']['registry'];

/**
 * What a check is, before it runs: the runbook step it automates, what it expects and its
 * troubleshooting hint. The phases run these definitions, and `pc-verify checks` and
 * docs/checks.md are printed from them (in English), so the documentation cannot drift from the
 * code. The words live in the catalogue (`checks.registry`); a run shows them in the
 * deployment's language (`titleOf`, `expectedOf`, `hint(say, t)`).
 */
export interface CheckDefinition {
  readonly id: CheckId;
  readonly stage: Stage;
  readonly key: CheckKey;
  readonly title: string;
  /** Where the runbook (docs/activation-plan.md) asks for this, in its own numbering. */
  readonly runbookStep: string;
  readonly expected: string;
  /** The runbook's hint, used when the check fails without a more precise one; worded by the driver. */
  readonly hint: (say: DriverPhrases, t?: Translate) => string;
}

const EN = translator('en');
const VARS = { vars: REQUIRED_ENV_VARS.join(', ') };

function define(id: CheckId, stage: Stage, key: CheckKey): CheckDefinition {
  return {
    id,
    stage,
    key,
    title: titleOf({ key }, EN),
    runbookStep: EN(`checks.registry.${key}.step`),
    expected: expectedOf({ key }, EN),
    hint: (say, t = EN) => t(`checks.registry.${key}.hint`, { ...say }),
  };
}

/** A stage's title in the deployment's words: the runbook's phase names, or the flag going OFF again. */
export function stageTitle(t: Translate, stage: Stage): string {
  return t(stage === 'off' ? 'report.stage.off' : `report.stage.p${stage}`);
}

export function titleOf(check: Pick<CheckDefinition, 'key'>, t: Translate): string {
  return t(`checks.registry.${check.key}.title`);
}

export function expectedOf(check: Pick<CheckDefinition, 'key'>, t: Translate): string {
  return t(`checks.registry.${check.key}.expected`, VARS);
}

export const ENV_VARS = define('env.vars', 0, 'envVars');
export const DB_MIGRATE = define('db.migrate', 0, 'dbMigrate');
export const DB_TABLE = define('db.table', 0, 'dbTable');
export const FLAG_OFF = define('flag.off', 1, 'flagOff');
export const HEALTH_OFF = define('health.off', 1, 'healthOff');
export const API_OFF = define('api.off', 1, 'apiOff');
export const TASK_OFF = define('task.off', 1, 'taskOff');
export const LOGS_OFF = define('logs.off', 1, 'logsOff');
export const DEVICE_CODE = define('auth.device_code', 2, 'deviceCode');
export const CACHE_INSTALLED = define('auth.cache_installed', 2, 'cacheInstalled');
export const SILENT = define('auth.silent', 2, 'silent');
export const FLAG_ON = define('flag.on', 3, 'flagOn');
export const HEALTH_ON = define('health.on', 3, 'healthOn');
export const API_ON = define('api.on', 3, 'apiOn');
export const LOGS_ON = define('logs.on', 3, 'logsOn');
export const TASK_ON = define('task.on', 3, 'taskOn');
/** The rollback, `afterPass: turn-off` and the kill switch: the flag OFF again, and verified. */
export const FLAG_OFF_AGAIN = define('flag.off', 'off', 'flagOffAgain');
export const HEALTH_OFF_AGAIN = define('health.off', 'off', 'healthOffAgain');

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
