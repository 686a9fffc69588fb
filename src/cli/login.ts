import { loadConfigFile } from '../config/load.ts';
import { selectEnvironment } from '../config/select.ts';
import type { PhaseResult } from '../domain/phase.ts';
import { runPhases } from '../engine/run-phases.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { holdForLogin } from './login-lock.ts';
import type { Io } from './run.ts';
import { type TerminalSessionExtras, withTerminalSession } from './terminal-session.ts';

export interface LoginArgs {
  readonly env: string;
  readonly config?: string;
  /** The bot's Redis: when set, the sign-in holds the environment's lock there. Default $REDIS_URL. */
  readonly redisUrl?: string;
}

export type LoginExtras = TerminalSessionExtras;

/**
 * `pc-verify login <env>`: Phase 2 alone in this terminal — the code printed here, the new token
 * cache installed in Hunter, the silent check; the flag is not touched. Exit 0 when the sign-in
 * works again, 1 when it does not, 2 on bad usage or when another run holds the environment.
 */
export async function loginCommand(args: LoginArgs, io: Io, extras: LoginExtras = {}): Promise<number> {
  const config = await loadConfigFile(args.config);
  const found = selectEnvironment(config, args.env);
  if (!found.ok) throw new UsageError(found.message);
  const env = found.env;
  const redisUrl = args.redisUrl ?? process.env.REDIS_URL;
  const held = redisUrl ? await holdForLogin(config, env, redisUrl) : undefined;
  if (held && !held.ok) throw new UsageError(held.why);
  if (!held) io.err(`(no REDIS_URL: this sign-in does not hold ${env.name}'s lock; no bot is told)`);
  const controller = new AbortController();
  let ran: PhaseResult[] = [];
  try {
    ran = await withTerminalSession(
      env,
      io.err,
      extras,
      (session) => runPhases(session.ctx, [2], session.phase2),
      controller,
    );
  } finally {
    await held?.finish(ran, controller.signal.aborted ? 'Cancelled from the terminal.' : undefined);
  }
  const passed = ran.length === 1 && ran[0]?.status === 'pass';
  io.out(
    passed
      ? `Sign-in renewed for ${env.name}: a new token cache is in Hunter and works silently. The flag was not touched.`
      : `The sign-in for ${env.name} was NOT renewed (see the checks above). The flag was not touched.`,
  );
  return passed ? EXIT.pass : EXIT.fail;
}
