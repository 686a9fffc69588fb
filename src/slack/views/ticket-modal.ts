import { z } from 'zod';
import type { Translate } from '../../i18n/index.ts';
import { escapeMrkdwn, section } from './format.ts';

export const TICKET_VIEW = 'change_ticket';
export const TICKET_BLOCK = 'ticket';
export const TICKET_INPUT = 'ticket_input';

/** What the modal carries from the slash command to its submission. */
export const TicketContext = z.object({
  env: z.string().max(100),
  channel: z.string().regex(/^[CGD][A-Z0-9]{2,}$/),
});
export type TicketContext = z.infer<typeof TicketContext>;

/** The modal a start without its required change ticket opens: one box, the pattern as its hint. */
export function ticketModal(
  at: TicketContext,
  pattern: string | undefined,
  t: Translate,
): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: TICKET_VIEW,
    title: { type: 'plain_text', text: t('ticket.modalTitle') },
    submit: { type: 'plain_text', text: t('ticket.modalSubmit') },
    close: { type: 'plain_text', text: t('ticket.modalCancel') },
    private_metadata: JSON.stringify(at),
    blocks: [
      section(t('ticket.modalIntro', { env: escapeMrkdwn(at.env) })),
      {
        type: 'input',
        block_id: TICKET_BLOCK,
        label: { type: 'plain_text', text: t('ticket.modalLabel') },
        ...(pattern ? { hint: { type: 'plain_text', text: t('ticket.modalHint', { pattern }) } } : {}),
        element: { type: 'plain_text_input', action_id: TICKET_INPUT, max_length: 64 },
      },
    ],
  };
}
