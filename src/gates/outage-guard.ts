import { z } from 'zod';
import type { PhaseNumber } from '../domain/phase.ts';
import type { PhaseContext } from '../phases/context.ts';

const Healthz = z.object({ partner_center_enabled: z.boolean() });

/**
 * Phase 1 turns the flag OFF. In prod, while the flag is ON, that is an outage of a live
 * feature: the requester must confirm it first. Unknown (Hunter not answering) is not ON —
 * Phase 0/1 will report why Hunter does not answer.
 */
export async function needsOutageConfirmation(
  ctx: PhaseContext,
  phases: readonly PhaseNumber[],
): Promise<boolean> {
  if (ctx.env.tier !== 'prod' || !phases.includes(1)) return false;
  const res = await ctx.target.http.request({ method: 'GET', path: '/healthz', signal: ctx.signal });
  if (!res.ok || res.status !== 200) return false;
  try {
    const health = Healthz.safeParse(JSON.parse(res.body));
    return health.success && health.data.partner_center_enabled;
  } catch {
    return false;
  }
}

export const OUTAGE_NOT_CONFIRMED =
  'The flag is ON in prod and Phase 1 would turn it OFF (an outage of a live feature); that was not confirmed, so nothing was changed.';
