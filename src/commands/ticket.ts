import type { EnvironmentConfig } from '../config/config.ts';
import type { ChangeTicket } from '../domain/run.ts';
import type { Translate } from '../i18n/index.ts';

/** What any ticket must look like, whatever the configured pattern: it reaches messages and a URL. */
const TICKET_CHARS = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export type TicketCheck =
  | { ok: true; ticket?: ChangeTicket }
  /** `missing`: a required ticket was not given (the chat may ask for it in a dialog). */
  | { ok: false; why: string; missing?: true };

/**
 * The change ticket of `/pc-verify <env> <ticket>` against `policy.ticket`: required, of the
 * configured pattern (and of safe characters always), linked through `url` with the ticket
 * URL-encoded. An environment without `policy.ticket` takes none.
 */
export function checkTicket(
  env: EnvironmentConfig,
  given: string | undefined,
  t: Translate,
  escapeText: (text: string) => string,
): TicketCheck {
  const policy = env.policy.ticket;
  const shown = given === undefined ? '' : escapeText(given.slice(0, 64)).replaceAll('`', "'");
  if (!policy)
    return given === undefined
      ? { ok: true }
      : { ok: false, why: t('ticket.notTaken', { env: env.name, given: shown }) };
  if (given === undefined) {
    if (!policy.required) return { ok: true };
    return {
      ok: false,
      missing: true,
      why: policy.pattern
        ? t('ticket.missing', { env: env.name, pattern: policy.pattern })
        : t('ticket.missingAny', { env: env.name }),
    };
  }
  const pattern = policy.pattern ?? TICKET_CHARS.source;
  if (!TICKET_CHARS.test(given) || !new RegExp(pattern).test(given))
    return { ok: false, why: t('ticket.malformed', { env: env.name, given: shown, pattern }) };
  return {
    ok: true,
    ticket: {
      id: given,
      ...(policy.url ? { url: policy.url.replaceAll('{ticket}', encodeURIComponent(given)) } : {}),
    },
  };
}
