import { coded, message } from '../i18n/index.ts';

/** `/pc-verify …` text, parsed strictly: anything unexpected is `invalid` and gets the help. */
export type SlashCommand =
  /** `/pc-verify <env> [ticket]`: the change ticket is checked against the environment's policy.ticket. */
  | { readonly kind: 'start'; readonly env: string; readonly ticket?: string }
  | { readonly kind: 'status'; readonly env?: string }
  | { readonly kind: 'history'; readonly env: string }
  | { readonly kind: 'cancel'; readonly env: string }
  | { readonly kind: 'off'; readonly env: string }
  | { readonly kind: 'plan'; readonly env: string }
  | { readonly kind: 'login'; readonly env: string }
  | { readonly kind: 'help' }
  /** `reason`: a coded message (src/i18n/coded.ts), worded by the help. */
  | { readonly kind: 'invalid'; readonly reason: string };

const NEEDS_ENV = ['history', 'cancel', 'off', 'plan', 'login'] as const;
type NeedsEnv = (typeof NEEDS_ENV)[number];

export function parseSlashCommand(text: string): SlashCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, second, ...rest] = words;
  if (first === undefined || first === 'help') return words.length <= 1 ? { kind: 'help' } : invalid(text);
  if (rest.length > 0) return invalid(text);
  if (first === 'status') return second === undefined ? { kind: 'status' } : { kind: 'status', env: second };
  if ((NEEDS_ENV as readonly string[]).includes(first)) {
    if (second === undefined)
      return { kind: 'invalid', reason: coded(message('commands.needsEnv', { command: first })) };
    return { kind: first as NeedsEnv, env: second };
  }
  if (first === 'start') return invalid(text);
  return second === undefined ? { kind: 'start', env: first } : { kind: 'start', env: first, ticket: second };
}

function invalid(text: string): SlashCommand {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return {
    kind: 'invalid',
    reason: coded(message('commands.notUnderstood', { text: shown.replaceAll('`', "'") })),
  };
}
