import { z } from 'zod';
import { type CheckOutcome, fail, pass } from '../../domain/check.ts';
import { type PhaseContext, say } from '../context.ts';
import { describeResponse, parseJson } from './http-json.ts';

const Healthz = z.object({ partner_center_enabled: z.boolean() });

/** `health.off` / `health.on`: GET /healthz → `partner_center_enabled` as expected. */
export async function healthShowsFlag(
  ctx: PhaseContext,
  expected: boolean,
  hint: string,
): Promise<CheckOutcome> {
  const res = await ctx.target.http.request({ method: 'GET', path: '/healthz', signal: ctx.signal });
  if (!res.ok || res.status !== 200) {
    return fail(describeResponse(res), `The api is not healthy: look at ${say(ctx).apiLogs}.`);
  }
  const json = parseJson(res.body);
  const health = json.ok ? Healthz.safeParse(json.value) : undefined;
  if (!health?.success) {
    return fail(
      `${describeResponse(res)} (no boolean partner_center_enabled)`,
      'This Hunter build does not report the flag in /healthz: deploy a version with the Partner Center integration.',
    );
  }
  const seen = health.data.partner_center_enabled;
  await ctx.flag.observed(seen);
  return seen === expected
    ? pass(`partner_center_enabled: ${seen}`)
    : fail(`partner_center_enabled: ${seen}`, hint);
}
