import type { PhaseResult } from '../../domain/phase.ts';
import { PHASE_NUMBERS, PHASE_TITLES } from '../../domain/phase.ts';
import type { RunRecord } from '../../domain/run.ts';
import type { Block } from '../chat.ts';
import { checkLine, context, escapeMrkdwn, PHASE_MARK, section } from './format.ts';

const STATE_WORDS: Readonly<Record<RunRecord['state'], string>> = {
  queued: 'queued',
  awaiting_confirmation: 'waiting for the requester to confirm',
  phase0: 'running Phase 0',
  phase1: 'running Phase 1',
  phase2: 'running Phase 2',
  awaiting_login: 'waiting for the device-code login',
  awaiting_approval: 'waiting for a second person to approve',
  phase3: 'running Phase 3',
  passed: 'PASS',
  failed: 'FAIL',
  cancelled: 'cancelled',
  expired: 'expired',
  rolled_back: 'FAIL — rolled back',
};

/** The root message: the runbook's results template as a checklist, updated in place. */
export function runMessage(run: RunRecord): { text: string; blocks: Block[] } {
  const text = `pc-verify ${run.env}: ${STATE_WORDS[run.state]}`;
  const requester = run.requester.kind === 'slack' ? `<@${run.requester.userId}>` : run.requester.user;
  const blocks: Block[] = [
    section(`*pc-verify · ${run.env}* — ${STATE_WORDS[run.state]}`),
    context(`Requested by ${requester} · run \`${run.id}\` · details in the thread`),
  ];
  for (const n of PHASE_NUMBERS) {
    const phase = run.phases.find((p) => p.phase === n);
    blocks.push(section(phaseLines(n, phase, run.state === `phase${n}`)));
  }
  if (run.report) {
    const yes = run.report.canTurnOn ? 'YES' : 'NO';
    blocks.push(section(`*Overall Status:* ${run.report.verdict} · *Can be turned ON:* ${yes}`));
    if (run.report.reason) blocks.push(context(escapeMrkdwn(run.report.reason)));
  }
  return { text, blocks };
}

function phaseLines(
  n: (typeof PHASE_NUMBERS)[number],
  phase: PhaseResult | undefined,
  running: boolean,
): string {
  const mark = running ? PHASE_MARK.running : PHASE_MARK[phase?.status ?? 'not_run'];
  const head = `${mark} *PHASE ${n}* — ${PHASE_TITLES[n]}`;
  if (!phase || phase.checks.length === 0) return head;
  return [head, ...phase.checks.map((c) => `      ${checkLine(c)}`)].join('\n');
}
