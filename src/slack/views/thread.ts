import type { CheckResult } from '../../domain/check.ts';
import type { RunEvent } from '../../engine/run-events.ts';
import type { PhaseStep, RunNotice } from '../../outbox/run-notices.ts';
import { CHECK_MARK, codeBlock, escapeMrkdwn, outsideText, PHASE_MARK } from './format.ts';

type PhaseNotice = Extract<RunNotice, { kind: 'phase' }>;

/**
 * A phase's one reply, rewritten as it goes: its header, a line per check and flag change in
 * the order they happened, and its result once it ended. A failed or warning check says
 * expected / observed / next in a reply of its own; here it only points there.
 */
export function phaseText(phase: PhaseNotice): string {
  const mark = phase.result ? PHASE_MARK[phase.result] : ':arrow_forward:';
  const header =
    phase.stage === 'off'
      ? `${mark} *Turning the flag OFF again* — ${escapeMrkdwn(phase.title)}`
      : `${mark} *Phase ${phase.stage}* — ${escapeMrkdwn(phase.title)}`;
  const lines = [header, ...phase.steps.map(stepLine)];
  if (phase.result && phase.stage !== 'off')
    lines.push(`${PHASE_MARK[phase.result]} *Phase ${phase.stage}: ${phase.result.toUpperCase()}*`);
  return lines.join('\n');
}

function stepLine(step: PhaseStep): string {
  if (step.kind === 'flag') return `:triangular_flag_on_post: ${escapeMrkdwn(step.why)}`;
  const check = step.result;
  const head = `${CHECK_MARK[check.status]} \`${check.id}\` ${escapeMrkdwn(check.title)} — *${check.status}* (${check.ms} ms)`;
  if (check.status === 'fail' || check.status === 'warn') return `${head} — details below`;
  const first = outsideText((check.observed.split('\n')[0] ?? '').slice(0, 200));
  return first ? `${head} · ${first}` : head;
}

/** A thread reply of its own, for the events that have one. Never a code or a token. */
export function threadText(event: RunEvent): string | undefined {
  switch (event.kind) {
    case 'check_finished':
      return checkReply(event.result);
    case 'flag_changed':
      return `:triangular_flag_on_post: ${escapeMrkdwn(event.why)}`;
    case 'finished':
      return `*Verdict: ${event.report.verdict}* · Can be turned ON: ${event.report.canTurnOn ? 'YES' : 'NO'}${
        event.report.reason ? `\n${escapeMrkdwn(event.report.reason)}` : ''
      }`;
    case 'phase_started':
    case 'check_started':
    case 'phase_finished':
    case 'login_handed_off':
      return undefined;
  }
}

function checkReply(check: CheckResult): string {
  const lines = [
    `${CHECK_MARK[check.status]} \`${check.id}\` ${escapeMrkdwn(check.title)} — *${check.status}* (${check.ms} ms)`,
  ];
  lines.push(`*expected:* ${escapeMrkdwn(check.expected)}`, `*observed:*\n${codeBlock(check.observed)}`);
  if (check.hint) lines.push(`*next:* ${escapeMrkdwn(check.hint)}`);
  return lines.join('\n');
}
