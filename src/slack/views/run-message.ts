import type { CheckResult } from '../../domain/check.ts';
import type { PhaseResult } from '../../domain/phase.ts';
import { PHASE_NUMBERS, PHASE_TITLES, type PhaseNumber } from '../../domain/phase.ts';
import type { RunRecord, RunState } from '../../domain/run.ts';
import { type Translate, translator } from '../../i18n/index.ts';
import type { Block } from '../chat.ts';
import { checkLine, context, escapeMrkdwn, PHASE_MARK, section } from './format.ts';
import { ticketLine } from './ticket.ts';

export const STATE_WORDS: Readonly<Record<RunState, string>> = {
  queued: 'queued',
  awaiting_confirmation: 'waiting for the requester to confirm',
  phase0: 'running Phase 0',
  phase1: 'running Phase 1',
  phase2: 'running Phase 2',
  awaiting_login: 'waiting for the device-code login',
  awaiting_approval: 'waiting for a second person to approve',
  awaiting_window: translator('en')('window.state'),
  phase3: 'running Phase 3',
  cancelling: 'cancelled — switching the flag OFF again and verifying it',
  passed: 'PASS',
  failed: 'FAIL',
  cancelled: 'cancelled',
  expired: 'expired',
  rolled_back: 'FAIL — rolled back',
};

/** The checks of the phase in progress, shown before the phase result exists. */
export interface LivePhase {
  readonly phase: PhaseNumber;
  readonly checks: readonly CheckResult[];
}

/** The root message: the runbook's results template as a checklist, updated in place. */
export function runMessage(
  run: RunRecord,
  live?: LivePhase,
  t: Translate = translator('en'),
): { text: string; blocks: Block[] } {
  const text = `pc-verify ${run.env}: ${STATE_WORDS[run.state]}`;
  const requester = run.requester.kind === 'slack' ? `<@${run.requester.userId}>` : run.requester.user;
  const login = run.purpose === 'login';
  const what = login ? ' — sign-in renewal (Phase 2 alone; the flag is not touched)' : '';
  const blocks: Block[] = [
    section(`*pc-verify · ${run.env}*${what} — ${STATE_WORDS[run.state]}`),
    context(`Requested by ${requester} · run \`${run.id}\` · every step in the thread`),
    ...(run.ticket ? [context(ticketLine(run.ticket, t))] : []),
  ];
  for (const n of login ? ([2] as const) : PHASE_NUMBERS) {
    const done = run.phases.find((p) => p.phase === n);
    const inProgress = live?.phase === n && !done ? live : undefined;
    blocks.push(section(phaseLines(n, done, inProgress, run.state === `phase${n}`)));
  }
  const off = run.report?.switchOff;
  if (off) {
    const why = off.why === 'rollback' ? 'rollback after Phase 3 failed' : 'afterPass: turn-off';
    blocks.push(
      section(
        `${off.ok ? PHASE_MARK.pass : PHASE_MARK.fail} *FLAG OFF AGAIN* (${why}): ${off.ok ? 'OFF, verified' : 'NOT CONFIRMED'}`,
      ),
    );
  }
  if (run.report && login) {
    blocks.push(
      section(
        `*Sign-in:* ${run.report.verdict === 'PASS' ? 'renewed' : 'NOT renewed'} · *Flag:* not touched`,
      ),
    );
  } else if (run.report) {
    const yes = run.report.canTurnOn ? 'YES' : 'NO';
    blocks.push(section(`*Overall Status:* ${run.report.verdict} · *Can be turned ON:* ${yes}`));
  }
  const reason = run.report?.reason ?? run.reason;
  if (reason) blocks.push(context(escapeMrkdwn(reason)));
  return { text, blocks };
}

function phaseLines(
  n: PhaseNumber,
  done: PhaseResult | undefined,
  live: LivePhase | undefined,
  running: boolean,
): string {
  const mark = done ? PHASE_MARK[done.status] : running ? PHASE_MARK.running : PHASE_MARK.not_run;
  const status = done ? ` — *${done.status === 'not_run' ? 'not run' : done.status.toUpperCase()}*` : '';
  const head = `${mark} *PHASE ${n}* - ${PHASE_TITLES[n]}${status}`;
  const checks = done?.checks ?? live?.checks ?? [];
  return [head, ...checks.map((c) => `      ${checkLine(c)}`)].join('\n');
}
