import { basename } from 'node:path';
import { FLAG_VAR, REQUIRED_ENV_VARS } from '../config/expect.ts';
import { type CheckOutcome, fail, pass, warn } from '../domain/check.ts';
import type { PhaseResult } from '../domain/phase.ts';
import { parseEnvListing } from '../hunter/env-values.ts';
import { parseEnvFile } from '../hunter/envfile.ts';
import type { ColumnInfo } from '../hunter/port.ts';
import { DB_MIGRATE, DB_TABLE, ENV_VARS } from './checks.ts';
import { type PhaseContext, say, startPhase } from './context.ts';
import { commandFailed } from './shared/output.ts';

/** Phase 0 — "is the ground clean, does the table exist?" */
export async function runPhase0(ctx: PhaseContext): Promise<PhaseResult> {
  const phase = startPhase(ctx, 0);
  await phase.start();
  await phase.check(ENV_VARS, () => checkEnvVars(ctx));
  await phase.check(DB_MIGRATE, () => checkMigration(ctx));
  await phase.check(DB_TABLE, () => checkTable(ctx));
  return phase.finish();
}

/** Values are never shown: each variable is `set`, `missing` or `empty`. */
export async function checkEnvVars(ctx: PhaseContext): Promise<CheckOutcome> {
  const text = await readEnvText(ctx);
  if (!text.ok)
    return fail(
      text.observed,
      `Create ${ctx.target.envFile.path} or point driver.envFile at the right file.`,
    );
  const parsed = parseEnvFile(text.text);
  if (!parsed.ok) {
    return fail(`${ctx.target.envFile.path} line ${parsed.line}: ${parsed.problem}`, ENV_VARS.hint(say(ctx)));
  }
  const states = REQUIRED_ENV_VARS.map((name) => {
    const value = parsed.entries.get(name);
    return { name, state: value === undefined ? 'missing' : value.trim() === '' ? 'empty' : 'set' };
  });
  const observed = states.map((s) => `${s.name}: ${s.state}`).join(', ');
  if (states.some((s) => s.state !== 'set')) return fail(observed, ENV_VARS.hint(say(ctx)));

  const running = await ctx.target.commands.run({ kind: 'readEnv' }, { signal: ctx.signal });
  if (!running.ok)
    return warn(`${observed}; could not read the running api's environment (${running.message})`);
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
  const notes = [
    ...(unset.length === 0
      ? []
      : [
          `${say(ctx).apiEnvironment} does not set ${unset.join(', ')}; Hunter reads ${unset.length === 1 ? 'it' : 'them'} from ${fileName}`,
        ]),
    ...(differing.length === 0 ? [] : [`the running api sees a different ${differing.join(', ')}`]),
  ];
  const text = [observed, ...notes].join('; ');
  if (differing.length > 0) {
    return warn(
      text,
      'The api was started with other values than the env file holds: it picks them up at the next restart.',
    );
  }
  return pass(text);
}

export async function checkMigration(ctx: PhaseContext): Promise<CheckOutcome> {
  const res = await ctx.target.commands.run({ kind: 'migrate' }, { signal: ctx.signal });
  if (res.ok) return pass(`exit 0 in ${(res.ms / 1000).toFixed(1)} s${lastLineOf(res.stderr || res.stdout)}`);
  return commandFailed(res, DB_MIGRATE.hint(say(ctx)), say(ctx), 20);
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
  if (!found.ok) {
    const hint =
      found.reason === 'missing'
        ? DB_TABLE.hint(say(ctx))
        : 'pc-verify could not query the database: check database.url and that this host can reach PostgreSQL.';
    return fail(found.message, hint);
  }
  const problems = REQUIRED_COLUMNS.flatMap((want) => columnProblems(found.columns, want));
  const summary = `${found.schema}.${table}: ${found.columns.length} columns`;
  return problems.length === 0
    ? pass(summary)
    : fail(`${summary}; ${problems.join('; ')}`, DB_TABLE.hint(say(ctx)));
}

function columnProblems(
  columns: readonly ColumnInfo[],
  want: { name: string; maxLength: number; nullable: boolean },
): string[] {
  const column = columns.find((c) => c.name === want.name);
  if (!column) return [`${want.name} missing`];
  const problems: string[] = [];
  if (column.dataType !== 'character varying' || column.maxLength !== want.maxLength) {
    problems.push(
      `${want.name} is ${column.dataType}${column.maxLength ? `(${column.maxLength})` : ''}, not varchar(${want.maxLength})`,
    );
  }
  if (!want.nullable && column.nullable) problems.push(`${want.name} is nullable, expected not null`);
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
      observed: `${ctx.target.envFile.path}: ${code === 'ENOENT' ? 'file not found' : String(code)}`,
    };
  }
}

function lastLineOf(text: string): string {
  const line = text.trim().split('\n').at(-1)?.trim();
  return line ? ` (${line})` : '';
}
