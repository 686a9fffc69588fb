import type { CheckResult } from '../domain/check.ts';
import type { PhaseResult } from '../domain/phase.ts';
import type { RunReport } from '../domain/run.ts';
import type { Translate } from '../i18n/index.ts';
import { stageTitle } from '../phases/checks.ts';

const box = (on: boolean) => (on ? '[x]' : '[ ]');

/**
 * The runbook's "Test results template", filled in, followed by what went wrong and how to fix
 * it: in the deployment's language, the Turkish one in the Turkish runbook's own words.
 */
export function renderResultsTemplate(report: RunReport, t: Translate): string {
  const lines: string[] = [];
  const status = (pass: boolean, fail: boolean) =>
    `- ${t('report.template.status', { pass: box(pass), fail: box(fail) })}`;
  for (const phase of report.phases) {
    lines.push(t('report.template.phase', { phase: phase.phase, title: stageTitle(t, phase.phase) }));
    for (const check of phase.checks) lines.push(`- ${checkBox(check)} ${check.title}${checkNote(check, t)}`);
    lines.push(`${status(phase.status === 'pass', phase.status === 'fail')}${notRunNote(phase, t)}`, '');
  }
  if (report.switchOff) {
    const { ok, why, checks } = report.switchOff;
    const words = t(why === 'rollback' ? 'report.template.whyRollback' : 'report.template.whyAfterPass');
    lines.push(t('report.template.offAgain', { why: words }));
    for (const check of checks) lines.push(`- ${checkBox(check)} ${check.title}${checkNote(check, t)}`);
    lines.push(`- ${t('report.template.offStatus', { off: box(ok), unconfirmed: box(!ok) })}`, '');
  }
  const verdict = report.verdict;
  lines.push(t('report.template.overall', { pass: box(verdict === 'PASS'), fail: box(verdict === 'FAIL') }));
  lines.push(t('report.template.canTurnOn', { yes: box(report.canTurnOn), no: box(!report.canTurnOn) }));
  if (report.reason) lines.push('', report.reason);
  const problems = report.phases.flatMap((p) =>
    p.checks.filter((c) => c.status === 'fail' || c.status === 'warn'),
  );
  if (problems.length > 0) {
    lines.push('', t('report.template.details'));
    for (const check of problems) lines.push(...describeProblem(check, t));
  }
  return lines.join('\n');
}

function checkBox(check: CheckResult): string {
  return box(check.status === 'pass' || check.status === 'warn');
}

function checkNote(check: CheckResult, t: Translate): string {
  if (check.status === 'warn') return `  ${t('report.template.warning')}`;
  if (check.status === 'fail') return `  ${t('report.template.failed')}`;
  if (check.status === 'skip') return `  ${t('report.template.notRun')}`;
  return '';
}

function notRunNote(phase: PhaseResult, t: Translate): string {
  return phase.status === 'not_run' ? `  ${t('report.template.notRun')}` : '';
}

function describeProblem(check: CheckResult, t: Translate): string[] {
  const labels = {
    expected: t('report.template.expected'),
    observed: t('report.template.observed'),
    next: t('report.template.next'),
  };
  // The labels line up in any language: each is padded to the longest, plus one space.
  const width = Math.max(...Object.values(labels).map((l) => l.length)) + 1;
  const indent = (text: string) =>
    text
      .split('\n')
      .map((l, i) => (i === 0 ? l : `      ${l}`))
      .join('\n');
  const line = (label: string, text: string) => `    ${label.padEnd(width)}${indent(text)}`;
  const heading = check.status === 'fail' ? 'report.template.problemFail' : 'report.template.problemWarn';
  return [
    `  ${t(heading, { id: check.id, title: check.title })}`,
    line(labels.expected, check.expected),
    line(labels.observed, check.observed),
    ...(check.hint ? [line(labels.next, check.hint)] : []),
  ];
}

/** The machine-readable form for CI pipelines (`--json`). */
export function renderJson(report: RunReport): string {
  return JSON.stringify(report, null, 2);
}
