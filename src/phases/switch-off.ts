import type { CheckResult } from '../domain/check.ts';
import { FLAG_OFF_AGAIN, HEALTH_OFF_AGAIN } from './checks.ts';
import { hintOf, type PhaseContext, startPhase } from './context.ts';
import { setFlagAndApply } from './shared/flag.ts';
import { healthShowsFlag } from './shared/health.ts';

/**
 * Flag OFF, applied and verified: the rollback after a failed Phase 3, `afterPass: turn-off`
 * and the kill switch are all this. Returns the two checks; both must pass for the flag to
 * be known OFF.
 */
export async function runSwitchOff(ctx: PhaseContext): Promise<readonly CheckResult[]> {
  const stage = startPhase(ctx, 'off');
  await stage.start();
  const flag = await stage.check(FLAG_OFF_AGAIN, () => setFlagAndApply(ctx, false));
  await stage.check(HEALTH_OFF_AGAIN, () => healthShowsFlag(ctx, false, hintOf(ctx, HEALTH_OFF_AGAIN)), [
    flag,
  ]);
  return stage.results();
}

export function switchedOff(checks: readonly CheckResult[]): boolean {
  return checks.length === 2 && checks.every((c) => c.status === 'pass' || c.status === 'warn');
}
