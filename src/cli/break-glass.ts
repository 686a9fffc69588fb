import { randomBytes } from 'node:crypto';
import type { Config, EnvironmentConfig } from '../config/config.ts';
import type { RedisTarget } from '../config/redis.ts';
import { breakGlassThread } from '../outbox/run-notices.ts';
import { UsageError } from './exit-codes.ts';
import { auditSignIn, holdEnvironment, type TerminalHold } from './login-lock.ts';

export type TerminalAction = 'run' | 'login';

/** The environment held for a break-glass; `signedIn` audits who signed in. */
export type BrokenGlass = Extract<TerminalHold, { ok: true }> & {
  readonly signedIn: ReturnType<typeof auditSignIn>;
};

/** The bot's Redis as the terminal names it: `--redis`, else the config's `redis`, else REDIS_URL. */
export function botRedisOf(
  config: Config,
  flag: string | undefined,
  processEnv: Readonly<Record<string, string | undefined>> = process.env,
): RedisTarget | undefined {
  if (flag) return { kind: 'url', url: flag };
  if (config.redis) return config.redis;
  return processEnv.REDIS_URL ? { kind: 'url', url: processEnv.REDIS_URL } : undefined;
}

/**
 * A terminal has no second person: nothing changes an environment that needs one unless the
 * person says why (`--break-glass "<reason>"`). Then the change is not hidden: it holds the
 * environment's lock in the bot's Redis (so it never races the bot), it is in the audit trail
 * with the OS user and the reason, and the bot asks the approvers in the environment's channel
 * to review it. Refused (exit 2) without a reason or without the bot's Redis.
 */
export async function breakGlass(
  config: Config,
  env: EnvironmentConfig,
  action: TerminalAction,
  reason: string | undefined,
  redis: RedisTarget | undefined,
): Promise<BrokenGlass> {
  const command = action === 'run' ? `pc-verify run ${env.name}` : `pc-verify login ${env.name}`;
  const gate = action === 'run' ? 'requireApproval' : 'loginRequiresApproval';
  const slash = action === 'run' ? `/pc-verify ${env.name}` : `/pc-verify login ${env.name}`;
  if (!reason?.trim()) {
    throw new UsageError(
      `${command} refused: ${env.name} needs a second person's approval for this (policy.${gate}), and a terminal has none. ` +
        `Start it from Slack with \`${slash}\`. In an emergency only: ${command} --break-glass "<reason>" — it takes ${env.name}'s lock in the bot's Redis, is audited with your user name and the reason, and the approvers are asked to review it.`,
    );
  }
  if (!redis) {
    throw new UsageError(
      `${command} --break-glass refused: it must hold ${env.name}'s lock in the bot's Redis and be audited there. Give the bot's Redis with --redis <url>, REDIS_URL or the config's redis.`,
    );
  }
  const held = await holdEnvironment(config, env, redis, action);
  if (!held.ok) throw new UsageError(`${command} refused: ${held.why}`);
  const { s, run, user } = held;
  const id = randomBytes(6).toString('hex');
  const at = s.now().toISOString();
  const why = reason.trim().slice(0, 500);
  await s.breakGlass.record({ id, env: env.name, by: user, reason: why, action, runId: run.id, at });
  await s.audit.append(env.name, {
    at,
    actor: user,
    action: 'break_glass',
    outcome: 'accepted',
    detail: `${command} from a terminal without the approval gate (break-glass ${id}): ${why}`,
    runId: run.id,
  });
  const channel = env.policy.channels[0];
  if (channel) {
    await s.notifier.notify(breakGlassThread(id, channel), {
      kind: 'break_glass',
      env: env.name,
      id,
      by: user,
      reason: why,
      action,
      approvers: env.policy.approvers,
    });
  }
  return { ...held, signedIn: auditSignIn(held) };
}
