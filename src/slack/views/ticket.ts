import type { ChangeTicket } from '../../domain/run.ts';
import type { Translate } from '../../i18n/index.ts';
import { escapeMrkdwn } from './format.ts';

/** The run's change ticket as a link (`policy.ticket.url`, the ticket URL-encoded in it), or as text. */
export function ticketLine(ticket: ChangeTicket, t: Translate): string {
  const id = escapeMrkdwn(ticket.id);
  return `:ticket: ${t('ticket.label', { ticket: ticket.url ? `<${ticket.url}|${id}>` : `\`${id}\`` })}`;
}
