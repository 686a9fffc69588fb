import type { CheckResult } from '../domain/check.ts';
import type { PhaseResult } from '../domain/phase.ts';
import type { RunReport } from '../domain/run.ts';

const box = (on: boolean) => (on ? '[x]' : '[ ]');

/** The runbook's "Test results template", filled in, followed by what went wrong and how to fix it. */
export function renderResultsTemplate(report: RunReport): string {
  const lines: string[] = [];
  for (const phase of report.phases) {
    lines.push(`PHASE ${phase.phase} - ${phase.title}`);
    for (const check of phase.checks) lines.push(`- ${checkBox(check)} ${check.title}${checkNote(check)}`);
    lines.push(
      `- Status: ${box(phase.status === 'pass')} PASS ${box(phase.status === 'fail')} FAIL${notRunNote(phase)}`,
    );
    lines.push('');
  }
  if (report.switchOff) {
    const why = report.switchOff.why === 'rollback' ? 'rollback after Phase 3 failed' : 'afterPass: turn-off';
    lines.push(`FLAG OFF AGAIN (${why})`);
    for (const check of report.switchOff.checks)
      lines.push(`- ${checkBox(check)} ${check.title}${checkNote(check)}`);
    lines.push(`- Status: ${box(report.switchOff.ok)} OFF ${box(!report.switchOff.ok)} NOT CONFIRMED`, '');
  }
  lines.push(`Overall Status: ${box(report.verdict === 'PASS')} PASS ${box(report.verdict === 'FAIL')} FAIL`);
  lines.push(`Can be turned ON: ${box(report.canTurnOn)} YES ${box(!report.canTurnOn)} NO`);
  if (report.reason) lines.push('', report.reason);
  const problems = report.phases.flatMap((p) =>
    p.checks.filter((c) => c.status === 'fail' || c.status === 'warn'),
  );
  if (problems.length > 0) {
    lines.push('', 'Details:');
    for (const check of problems) lines.push(...describeProblem(check));
  }
  return lines.join('\n');
}

function checkBox(check: CheckResult): string {
  return box(check.status === 'pass' || check.status === 'warn');
}

function checkNote(check: CheckResult): string {
  if (check.status === 'warn') return '  (warning)';
  if (check.status === 'fail') return '  ← FAIL';
  if (check.status === 'skip') return '  (not run)';
  return '';
}

function notRunNote(phase: PhaseResult): string {
  return phase.status === 'not_run' ? '  (not run)' : '';
}

function describeProblem(check: CheckResult): string[] {
  const indent = (text: string) =>
    text
      .split('\n')
      .map((l, i) => (i === 0 ? l : `      ${l}`))
      .join('\n');
  return [
    `  ${check.status === 'fail' ? 'FAIL' : 'WARN'} ${check.id} — ${check.title}`,
    `    expected: ${indent(check.expected)}`,
    `    observed: ${indent(check.observed)}`,
    ...(check.hint ? [`    next:     ${indent(check.hint)}`] : []),
  ];
}

/** The machine-readable form for CI pipelines (`--json`). */
export function renderJson(report: RunReport): string {
  return JSON.stringify(report, null, 2);
}
