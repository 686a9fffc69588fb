import type { Translate } from '../../i18n/index.ts';
import type { NoteTone, RunNotice } from '../../outbox/run-notices.ts';
import { noteWords } from './reason-words.ts';

/** The sign each tone of a thread note carries in Slack. */
const NOTE_ICONS: Record<NoteTone, string> = {
  stopped: ':no_entry:',
  warning: ':warning:',
  failed: ':x:',
  paused: ':pause_button:',
  resumed: ':repeat:',
  flag_off: ':arrow_down:',
  alarm: ':rotating_light:',
  identity: ':key:',
};

/** Commands named in a note (`/pc-verify off env`) read as code. */
const COMMAND = /\/pc-verify [a-z]+ [a-z][a-z0-9-]*/g;

/**
 * A lifecycle note (it has a tone) is plain words or coded messages; a command's note (none)
 * comes worded for Slack. Either way its coded messages become words in the deployment's language.
 */
export function noteText(
  t: Translate,
  text: string,
  tone: NoteTone | undefined,
  people: readonly string[] = [],
): string {
  const called = people.length > 0 ? `${people.map(mention).join(' ')} ` : '';
  if (!tone) return `${called}${noteWords(t, text)}`;
  const words = noteWords(t, text).replace(COMMAND, (command) => `\`${command}\``);
  return `${called}${NOTE_ICONS[tone]} ${words}`;
}

/** A user group (`S…`) is called as a group, a person by name. */
function mention(principal: string): string {
  return principal.startsWith('S') ? `<!subteam^${principal}>` : `<@${principal}>`;
}

export function flagUnverifiedText(t: Translate, env: string, people: readonly string[]): string {
  return `:rotating_light: ${t('thread.flagUnverified', { people: people.map(mention).join(' '), env })}`;
}

export function outageGoAheadText(t: Translate, by: string): string {
  return `:white_check_mark: ${t('thread.outageGoAhead', { who: `<@${by}>` })}`;
}

export function resumedText(t: Translate, notice: Extract<RunNotice, { kind: 'run_resumed' }>): string {
  const login = notice.newCodeTo ? t('thread.resumedNewCode', { who: `<@${notice.newCodeTo}>` }) : '';
  const next = notice.phase3Ended
    ? t('thread.resumedPhase3Ended', { result: notice.phase3Ended })
    : `${t('thread.resumedAgain', { phase: notice.phase })}${login}`;
  return `:repeat: ${t('thread.resumed', { next })}`;
}
