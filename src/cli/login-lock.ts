import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { Redis } from 'ioredis';
import type { Config, EnvironmentConfig } from '../config/config.ts';
import type { RunId } from '../domain/ids.ts';
import type { PhaseResult } from '../domain/phase.ts';
import type { RunRecord } from '../domain/run.ts';
import { loginReport } from '../lifecycle/advance-login.ts';
import { auditCommand } from '../lifecycle/audit-command.ts';
import { finishRun } from '../lifecycle/finish-run.ts';
import { botServices } from '../main/open-stores.ts';
import { createLogger } from '../observability/logger.ts';
import { BotMetrics } from '../observability/metrics.ts';

/** A working run's lease, renewed at a quarter of it, as the bot's workers do. */
const LEASE_MS = 2 * 60_000;

export type HeldLogin =
  | { readonly ok: true; finish(ran: readonly PhaseResult[], cancelled?: string): Promise<void> }
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
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  await redis.connect();
  // The bot's stores over this connection; no Slack call is ever made (the run has no Slack place).
  const s = botServices(
    config,
    redis,
    { botToken: 'none' },
    createLogger({ level: 'warn' }),
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
    purpose: 'login',
  };
  const claim = await s.runs.claimEnvironment(run, LEASE_MS);
  if (!claim.ok) {
    redis.disconnect();
    const why =
      'unverified' in claim
        ? `The flag of ${env.name} is unverified: turn it OFF and verify it first (/pc-verify off ${env.name}).`
        : `A run for ${env.name} is going (${claim.holder || 'starting'}): one at a time; try again when it has finished.`;
    return { ok: false, why };
  }
  const detail = `sign-in renewal ${run.id} from the terminal`;
  await auditCommand(s, env.name, user, 'login.start', 'accepted', detail, run.id);
  const renew = setInterval(
    () => void s.runs.renewLease(env.name, run.id, LEASE_MS).catch(() => undefined),
    LEASE_MS / 4,
  );
  return {
    ok: true,
    finish: async (ran, cancelled) => {
      clearInterval(renew);
      try {
        await finishRun(s, run.id, loginReport(s, run, ran, cancelled));
      } finally {
        redis.disconnect();
      }
    },
  };
}
