import { type CheckOutcome, fail } from '../../domain/check.ts';
import type { HttpResult } from '../../hunter/port.ts';
import { type PhaseContext, say, words } from '../context.ts';
import { describeResponse } from './http-json.ts';

export type SyncAnswer =
  | { readonly answered: true; readonly res: Extract<HttpResult, { ok: true }>; readonly observed: string }
  | { readonly answered: false; readonly outcome: CheckOutcome };

/**
 * The runbook's `curl -X POST …/api/referrals/sync -H "Content-Type: application/json"`, shared
 * by Phase 1 (expects the refusal) and Phase 3 (expects the task enqueued): the api's answer in
 * words, or the failing outcome when it did not answer at all.
 */
export async function postSync(ctx: PhaseContext): Promise<SyncAnswer> {
  const res = await ctx.target.http.request({
    method: 'POST',
    path: '/api/referrals/sync',
    headers: { 'content-type': 'application/json' },
    signal: ctx.signal,
  });
  const t = words(ctx);
  const observed = describeResponse(res, t);
  if (!res.ok) return { answered: false, outcome: fail(observed, t('checks.api.noAnswer', { ...say(ctx) })) };
  return { answered: true, res, observed };
}
