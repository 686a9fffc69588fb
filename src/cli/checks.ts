import type { Stage } from '../domain/phase.ts';
import {
  commandsPhrases,
  composePhrases,
  DEFAULT_COMPOSE_NAMING,
  type DriverPhrases,
} from '../hunter/phrases.ts';
import { type Translate, translator } from '../i18n/translate.ts';
import {
  CHECK_DEFINITIONS,
  type CheckDefinition,
  expectedOf,
  stageTitle,
  titleOf,
} from '../phases/checks.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { parseLanguage } from './language-option.ts';

// Imports only the check registry and its wording: `pc-verify checks` needs no config, no
// Redis, no Hunter, and loads none of their libraries.

export interface ChecksOptions {
  readonly markdown?: boolean;
  readonly driver?: string;
  /** The words of the list (docs/checks.md, `--markdown`, is always English). */
  readonly language?: string;
}

const EN = translator('en');

export function checksCommand(opts: ChecksOptions, out: (text: string) => void): number {
  const t = opts.markdown ? EN : translator(parseLanguage(opts.language));
  const say = phrasesOf(opts.driver ?? 'compose', t);
  out(opts.markdown ? renderChecksMarkdown(say) : renderChecksText(say, t));
  return EXIT.pass;
}

function phrasesOf(driver: string, t: Translate): DriverPhrases {
  if (driver === 'compose') return composePhrases(DEFAULT_COMPOSE_NAMING, t);
  if (driver === 'commands') return commandsPhrases(undefined, t);
  throw new UsageError(EN('cli.checks.badDriver', { value: driver }));
}

function byStage(): [Stage, CheckDefinition[]][] {
  const stages = new Map<Stage, CheckDefinition[]>();
  for (const check of CHECK_DEFINITIONS) stages.set(check.stage, [...(stages.get(check.stage) ?? []), check]);
  return [...stages];
}

function stageHeading(stage: Stage, t: Translate = EN): string {
  return stage === 'off'
    ? t('cli.checks.offAgain')
    : t('cli.checks.phase', { phase: stage, title: stageTitle(t, stage) });
}

export function renderChecksText(say: DriverPhrases, t: Translate = EN): string {
  const labels = [t('cli.checks.runbook'), t('cli.checks.expects'), t('cli.checks.hint')];
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  const [runbook, expects, hint] = labels.map((l) => `    ${l.padEnd(width)}`);
  const lines: string[] = [];
  for (const [stage, checks] of byStage()) {
    lines.push(stageHeading(stage, t));
    for (const check of checks) {
      lines.push(
        `  ${check.id}  ${titleOf(check, t)}`,
        `${runbook}${t(`checks.registry.${check.key}.step`)}`,
        `${expects}${expectedOf(check, t)}`,
        `${hint}${check.hint(say, t)}`,
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
