import type { CheckResult } from '../../domain/check.ts';
import type { RunEvent } from '../../engine/run-events.ts';
import type { Translate } from '../../i18n/index.ts';
import type { PhaseStep, RunNotice } from '../../outbox/run-notices.ts';
import { CHECK_MARK, codeBlock, escapeMrkdwn, outsideText, PHASE_MARK } from './format.ts';
import { reasonWords } from './reason-words.ts';

type PhaseNotice = Extract<RunNotice, { kind: 'phase' }>;

/**
 * A phase's one reply, rewritten as it goes: its header, a line per check and flag change in
 * the order they happened, and its result once it ended. A failed or warning check says
 * expected / observed / next in a reply of its own; here it only points there.
 */
export function phaseText(t: Translate, phase: PhaseNotice): string {
  const mark = phase.result ? PHASE_MARK[phase.result] : ':arrow_forward:';
  const title = phase.stage === 'off' ? escapeMrkdwn(phase.title) : t(`root.phaseTitle.p${phase.stage}`);
  const header =
    phase.stage === 'off'
      ? `${mark} ${t('thread.offHeader', { title })}`
      : `${mark} ${t('thread.phaseHeader', { stage: phase.stage, title })}`;
  const lines = [header, ...phase.steps.map((step) => stepLine(t, step))];
  if (phase.result && phase.stage !== 'off')
    lines.push(
      `${PHASE_MARK[phase.result]} ${t('thread.phaseResult', { stage: phase.stage, result: phase.result.toUpperCase() })}`,
    );
  return lines.join('\n');
}

function stepLine(t: Translate, step: PhaseStep): string {
  if (step.kind === 'flag') return `:triangular_flag_on_post: ${reasonWords(t, step.why)}`;
  const check = step.result;
  const head = `${CHECK_MARK[check.status]} \`${check.id}\` ${escapeMrkdwn(check.title)} — *${check.status}* (${check.ms} ms)`;
  if (check.status === 'fail' || check.status === 'warn') return `${head} — ${t('thread.detailsBelow')}`;
  const first = outsideText((check.observed.split('\n')[0] ?? '').slice(0, 200));
  return first ? `${head} · ${first}` : head;
}

/** A thread reply of its own, for the events that have one. Never a code or a token. */
export function threadText(t: Translate, event: RunEvent): string | undefined {
  switch (event.kind) {
    case 'check_finished':
      return checkReply(t, event.result);
    case 'flag_changed':
      return `:triangular_flag_on_post: ${reasonWords(t, event.why)}`;
    case 'finished': {
      const yes = event.report.canTurnOn ? t('thread.yes') : t('thread.no');
      const reason = event.report.reason ? `\n${reasonWords(t, event.report.reason)}` : '';
      return `${t('thread.verdict', { verdict: event.report.verdict, yes })}${reason}`;
    }
    case 'phase_started':
    case 'check_started':
    case 'phase_finished':
    case 'login_handed_off':
      return undefined;
  }
}

function checkReply(t: Translate, check: CheckResult): string {
  const lines = [
    `${CHECK_MARK[check.status]} \`${check.id}\` ${escapeMrkdwn(check.title)} — *${check.status}* (${check.ms} ms)`,
  ];
  lines.push(
    t('thread.expected', { text: escapeMrkdwn(check.expected) }),
    `${t('thread.observed')}\n${codeBlock(check.observed)}`,
  );
  if (check.hint) lines.push(t('thread.next', { text: escapeMrkdwn(check.hint) }));
  return lines.join('\n');
}
