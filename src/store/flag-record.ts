import type { Redis } from 'ioredis';
import { z } from 'zod';
import { type EnvName, RunIdSchema } from '../domain/ids.ts';
import { readJson, readJsonOrNone } from './codec.ts';
import { MARK_FLAG_UNVERIFIED, RECORD_FLAG_INTENT, RECORD_FLAG_OBSERVED } from './flag-scripts.ts';
import type { Keys } from './keys.ts';

const OwnerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), runId: RunIdSchema }),
  z.object({ kind: z.literal('kill'), offId: z.string().min(1) }),
]);
export type FlagOwner = z.infer<typeof OwnerSchema>;

/**
 * The flag of one environment as desired and as last observed (docs/architecture.md, the flag record): a controller's
 * desired/observed pair. Written before the env file is touched and after each health check,
 * so whoever picks up an interrupted run knows what may have happened to the flag.
 */
export const FlagRecordSchema = z.object({
  desired: z.enum(['on', 'off']),
  owner: OwnerSchema,
  /** A Slack user id (`U…`) or a CLI user name: who caused the intent. */
  by: z.string(),
  observed: z.enum(['on', 'off', 'unknown']),
  intentAt: z.string(),
  verifiedAt: z.string().optional(),
  /** Reconciliation could not verify the flag: only the kill switch may act until it is. */
  unverified: z.object({ since: z.string(), why: z.string() }).optional(),
});
export type FlagRecord = z.infer<typeof FlagRecordSchema>;

export type FlagRedis = Pick<Redis, 'get' | 'eval'>;

export function ownerKey(owner: FlagOwner): string {
  return owner.kind === 'run' ? `run:${owner.runId}` : `kill:${owner.offId}`;
}

export class FlagRecordStore {
  constructor(
    private readonly redis: FlagRedis,
    private readonly keys: Keys,
  ) {}

  /** The intent, before the env file is written; false when the run no longer holds the environment (fenced). */
  async recordIntent(
    env: EnvName,
    intent: { desired: 'on' | 'off'; owner: FlagOwner; by: string; at: string },
  ): Promise<boolean> {
    const record: FlagRecord = {
      desired: intent.desired,
      owner: intent.owner,
      by: intent.by,
      observed: 'unknown',
      intentAt: intent.at,
    };
    const runId = intent.owner.kind === 'run' ? intent.owner.runId : '';
    const reply = await this.redis.eval(
      RECORD_FLAG_INTENT,
      2,
      this.keys.flag(env),
      this.keys.lock(env),
      JSON.stringify(record),
      runId,
    );
    return reply === 1;
  }

  /** What a health check saw; ignored unless `owner` still owns the intent. */
  async recordObserved(env: EnvName, owner: FlagOwner, observed: 'on' | 'off', at: string): Promise<boolean> {
    return this.#asOwner(RECORD_FLAG_OBSERVED, env, owner, observed, at);
  }

  async markUnverified(env: EnvName, owner: FlagOwner, since: string, why: string): Promise<boolean> {
    return this.#asOwner(MARK_FLAG_UNVERIFIED, env, owner, since, why);
  }

  /** A script that changes the record only for the owner of its intent (see OWNED_RECORD): true when it did. */
  async #asOwner(script: string, env: EnvName, owner: FlagOwner, ...args: string[]): Promise<boolean> {
    return (await this.redis.eval(script, 1, this.keys.flag(env), ownerKey(owner), ...args)) === 1;
  }

  /** Validated on the way in: a record that does not parse is reported, never trusted. */
  async get(env: EnvName): Promise<FlagRecord | undefined> {
    const key = this.keys.flag(env);
    const json = await this.redis.get(key);
    if (!json) return undefined;
    const legacy = readJsonOrNone(LegacyFlagState, json);
    if (legacy) return fromLegacy(legacy);
    return readJson(
      FlagRecordSchema,
      json,
      `${key} (the flag record of ${env})`,
      `run \`/pc-verify off ${env}\` to write a fresh one`,
    );
  }
}

/** What versions before the flag record kept: the flag as last set and verified, by whom, via what. */
const LegacyFlagState = z.object({ on: z.boolean(), at: z.string(), by: z.string(), via: z.string() });

/** An upgraded deployment's last known flag: verified then, and owned by no run that could resume. */
function fromLegacy(old: z.infer<typeof LegacyFlagState>): FlagRecord {
  const state = old.on ? 'on' : 'off';
  return {
    desired: state,
    observed: state,
    owner: { kind: 'kill', offId: 'before-upgrade' },
    by: old.by,
    intentAt: old.at,
    verifiedAt: old.at,
  };
}
