import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Config, EnvironmentConfig } from '../config/config.ts';
import type { RedisTarget } from '../config/redis.ts';
import type { RunId } from '../domain/ids.ts';
import type { PhaseResult } from '../domain/phase.ts';
import type { RunRecord, RunReport } from '../domain/run.ts';
import { loginReport } from '../lifecycle/advance-login.ts';
import { auditCommand } from '../lifecycle/audit-command.ts';
import { finishRun } from '../lifecycle/finish-run.ts';
import type { BotServices } from '../lifecycle/lifecycle-deps.ts';
import { botServices } from '../main/open-stores.ts';
import { createLogger } from '../observability/logger.ts';
import { BotMetrics } from '../observability/metrics.ts';
import { describeAccount, type SignedInAccount } from '../phases/phase2.ts';
import { openRedis } from '../store/connection.ts';

/** A working run's lease, renewed at a quarter of it, as the bot's workers do. */
const LEASE_MS = 2 * 60_000;

export type HeldLogin =
  | {
      readonly ok: true;
      finish(ran: readonly PhaseResult[], cancelled?: string): Promise<void>;
      /** Names the account that signed in, in the environment's audit trail. */
      signedIn(account: SignedInAccount, allowed: boolean): Promise<void>;
    }
  | { readonly ok: false; readonly why: string };

/** The environment held from a terminal, as a run record in the bot's Redis. */
export type TerminalHold =
  | {
      readonly ok: true;
      readonly s: BotServices;
      readonly run: RunRecord;
      readonly user: string;
      /** Records the run's end (history, audit) and lets the environment go. */
      end(report: RunReport): Promise<void>;
    }
  | { readonly ok: false; readonly why: string };

/**
 * The terminal's sign-in holds the environment like the bot's (docs/architecture.md#the-day-2-watch): a run record of
 * purpose `login` claims the lock in the bot's Redis, so no verification or other sign-in runs
 * meanwhile, and its end is audited and in the history like any run's.
 */
export async function holdForLogin(
  config: Config,
  env: EnvironmentConfig,
  redisUrl: string,
): Promise<HeldLogin> {
  const held = await holdEnvironment(config, env, { kind: 'url', url: redisUrl }, 'login');
  if (!held.ok) return held;
  const detail = `sign-in renewal ${held.run.id} from the terminal`;
  await auditCommand(held.s, env.name, held.user, 'login.start', 'accepted', detail, held.run.id);
  return {
    ok: true,
    finish: (ran, cancelled) => held.end(loginReport(held.s, held.run, ran, cancelled)),
    signedIn: auditSignIn(held),
  };
}

/** Every sign-in names its account in the audit trail, the terminal's as the bot's. */
export function auditSignIn(held: Extract<TerminalHold, { ok: true }>) {
  return async (account: SignedInAccount, allowed: boolean): Promise<void> => {
    await held.s.audit.append(held.run.env, {
      at: held.s.now().toISOString(),
      actor: held.user,
      action: 'login.signed_in',
      outcome: allowed ? 'info' : 'refused',
      detail: `signed in as ${describeAccount(account)} at a terminal${allowed ? '' : ': not in auth.allowedAccounts, nothing installed'}`,
      runId: held.run.id,
    });
  };
}

/**
 * Claims the environment's lock in the bot's Redis for a run from this terminal (a verification
 * or a sign-in), renewing its lease while it runs. The bot's stores over this connection; no
 * Slack call is ever made from here (what the bot must say goes through its outbox).
 */
export async function holdEnvironment(
  config: Config,
  env: EnvironmentConfig,
  target: RedisTarget,
  purpose: 'login' | 'run',
): Promise<TerminalHold> {
  const redis = openRedis(target, { maxRetriesPerRequest: 2 });
  const s = botServices(
    config,
    redis,
    { botToken: 'none' },
    createLogger({ level: 'warn', secrets: config.secrets ?? [] }),
    new BotMetrics(),
  );
  const user = userInfo().username;
  const now = s.now().toISOString();
  const run: RunRecord = {
    id: `cli${Date.now().toString(36)}${randomBytes(4).toString('hex')}` as RunId,
    env: env.name,
    state: 'queued',
    version: 1,
    requester: { kind: 'cli', user },
    createdAt: now,
    updatedAt: now,
    phases: [],
    ...(purpose === 'login' ? { purpose: 'login' as const } : {}),
  };
  const claim = await s.runs.claimEnvironment(run, LEASE_MS).catch((error: unknown) => {
    redis.disconnect();
    throw error;
  });
  if (!claim.ok) {
    redis.disconnect();
    const why =
      'unverified' in claim
        ? `The flag of ${env.name} is unverified: turn it OFF and verify it first (/pc-verify off ${env.name}).`
        : `A run for ${env.name} is going (${claim.holder || 'starting'}): one at a time; try again when it has finished.`;
    return { ok: false, why };
  }
  const renew = setInterval(
    () => void s.runs.renewLease(env.name, run.id, LEASE_MS).catch(() => undefined),
    LEASE_MS / 4,
  );
  return {
    ok: true,
    s,
    run,
    user,
    end: async (report) => {
      clearInterval(renew);
      try {
        await finishRun(s, run.id, report);
      } finally {
        redis.disconnect();
      }
    },
  };
}
