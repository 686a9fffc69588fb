import type { Redis } from 'ioredis';
import { type EnvName, type RunId, RunIdSchema } from '../domain/ids.ts';
import type { Keys } from './keys.ts';

/** Deletes the record only while it still names this run: a newer staging is never forgotten. */
const CLEAR_IF_RUN = `if redis.call('HGET', KEYS[1], 'runId') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export type StagedSignInRedis = Pick<Redis, 'multi' | 'hget' | 'hsetnx' | 'eval'>;

/**
 * Which run's sign-in may wait in an environment's `.token_cache.pending`: written before the
 * file is, removed once the file is gone (promoted by the approved run, or deleted after any
 * other end). A run that ends while this still names it left an unapproved account's refresh
 * token in the api container, whichever process ended it and even when its worker died between
 * writing the file and recording that it had (lifecycle/leftover-sign-in.ts).
 */
export class StagedSignInStore {
  constructor(
    private readonly redis: StagedSignInRedis,
    private readonly keys: Keys,
  ) {}

  #key(env: EnvName): string {
    return `${this.keys.prefix}:staged-sign-in:${env}`;
  }

  /** Before the staged file is written; a new staging replaces whatever an earlier run left. */
  async mark(env: EnvName, runId: RunId): Promise<void> {
    const key = this.#key(env);
    await this.redis.multi().del(key).hset(key, 'runId', runId).exec();
  }

  async runOf(env: EnvName): Promise<RunId | undefined> {
    const id = RunIdSchema.safeParse(await this.redis.hget(this.#key(env), 'runId'));
    return id.success ? id.data : undefined;
  }

  /** The file is gone: true when this call removed the record (it still named `runId`). */
  async clear(env: EnvName, runId: RunId): Promise<boolean> {
    return Number(await this.redis.eval(CLEAR_IF_RUN, 1, this.#key(env), runId)) === 1;
  }

  /** True the first time a removal of this staging failed: it is said once, tried again quietly. */
  async firstFailure(env: EnvName): Promise<boolean> {
    return (await this.redis.hsetnx(this.#key(env), 'failedOnce', '1')) === 1;
  }
}
