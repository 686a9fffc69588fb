import { randomBytes } from 'node:crypto';
import type { Config, EnvironmentConfig } from '../config/config.ts';
import { loadConfigFile } from '../config/load.ts';
import { selectEnvironment } from '../config/select.ts';
import type { RunId } from '../domain/ids.ts';
import type { PhaseNumber } from '../domain/phase.ts';
import type { RunReport } from '../domain/run.ts';
import { runVerification } from '../engine/run-phases.ts';
import { type Translate, translator } from '../i18n/index.ts';
import { endedReport } from '../lifecycle/finish-run.ts';
import { redisLedger } from '../lifecycle/flag-ledger.ts';
import type { FlagLedger } from '../phases/context.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import type { TerminalHold } from './login-lock.ts';
import { parsePhases } from './phases-option.ts';
import { renderJson, renderResultsTemplate } from './results-text.ts';
import { type TerminalSessionExtras, withTerminalSession } from './terminal-session.ts';
import { windowOverride } from './window-gate.ts';

export interface RunArgs {
  readonly env: string;
  readonly config?: string;
  readonly json?: boolean;
  readonly phases?: string;
  /** Confirms in advance that Phase 1 may turn OFF a flag that is ON in prod (for pipelines). */
  readonly confirmFlagOff?: boolean;
  /** Why this run goes around the approval gate of a `requireApproval` environment (break-glass.ts). */
  readonly breakGlass?: string;
  /** The bot's Redis (default: the config's `redis`, else $REDIS_URL). */
  readonly redisUrl?: string;
}

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** `pc-verify run <env>`: the phases in this terminal; exit 0 on PASS, 1 on FAIL, 2 on bad usage. */
export async function runCommand(args: RunArgs, io: Io): Promise<number> {
  const phases = parsePhases(args.phases);
  const config = await loadConfigFile(args.config);
  const found = selectEnvironment(config, args.env);
  if (!found.ok) throw new UsageError(found.message);
  const t = translator(found.env.language ?? 'en');
  const reason = windowOverride(found.env, phases, args.breakGlass, new Date());
  const held = await breakGlassIfNeeded(config, found.env, {
    ...args,
    ...(reason ? { breakGlass: reason } : {}),
  });
  if (held) io.err(t('cli.run.breakGlass', { env: found.env.name, run: held.run.id }));
  let report: RunReport | undefined;
  try {
    report = await verifyInTerminal(found.env, phases, io, {
      confirmFlagOff: () =>
        args.confirmFlagOff ? Promise.resolve(true) : askToConfirmOutage(found.env.name, io, t),
      // Under break-glass the report is the held run's: its id is the one the audit trail, the
      // flag record and the review request name.
      ...(held ? { runId: held.run.id, flag: terminalLedger(held, t), onSignedIn: held.signedIn } : {}),
    });
  } finally {
    if (held) await held.end(report ?? endedReport(held.s, held.run, 'failed', t('cli.run.stoppedEarly')));
  }
  io.out(args.json ? renderJson(report) : renderResultsTemplate(report, t));
  return report.verdict === 'PASS' ? EXIT.pass : EXIT.fail;
}

export interface TerminalRunExtras extends TerminalSessionExtras {
  readonly confirmFlagOff?: () => Promise<boolean>;
  /** The run's id when a record of it exists elsewhere (the bot's Redis); else a fresh one. */
  readonly runId?: RunId;
}

/** Runs the engine with progress on stderr; Ctrl-C cancels the run cleanly (children and requests stop). */
export async function verifyInTerminal(
  env: EnvironmentConfig,
  phases: readonly PhaseNumber[],
  io: Io,
  extras: TerminalRunExtras,
): Promise<RunReport> {
  return withTerminalSession(env, io.err, extras, (session) =>
    runVerification({
      ctx: session.ctx,
      runId: extras.runId ?? (`cli-${randomBytes(6).toString('hex')}` as RunId),
      phases,
      phase2: session.phase2,
      ...(extras.confirmFlagOff ? { confirmFlagOff: extras.confirmFlagOff } : {}),
    }),
  );
}

/** Loaded only for an environment that needs it: the bot's stores and Slack client are most of it. */
async function breakGlassIfNeeded(config: Config, env: EnvironmentConfig, args: RunArgs) {
  if (!env.policy.requireApproval) return undefined;
  const { botRedisOf, breakGlass } = await import('./break-glass.ts');
  return breakGlass(config, env, 'run', args.breakGlass, botRedisOf(config, args.redisUrl));
}

/** The flag record in the bot's Redis, owned by the terminal's run (which holds the lock). */
function terminalLedger(held: Extract<TerminalHold, { ok: true }>, t: Translate): FlagLedger {
  return redisLedger(held.s, {
    env: held.run.env,
    owner: { kind: 'run', runId: held.run.id },
    by: t('cli.run.byTerminal', { user: held.user }),
  });
}

/** At a terminal, the person types the environment name; without a terminal the answer is no. */
async function askToConfirmOutage(env: string, io: Io, t: Translate): Promise<boolean> {
  if (!process.stdin.isTTY) {
    io.err(t('cli.run.confirmNeeded', { env }));
    return false;
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(t('cli.run.confirmQuestion', { env }));
    return answer.trim() === env;
  } finally {
    rl.close();
  }
}
