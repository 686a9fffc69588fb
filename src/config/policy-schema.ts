import safeRegex from 'safe-regex2';
import { z } from 'zod';

/**
 * A change ticket's pattern must be a regular expression JavaScript accepts, and one without
 * catastrophic backtracking: any requester's ticket is matched against it in the bot's event
 * loop, so `^(a+)+$` would let one slash command stall every Slack answer.
 */
const TicketPatternSchema = z
  .string()
  .refine((p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid regular expression (e.g. "^CHG[0-9]{7}$")')
  .refine(
    (p) => safeRegex(p),
    'may backtrack without end (a nested repetition such as (a+)+): write it without a repeated group, e.g. "^CHG[0-9]{7}$"',
  );

/**
 * A change ticket on each run (`/pc-verify <env> <ticket>`): `required` refuses a start without
 * one; `pattern` the form it must have; `url` links it, `{ticket}` replaced (URL-encoded).
 */
export const TicketSchema = z.strictObject({
  /** Default false: a ticket may be given, but need not be. */
  required: z.boolean().default(false),
  pattern: TicketPatternSchema.optional(),
  url: z
    .string()
    // No `|`, `<` or `>`: the URL is written inside Slack's `<url|text>` link.
    .regex(
      /^https:\/\/[^\s|<>]*\{ticket\}[^\s|<>]*$/,
      'must be an https:// URL with {ticket} in it (no spaces, |, < or >)',
    )
    .optional(),
});

/**
 * `policy.approvals` people, one from each of `policy.approvalGroups`: fewer approvals than
 * groups could never be met, and a group listed twice means nothing more.
 */
export function approvalsCoverGroups(
  policy: { readonly approvals: number; readonly approvalGroups: readonly string[] },
  ctx: z.RefinementCtx,
): void {
  if (new Set(policy.approvalGroups).size !== policy.approvalGroups.length)
    ctx.addIssue({
      code: 'custom',
      path: ['approvalGroups'],
      message: 'lists a user group twice; list each group once',
    });
  if (policy.approvals < policy.approvalGroups.length)
    ctx.addIssue({
      code: 'custom',
      path: ['approvals'],
      message: `is ${policy.approvals}, but approvalGroups lists ${policy.approvalGroups.length} groups and one approver from each is needed: set approvals to ${policy.approvalGroups.length} or more, or list fewer groups`,
    });
}
