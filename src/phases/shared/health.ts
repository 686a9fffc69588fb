import { z } from 'zod';
import { type CheckOutcome, fail, pass } from '../../domain/check.ts';
import { type PhaseContext, say, words } from '../context.ts';
import { describeResponse, parseJson } from './http-json.ts';

const Healthz = z.object({ partner_center_enabled: z.boolean() });

/** `health.off` / `health.on`: GET /healthz → `partner_center_enabled` as expected. */
export async function healthShowsFlag(
  ctx: PhaseContext,
  expected: boolean,
  hint: string,
): Promise<CheckOutcome> {
  const res = await ctx.target.http.request({ method: 'GET', path: '/healthz', signal: ctx.signal });
  const t = words(ctx);
  const response = describeResponse(res, t);
  if (!res.ok || res.status !== 200) return fail(response, t('checks.health.unhealthy', { ...say(ctx) }));
  const json = parseJson(res.body);
  const health = json.ok ? Healthz.safeParse(json.value) : undefined;
  if (!health?.success) return fail(t('checks.health.noFlag', { response }), t('checks.health.noFlagHint'));
  const seen = health.data.partner_center_enabled;
  await ctx.flag.observed(seen);
  const observed = t('checks.health.seen', { seen: String(seen) });
  return seen === expected ? pass(observed) : fail(observed, hint);
}
