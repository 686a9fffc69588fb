import type { NoteTone, RunNotice } from '../../outbox/run-notices.ts';

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

/** A lifecycle note (it has a tone) is plain words; a command's note (none) comes worded for Slack. */
export function noteText(text: string, tone: NoteTone | undefined, people: readonly string[] = []): string {
  const called = people.length > 0 ? `${people.map(mention).join(' ')} ` : '';
  if (!tone) return `${called}${text}`;
  return `${called}${NOTE_ICONS[tone]} ${text.replace(COMMAND, (command) => `\`${command}\``)}`;
}

/** A user group (`S…`) is called as a group, a person by name. */
function mention(principal: string): string {
  return principal.startsWith('S') ? `<!subteam^${principal}>` : `<@${principal}>`;
}

export function flagUnverifiedText(env: string, people: readonly string[]): string {
  return `:rotating_light: ${people.map(mention).join(' ')} the flag of *${env}* is UNVERIFIED: it may still be ON. Turn it OFF and verify it with \`/pc-verify off ${env}\`; no run can start until then.`;
}

export function outageGoAheadText(by: string): string {
  return `:white_check_mark: <@${by}> confirmed: Phase 1 may turn the live flag OFF. Starting.`;
}

export function resumedText(notice: Extract<RunNotice, { kind: 'run_resumed' }>): string {
  const login = notice.newCodeTo
    ? ` The earlier sign-in code is void; a new one goes to <@${notice.newCodeTo}> in DM.`
    : '';
  const next = notice.phase3Ended
    ? `Phase 3 had ended (${notice.phase3Ended}); the flag is settled from that result, Phase 3 does not run again.`
    : `Phase ${notice.phase} starts again from its beginning.${login}`;
  return `:repeat: Picked up again (the worker running it stopped, or lost its hold during a Redis outage): ${next}`;
}
