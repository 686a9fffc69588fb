import { z } from 'zod';
import { readJsonOrNone } from '../store/codec.ts';
import type { OutboxNotice, RunNotice } from './run-notices.ts';

/** Every kind of notice the delivery knows; an entry of another kind is unreadable here. */
const NOTICE_KINDS = {
  root: true,
  event: true,
  note: true,
  approval_requested: true,
  approval_given: true,
  approval_decided: true,
  outage_confirmation: true,
  outage_confirmed: true,
  run_closed: true,
  login_handed_off: true,
  login_ended: true,
  login_void: true,
  kill_switch: true,
  phase: true,
  flag_unverified: true,
  outage_go_ahead: true,
  run_resumed: true,
  break_glass: true,
  requester_dm: true,
  change_window: true,
} as const satisfies Record<RunNotice['kind'], true>;

/** What the loop relies on before it hands an entry to the delivery: where it goes and what it is. */
const OutboxEntrySchema = z.looseObject({
  thread: z.looseObject({
    key: z.string().min(1),
    channel: z.string().min(1),
    runId: z.string().min(1).optional(),
  }),
  notice: z.looseObject({ kind: z.enum(Object.keys(NOTICE_KINDS) as [RunNotice['kind']]) }),
});

/** An outbox entry read back, or undefined when it is damaged or of a kind this version does not know. */
export function parseEntry(body: string): OutboxNotice | undefined {
  // The rest of each notice is this program's own JSON, written by encodeOutboxNotice.
  return readJsonOrNone(OutboxEntrySchema, body) as OutboxNotice | undefined;
}
