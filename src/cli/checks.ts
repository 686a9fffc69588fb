import { STAGE_TITLES, type Stage } from '../domain/phase.ts';
import { DEFAULT_COMMANDS_PHRASES, DEFAULT_COMPOSE_PHRASES, type DriverPhrases } from '../hunter/phrases.ts';
import { CHECK_DEFINITIONS, type CheckDefinition } from '../phases/checks.ts';
import { EXIT, UsageError } from './exit-codes.ts';

// Imports only the check registry and its wording: `pc-verify checks` needs no config, no
// Redis, no Hunter, and loads none of their libraries.

export interface ChecksOptions {
  readonly markdown?: boolean;
  readonly driver?: string;
}

export function checksCommand(opts: ChecksOptions, out: (text: string) => void): number {
  const say = phrasesOf(opts.driver ?? 'compose');
  out(opts.markdown ? renderChecksMarkdown(say) : renderChecksText(say));
  return EXIT.pass;
}

function phrasesOf(driver: string): DriverPhrases {
  if (driver === 'compose') return DEFAULT_COMPOSE_PHRASES;
  if (driver === 'commands') return DEFAULT_COMMANDS_PHRASES;
  throw new UsageError(`--driver takes compose or commands (got "${driver}")`);
}

function byStage(): [Stage, CheckDefinition[]][] {
  const stages = new Map<Stage, CheckDefinition[]>();
  for (const check of CHECK_DEFINITIONS) stages.set(check.stage, [...(stages.get(check.stage) ?? []), check]);
  return [...stages];
}

function stageHeading(stage: Stage): string {
  return stage === 'off'
    ? 'Flag OFF again (rollback, afterPass: turn-off, kill switch)'
    : `Phase ${stage} — ${STAGE_TITLES[stage]}`;
}

export function renderChecksText(say: DriverPhrases): string {
  const lines: string[] = [];
  for (const [stage, checks] of byStage()) {
    lines.push(stageHeading(stage));
    for (const check of checks) {
      lines.push(
        `  ${check.id}  ${check.title}`,
        `    runbook:  ${check.runbookStep}`,
        `    expects:  ${check.expected}`,
        `    hint:     ${check.hint(say)}`,
      );
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** docs/checks.md: `npm run docs:checks` writes it; a test fails when it is stale. */
export function renderChecksMarkdown(say: DriverPhrases): string {
  const lines = [
    '# The checks pc-verify runs',
    '',
    '<!-- Generated from src/phases/checks.ts by `npm run docs:checks` (`pc-verify checks --markdown`). Do not edit by hand. -->',
    '',
    'Each check automates one step of the activation runbook ([`activation-plan.md`](activation-plan.md)).',
    'A run reports every check as pass, warn, fail or skip (skip: a check it needs did not pass);',
    'a failing check carries the hint below unless it knows a more precise one.',
    '',
    'Hints are worded for the `compose` driver. Under the `commands` driver they name the',
    "environment's own commands instead (`pc-verify checks --driver commands`).",
  ];
  for (const [stage, checks] of byStage()) {
    lines.push(
      '',
      `## ${stageHeading(stage)}`,
      '',
      '| id | runbook step | expects | hint |',
      '| --- | --- | --- | --- |',
    );
    for (const check of checks) {
      const id = `\`${check.id}\` ${check.title}`;
      lines.push(`| ${[id, check.runbookStep, check.expected, check.hint(say)].map(cell).join(' | ')} |`);
    }
  }
  return lines.join('\n');
}
