import { readFile } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import type { DeviceCodeHandoff, Login } from '../auth/login.ts';
import { createMsalLogin } from '../auth/login.ts';
import type { EnvironmentConfig } from '../config/config.ts';
import { envFilePath } from '../config/config.ts';
import { createTarget } from '../hunter/create.ts';
import { parseEnvFile } from '../hunter/envfile.ts';
import type { Clock, Target } from '../hunter/port.ts';
import { translator } from '../i18n/index.ts';
import { type FlagLedger, memoryLedger, type PhaseContext } from '../phases/context.ts';
import { makePhase2Runner, type Phase2Deps } from '../phases/phase2.ts';
import { createRedactor } from '../util/redact.ts';
import type { RunObserver } from './run-events.ts';
import type { PhaseRunner } from './run-phases.ts';

export interface SessionOptions {
  readonly env: EnvironmentConfig;
  readonly observer: RunObserver;
  readonly signal: AbortSignal;
  /** Where the device code goes: the terminal, or the requester's DM. Nowhere else. */
  readonly handoff: (handoff: DeviceCodeHandoff) => Promise<void> | void;
  readonly login?: Login;
  /** Extra TLS trust for Azure AD and Hunter (a private CA); never a switch that turns checking off. */
  readonly dispatcher?: Dispatcher;
  readonly clock?: Clock;
  /** Where the run records what it does to the flag; default: in memory (a terminal run). */
  readonly flag?: FlagLedger;
  /** Stage the sign-in until an approval; hear who signed in. */
  readonly phase2?: Pick<Phase2Deps, 'stage' | 'onStaging' | 'onSignedIn'>;
}

export interface Session {
  readonly ctx: PhaseContext;
  readonly phase2: PhaseRunner;
  readonly redact: (text: string) => string;
}

/** Wires one environment's real adapters together for a run: the composition root of the engine. */
export async function prepareSession(options: SessionOptions): Promise<Session> {
  const { env } = options;
  const { target, redact } = await openTarget(env, options.clock);
  const ctx: PhaseContext = {
    target,
    env,
    signal: options.signal,
    observer: options.observer,
    redact,
    flag: options.flag ?? memoryLedger(),
  };
  const phase2 = makePhase2Runner({
    login: options.login ?? createMsalLogin(translator(env.language ?? 'en')),
    handoff: options.handoff,
    ...options.phase2,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  return { ctx, phase2, redact };
}

/** An environment's Target and its redactor, with no sign-in: a driver action outside a run's phases. */
export async function openTarget(
  env: EnvironmentConfig,
  clock?: Clock,
): Promise<{ target: Target; redact: (text: string) => string }> {
  const redact = createRedactor(await secretsOf(env));
  return { target: createTarget(env, { redact, ...(clock ? { clock } : {}) }), redact };
}

/**
 * What must never be shown: the config's secrets, the database password and every value of the env file except
 * plain booleans and numbers (client and tenant ids, URLs, any secret someone put there).
 */
async function secretsOf(env: EnvironmentConfig): Promise<string[]> {
  // Every `env:` value of the config and every URL password (an ssh password in an argv).
  const secrets: string[] = [...(env.secrets ?? [])];
  try {
    const password = decodeURIComponent(new URL(env.database.url).password);
    if (password) secrets.push(password);
  } catch {
    // An unparsable URL has no password to hide; the table check will report it.
  }
  const text = await readFile(envFilePath(env.driver), 'utf8').catch(() => '');
  const parsed = parseEnvFile(text);
  if (parsed.ok) {
    for (const value of parsed.entries.values()) {
      if (value.length >= 6 && !/^(true|false|\d+)$/i.test(value)) secrets.push(value);
    }
  }
  return secrets;
}
