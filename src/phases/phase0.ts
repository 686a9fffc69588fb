import { basename } from 'node:path';
import { FLAG_VAR, REQUIRED_ENV_VARS } from '../config/expect.ts';
import { type CheckOutcome, fail, pass, warn } from '../domain/check.ts';
import type { PhaseResult } from '../domain/phase.ts';
import { parseEnvListing } from '../hunter/env-values.ts';
import { parseEnvFile } from '../hunter/envfile.ts';
import type { ColumnInfo } from '../hunter/port.ts';
import type { Translate } from '../i18n/index.ts';
import { DB_MIGRATE, DB_TABLE, ENV_VARS } from './checks.ts';
import { hintOf, type PhaseContext, say, startPhase, words } from './context.ts';
import { fmtSeconds } from './shared/flag.ts';
import { commandFailed } from './shared/output.ts';

/** Phase 0 — "is the ground clean, does the table exist?" */
export async function runPhase0(ctx: PhaseContext): Promise<PhaseResult> {
  const phase = startPhase(ctx, 0);
  await phase.start();
  // The runbook orders neither before the other: reading the variables does not wait on alembic.
  await phase.checkTogether([
    { spec: ENV_VARS, body: () => checkEnvVars(ctx) },
    { spec: DB_MIGRATE, body: () => checkMigration(ctx) },
  ]);
  await phase.check(DB_TABLE, () => checkTable(ctx));
  return phase.finish();
}

/** Values are never shown: each variable is `set`, `missing` or `empty`. */
export async function checkEnvVars(ctx: PhaseContext): Promise<CheckOutcome> {
  const t = words(ctx);
  const path = ctx.target.envFile.path;
  const text = await readEnvText(ctx);
  if (!text.ok) return fail(text.observed, t('checks.env.noFile', { path }));
  const parsed = parseEnvFile(text.text);
  if (!parsed.ok)
    return fail(
      t('checks.env.badLine', { path, line: parsed.line, problem: parsed.problem }),
      hintOf(ctx, ENV_VARS),
    );
  const states = REQUIRED_ENV_VARS.map((name) => {
    const value = parsed.entries.get(name);
    return { name, state: value === undefined ? 'missing' : value.trim() === '' ? 'empty' : 'set' } as const;
  });
  const observed = states.map((s) => `${s.name}: ${t(`checks.env.${s.state}`)}`).join(', ');
  if (states.some((s) => s.state !== 'set')) return fail(observed, hintOf(ctx, ENV_VARS));

  const running = await ctx.target.commands.run({ kind: 'readEnv' }, { signal: ctx.signal });
  if (!running.ok) return warn(t('checks.env.runningUnreadable', { observed, message: running.message }));
  return compareWithRunningApi(observed, parsed.entries, parseEnvListing(running.stdout), ctx);
}

/**
 * A variable the api's process environment does not set is not a difference: Hunter reads it
 * from the env file itself (pydantic-settings and a mounted `.env`). Only a value the process
 * does see, and that differs, means the api runs with something else than the file holds.
 */
function compareWithRunningApi(
  observed: string,
  file: ReadonlyMap<string, string>,
  live: ReadonlyMap<string, string>,
  ctx: PhaseContext,
): CheckOutcome {
  // The flag is expected to differ: Phase 1 and 3 set it; the other three must match.
  const compared = REQUIRED_ENV_VARS.filter((name) => name !== FLAG_VAR);
  const unset = compared.filter((name) => !live.has(name));
  const differing = compared.filter((name) => live.has(name) && live.get(name) !== file.get(name));
  const fileName = basename(ctx.target.envFile.path);
  const t = words(ctx);
  const where = say(ctx).apiEnvironment;
  const notes = [
    ...(unset.length === 0
      ? []
      : [
          t('checks.env.notSetInApi', {
            where,
            names: unset.join(', '),
            file: fileName,
            count: unset.length,
          }),
        ]),
    ...(differing.length === 0 ? [] : [t('checks.env.differs', { names: differing.join(', ') })]),
  ];
  const text = [observed, ...notes].join('; ');
  if (differing.length > 0) return warn(text, t('checks.env.differsHint'));
  return pass(text);
}

export async function checkMigration(ctx: PhaseContext): Promise<CheckOutcome> {
  const res = await ctx.target.commands.run({ kind: 'migrate' }, { signal: ctx.signal });
  const t = words(ctx);
  if (res.ok)
    return pass(
      t('checks.db.migrated', { took: fmtSeconds(res.ms, t), last: lastLineOf(res.stderr || res.stdout) }),
    );
  return commandFailed(res, hintOf(ctx, DB_MIGRATE), ctx, 20);
}

/** The runbook's columns, checked from information_schema: type, length and nullability. */
const REQUIRED_COLUMNS = [
  { name: 'referral_id', maxLength: 255, nullable: false },
  { name: 'referral_type', maxLength: 50, nullable: true },
  { name: 'domain', maxLength: 255, nullable: true },
] as const;

export async function checkTable(ctx: PhaseContext): Promise<CheckOutcome> {
  const table = ctx.env.expect.table;
  const found = await ctx.target.db.table(table, ctx.signal);
  const t = words(ctx);
  if (!found.ok)
    return fail(
      found.message,
      found.reason === 'missing' ? hintOf(ctx, DB_TABLE) : t('checks.db.unreachable'),
    );
  const problems = REQUIRED_COLUMNS.flatMap((want) => columnProblems(found.columns, want, t));
  const summary = t('checks.db.columns', { table: `${found.schema}.${table}`, count: found.columns.length });
  return problems.length === 0
    ? pass(summary)
    : fail(`${summary}; ${problems.join('; ')}`, hintOf(ctx, DB_TABLE));
}

function columnProblems(
  columns: readonly ColumnInfo[],
  want: { name: string; maxLength: number; nullable: boolean },
  t: Translate,
): string[] {
  const { name } = want;
  const column = columns.find((c) => c.name === name);
  if (!column) return [t('checks.db.columnMissing', { name })];
  const problems: string[] = [];
  if (column.dataType !== 'character varying' || column.maxLength !== want.maxLength) {
    const type = `${column.dataType}${column.maxLength ? `(${column.maxLength})` : ''}`;
    problems.push(t('checks.db.columnType', { name, type, length: want.maxLength }));
  }
  if (!want.nullable && column.nullable) problems.push(t('checks.db.columnNullable', { name }));
  return problems;
}

async function readEnvText(
  ctx: PhaseContext,
): Promise<{ ok: true; text: string } | { ok: false; observed: string }> {
  try {
    return { ok: true, text: await ctx.target.envFile.read() };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      observed: `${ctx.target.envFile.path}: ${code === 'ENOENT' ? words(ctx)('checks.env.fileNotFound') : String(code)}`,
    };
  }
}

function lastLineOf(text: string): string {
  const line = text.trim().split('\n').at(-1)?.trim();
  return line ? ` (${line})` : '';
}
