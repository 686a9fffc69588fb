import type { Config, EnvironmentConfig } from '../config/config.ts';
import { loadConfigFile } from '../config/load.ts';
import { selectEnvironment } from '../config/select.ts';
import type { PhaseResult } from '../domain/phase.ts';
import { runPhases } from '../engine/run-phases.ts';
import { translator } from '../i18n/index.ts';
import { loginReport } from '../lifecycle/advance-login.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { type HeldLogin, holdForLogin } from './login-lock.ts';
import type { Io } from './run.ts';
import { type TerminalSessionExtras, withTerminalSession } from './terminal-session.ts';

export interface LoginArgs {
  readonly env: string;
  readonly config?: string;
  /** The bot's Redis: when set, the sign-in holds the environment's lock there. Default $REDIS_URL. */
  readonly redisUrl?: string;
  /** Why this sign-in goes around `loginRequiresApproval` (break-glass.ts). */
  readonly breakGlass?: string;
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
  const t = translator(env.language ?? 'en');
  const held = env.policy.loginRequiresApproval
    ? await breakGlassLogin(config, env, args)
    : await plainHold(config, env, args.redisUrl ?? process.env.REDIS_URL);
  if (held && !held.ok) throw new UsageError(held.why);
  if (!held) io.err(t('cli.login.noLock', { env: env.name }));
  const controller = new AbortController();
  let ran: PhaseResult[] = [];
  try {
    ran = await withTerminalSession(
      env,
      io.err,
      held?.ok ? { ...extras, onSignedIn: held.signedIn } : extras,
      (session) => runPhases(session.ctx, [2], session.phase2),
      controller,
    );
  } finally {
    await held?.finish(ran, controller.signal.aborted ? t('cli.login.cancelled') : undefined);
  }
  const passed = ran.length === 1 && ran[0]?.status === 'pass';
  io.out(t(passed ? 'cli.login.renewed' : 'cli.login.notRenewed', { env: env.name }));
  return passed ? EXIT.pass : EXIT.fail;
}

function plainHold(config: Config, env: EnvironmentConfig, redisUrl: string | undefined) {
  return redisUrl ? holdForLogin(config, env, redisUrl) : Promise.resolve(undefined);
}

/** A sign-in that needs an approver's yes, from a terminal: only as a break-glass (audited, reviewed). */
async function breakGlassLogin(config: Config, env: EnvironmentConfig, args: LoginArgs): Promise<HeldLogin> {
  const { botRedisOf, breakGlass } = await import('./break-glass.ts');
  const held = await breakGlass(config, env, 'login', args.breakGlass, botRedisOf(config, args.redisUrl));
  return {
    ok: true,
    finish: (ran, cancelled) => held.end(loginReport(held.s, held.run, ran, cancelled)),
    signedIn: held.signedIn,
  };
}
