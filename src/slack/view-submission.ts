import { z } from 'zod';
import { type SlackUserId, SlackUserIdSchema } from '../domain/ids.ts';
import type { BotIdentity } from './buttons.ts';

const Submission = z.object({
  user: z.object({ id: SlackUserIdSchema }),
  team: z.object({ id: z.string() }).nullable().optional(),
  api_app_id: z.string().optional(),
  view: z.object({
    private_metadata: z.string().max(3_000),
    state: z.object({
      values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullish() }))),
    }),
  }),
});

export interface ReadSubmission<T> {
  readonly user: SlackUserId;
  /** What the modal carried from the click that opened it. */
  readonly at: T;
  /** block_id → action_id → typed text. */
  readonly values: Readonly<Record<string, Readonly<Record<string, string | undefined>>>>;
}

/**
 * A modal's submission, read and checked: from this workspace and app, carrying the context
 * its click gave it. Undefined for anything else.
 */
export function readSubmission<T>(
  body: unknown,
  context: z.ZodType<T>,
  me: BotIdentity | undefined,
): ReadSubmission<T> | undefined {
  const parsed = Submission.safeParse(body);
  if (!parsed.success) return undefined;
  if (me?.teamId && parsed.data.team?.id !== me.teamId) return undefined;
  if (me?.appId && parsed.data.api_app_id !== me.appId) return undefined;
  const at = parseJson(parsed.data.view.private_metadata, context);
  if (at === undefined) return undefined;
  const values: Record<string, Record<string, string | undefined>> = {};
  for (const [block, actions] of Object.entries(parsed.data.view.state.values)) {
    values[block] = Object.fromEntries(Object.entries(actions).map(([id, a]) => [id, a.value ?? undefined]));
  }
  return { user: parsed.data.user.id, at, values };
}

function parseJson<T>(text: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
