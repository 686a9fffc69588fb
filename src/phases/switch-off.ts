import type { CheckResult } from '../domain/check.ts';
import { type PhaseContext, startPhase } from './context.ts';
import type { CheckSpec } from './runner.ts';
import { setFlagAndApply } from './shared/flag.ts';
import { healthShowsFlag } from './shared/health.ts';

const FLAG_OFF_AGAIN: CheckSpec = {
  id: 'flag.off',
  title: 'Flag set OFF and applied',
  expected:
    'HUNTER_PARTNER_CENTER_ENABLED=false in the env file, api and worker restarted, /healthz answering',
  hint: 'The flag could NOT be turned OFF: it may still be ON. Turn it OFF by hand now (env file + restart api and worker).',
};
const HEALTH_OFF_AGAIN: CheckSpec = {
  id: 'health.off',
  title: 'Health: false',
  expected: 'GET /healthz → partner_center_enabled: false',
  hint:
    'Hunter still reports the flag ON. Turn it OFF by hand now; if the env file reaches the containers ' +
    'through `env_file:`, recreate them (`docker compose up -d --no-deps --force-recreate api worker`).',
};

/**
 * Flag OFF, applied and verified: the rollback after a failed Phase 3, `afterPass: turn-off`
 * and the kill switch are all this. Returns the two checks; both must pass for the flag to
 * be known OFF.
 */
export async function runSwitchOff(ctx: PhaseContext): Promise<readonly CheckResult[]> {
  const stage = startPhase(ctx, 'off');
  await stage.start();
  const flag = await stage.check(FLAG_OFF_AGAIN, () => setFlagAndApply(ctx, false));
  await stage.check(HEALTH_OFF_AGAIN, () => healthShowsFlag(ctx, false, HEALTH_OFF_AGAIN.hint), [flag]);
  return stage.results();
}

export function switchedOff(checks: readonly CheckResult[]): boolean {
  return checks.length === 2 && checks.every((c) => c.status === 'pass' || c.status === 'warn');
}
