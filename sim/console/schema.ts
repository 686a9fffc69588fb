import { z } from 'zod';

/** What the page may send the console server; anything else is refused with 400. */
const UserId = z.string().regex(/^U[A-Z0-9]{2,20}$/);
const Ts = z.string().regex(/^\d{1,12}\.\d{1,8}$/);

export const ViewQuery = z.object({
  user: UserId,
  pane: z.enum(['channel', 'dm', 'home']),
  thread: z.union([Ts, z.literal('')]).default(''),
});

export const CommandBody = z.object({ user: UserId, text: z.string().min(1).max(4_000) });

export const ActionBody = z.object({
  user: UserId,
  channel: z.string().regex(/^[CDG][A-Z0-9]{2,20}$/),
  ts: Ts,
  actionId: z.string().min(1).max(255),
  value: z.string().max(2_000).default(''),
  blockId: z.string().max(255).default(''),
  label: z.string().max(200).default(''),
});

export const HomeOpenedBody = z.object({ user: UserId });

/** A modal submitted: block_id → action_id → what was typed. */
export const ViewSubmitBody = z.object({
  user: UserId,
  viewId: z.string().regex(/^V[A-Z0-9]{2,20}$/),
  values: z.record(z.string().max(255), z.record(z.string().max(255), z.string().max(3_000))),
});

export const SigninForm = z.object({
  code: z.string().trim().min(1).max(64),
  decision: z.enum(['approve', 'decline']),
});
