import type { Dispatcher } from 'undici';
import type { DeviceCodeHandoff, Login } from '../auth/login.ts';
import type { EnvironmentConfig } from '../config/config.ts';
import { prepareSession, type Session } from '../engine/prepare-session.ts';
import { translator } from '../i18n/index.ts';
import type { FlagLedger } from '../phases/context.ts';
import type { Phase2Deps } from '../phases/phase2.ts';
import { terminalHandoff, terminalProgress } from './progress.ts';

export interface TerminalSessionExtras {
  readonly login?: Login;
  readonly dispatcher?: Dispatcher;
  /** Called with the device code after it was printed (the demo approves it here). */
  readonly onHandoff?: (handoff: DeviceCodeHandoff) => void | Promise<void>;
  /** Where the run records what it does to the flag (the bot's flag record under break-glass). */
  readonly flag?: FlagLedger;
  /** Who signed in (the bot's audit trail, when the terminal holds the bot's lock). */
  readonly onSignedIn?: Phase2Deps['onSignedIn'];
}

/**
 * The phases' session in this terminal: progress and the device code on stderr, and Ctrl-C (or
 * SIGTERM) cancels cleanly — running commands and requests stop. `controller` lets the caller
 * see afterwards whether the person cancelled.
 */
export async function withTerminalSession<T>(
  env: EnvironmentConfig,
  err: (line: string) => void,
  extras: TerminalSessionExtras,
  work: (session: Session) => Promise<T>,
  controller = new AbortController(),
): Promise<T> {
  const t = translator(env.language ?? 'en');
  const onSignal = () => {
    err(t('cli.run.cancelling'));
    controller.abort(new Error('cancelled from the terminal'));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A dropped terminal (ssh gone) stops the run the same way: its end is recorded, never left mid-change.
  process.once('SIGHUP', onSignal);
  try {
    const session = await prepareSession({
      env,
      observer: terminalProgress(err, t),
      signal: controller.signal,
      handoff: terminalHandoff(err, t, extras.onHandoff),
      ...(extras.flag ? { flag: extras.flag } : {}),
      ...(extras.onSignedIn ? { phase2: { onSignedIn: extras.onSignedIn } } : {}),
      ...(extras.login ? { login: extras.login } : {}),
      ...(extras.dispatcher ? { dispatcher: extras.dispatcher } : {}),
    });
    return await work(session);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}
