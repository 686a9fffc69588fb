import type { CheckResult } from '../../domain/check.ts';
import type { RunEvent } from '../../runs/events.ts';
import { CHECK_MARK, codeBlock, escapeMrkdwn, PHASE_MARK } from './format.ts';

/** One thread reply per event: the audit trail a person reads later. Never a code or a token. */
export function threadText(event: RunEvent): string | undefined {
  switch (event.kind) {
    case 'phase_started':
      return event.phase === 'off'
        ? `:arrow_forward: *Turning the flag OFF again* — ${event.title}`
        : `:arrow_forward: *Phase ${event.phase}* — ${event.title}`;
    case 'check_started':
      return undefined;
    case 'check_finished':
      return checkReply(event.result);
    case 'phase_finished':
      return `${PHASE_MARK[event.result.status]} *Phase ${event.result.phase}: ${event.result.status.toUpperCase()}*`;
    case 'flag_changed':
      return `:triangular_flag_on_post: ${escapeMrkdwn(event.why)}`;
    case 'login_handed_off':
      return undefined;
    case 'finished':
      return `*Verdict: ${event.report.verdict}* · Can be turned ON: ${event.report.canTurnOn ? 'YES' : 'NO'}${
        event.report.reason ? `\n${escapeMrkdwn(event.report.reason)}` : ''
      }`;
  }
}

function checkReply(check: CheckResult): string {
  const lines = [
    `${CHECK_MARK[check.status]} \`${check.id}\` ${escapeMrkdwn(check.title)} — *${check.status}* (${check.ms} ms)`,
  ];
  if (check.status === 'pass' || check.status === 'skip') {
    lines.push(`> ${escapeMrkdwn(check.observed.split('\n')[0] ?? '').slice(0, 300)}`);
    return lines.join('\n');
  }
  lines.push(`*expected:* ${escapeMrkdwn(check.expected)}`, `*observed:*\n${codeBlock(check.observed)}`);
  if (check.hint) lines.push(`*next:* ${escapeMrkdwn(check.hint)}`);
  return lines.join('\n');
}
