import type { CheckResult } from '../../domain/check.ts';
import type { PhaseResult } from '../../domain/phase.ts';
import { PHASE_NUMBERS, type PhaseNumber } from '../../domain/phase.ts';
import { ACTIVE_STATES, type RunRecord, type RunState, TERMINAL_STATES } from '../../domain/run.ts';
import { type Translate, translator } from '../../i18n/index.ts';
import type { Block } from '../chat.ts';
import { checkLine, context, PHASE_MARK, section } from './format.ts';
import { reasonWords } from './reason-words.ts';
import { ticketLine } from './ticket.ts';

/** A run's state in a few words, in the deployment's language. */
export function stateWords(t: Translate, state: RunState): string {
  return t(`root.state.${state}`);
}

/** The English state words (tests and `status` lines that compare them). */
export const STATE_WORDS: Readonly<Record<RunState, string>> = Object.fromEntries(
  [...ACTIVE_STATES, ...TERMINAL_STATES].map((state) => [state, stateWords(translator('en'), state)]),
) as Record<RunState, string>;

/** The checks of the phase in progress, shown before the phase result exists. */
export interface LivePhase {
  readonly phase: PhaseNumber;
  readonly checks: readonly CheckResult[];
}

/** The root message: the runbook's results template as a checklist, updated in place. */
export function runMessage(
  t: Translate,
  run: RunRecord,
  live?: LivePhase,
): { text: string; blocks: Block[] } {
  const state = stateWords(t, run.state);
  const text = `pc-verify ${run.env}: ${state}`;
  const requester = run.requester.kind === 'slack' ? `<@${run.requester.userId}>` : run.requester.user;
  const login = run.purpose === 'login';
  const what = login ? t('root.loginWhat') : '';
  const blocks: Block[] = [
    section(`*pc-verify · ${run.env}*${what} — ${state}`),
    context(t('root.requestedBy', { who: requester, id: run.id })),
    ...(run.ticket ? [context(ticketLine(run.ticket, t))] : []),
  ];
  for (const n of login ? ([2] as const) : PHASE_NUMBERS) {
    const done = run.phases.find((p) => p.phase === n);
    const inProgress = live?.phase === n && !done ? live : undefined;
    blocks.push(section(phaseLines(t, n, done, inProgress, run.state === `phase${n}`)));
  }
  blocks.push(...endBlocks(t, run, login));
  const reason = run.report?.reason ?? run.reason;
  if (reason) blocks.push(context(reasonWords(t, reason)));
  return { text, blocks };
}

/** How the flag and the verdict ended, once the run has a report. */
function endBlocks(t: Translate, run: RunRecord, login: boolean): Block[] {
  const blocks: Block[] = [];
  const off = run.report?.switchOff;
  if (off) {
    const why = off.why === 'rollback' ? t('root.offWhyRollback') : t('root.offWhyAfterPass');
    const result = off.ok ? t('root.offVerified') : t('root.offNotConfirmed');
    blocks.push(
      section(`${off.ok ? PHASE_MARK.pass : PHASE_MARK.fail} ${t('root.flagOffAgain', { why, result })}`),
    );
  }
  if (run.report && login) {
    const result = run.report.verdict === 'PASS' ? t('root.signInRenewed') : t('root.signInNotRenewed');
    blocks.push(section(t('root.signIn', { result })));
  } else if (run.report) {
    const yes = run.report.canTurnOn ? t('root.yes') : t('root.no');
    blocks.push(section(t('root.overall', { verdict: run.report.verdict, yes })));
  }
  return blocks;
}

function phaseLines(
  t: Translate,
  n: PhaseNumber,
  done: PhaseResult | undefined,
  live: LivePhase | undefined,
  running: boolean,
): string {
  const mark = done ? PHASE_MARK[done.status] : running ? PHASE_MARK.running : PHASE_MARK.not_run;
  const result = done?.status === 'not_run' ? t('root.notRun') : done?.status.toUpperCase();
  const status = result ? ` — *${result}*` : '';
  const head = `${mark} ${t('root.phaseHead', { n, title: t(`root.phaseTitle.p${n}`) })}${status}`;
  const checks = done?.checks ?? live?.checks ?? [];
  return [head, ...checks.map((c) => `      ${checkLine(c)}`)].join('\n');
}
