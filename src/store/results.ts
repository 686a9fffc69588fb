import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { EnvName } from '../domain/ids.ts';
import type { ChangeTicket, Requester, RunReport } from '../domain/run.ts';
import { readJson } from './codec.ts';
import type { Keys } from './keys.ts';

/** What the dashboard and `status`/`history` show of a finished run. */
export interface ResultSummary {
  readonly report: RunReport;
  readonly requester: Requester;
  /** The flag as the run left it, when known. */
  readonly flagOn?: boolean;
  /** The change ticket the run was started with. */
  readonly ticket?: ChangeTicket;
}

/**
 * A result as read back: what every reader relies on is checked (the report's identity, verdict
 * and phases, who asked); the report's remaining fields are written only by `record` and
 * FINISH_RUN, from a RunReport.
 */
const ResultSummarySchema = z.looseObject({
  report: z.looseObject({
    env: z.string(),
    runId: z.string(),
    verdict: z.enum(['PASS', 'FAIL']),
    state: z.string(),
    phases: z.array(z.looseObject({ phase: z.number(), status: z.string(), checks: z.array(z.unknown()) })),
  }),
  requester: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('slack'), userId: z.string() }),
    z.object({ kind: z.literal('cli'), user: z.string() }),
  ]),
  flagOn: z.boolean().optional(),
  ticket: z.object({ id: z.string(), url: z.string().optional() }).optional(),
});

function readSummary(json: string, key: string): ResultSummary {
  return readJson(ResultSummarySchema, json, key) as unknown as ResultSummary;
}

const HISTORY_CAP = 100;
/** Longer than any run lives. */
const RECORDED_TTL_S = 30 * 24 * 3600;

export type ResultsRedis = Pick<Redis, 'multi' | 'get' | 'lrange' | 'smembers' | 'set'>;

/** The latest result and a capped history per environment. */
export class ResultStore {
  constructor(
    private readonly redis: ResultsRedis,
    private readonly keys: Keys,
  ) {}

  async record(summary: ResultSummary): Promise<void> {
    const env = summary.report.env;
    const json = JSON.stringify(summary);
    await this.redis
      .multi()
      .set(this.keys.latest(env), json)
      .lpush(this.keys.history(env), json)
      .ltrim(this.keys.history(env), 0, HISTORY_CAP - 1)
      .sadd(this.keys.envs, env)
      .exec();
  }

  /**
   * Records a run's result unless it was recorded already (two processes may both see a run
   * end: its worker and a reaper). Returns false when it was there already.
   */
  async recordOnce(summary: ResultSummary): Promise<boolean> {
    const first = await this.redis.set(
      this.keys.recorded(summary.report.runId),
      '1',
      'EX',
      RECORDED_TTL_S,
      'NX',
    );
    if (first !== 'OK') return false;
    await this.record(summary);
    return true;
  }

  async latest(env: EnvName): Promise<ResultSummary | undefined> {
    const key = this.keys.latest(env);
    const json = await this.redis.get(key);
    return json ? readSummary(json, key) : undefined;
  }

  /** Newest first. */
  async history(env: EnvName, limit = 10): Promise<ResultSummary[]> {
    const key = this.keys.history(env);
    const items = await this.redis.lrange(key, 0, Math.max(0, limit - 1));
    return items.map((json, i) => readSummary(json, `${key} [${i}]`));
  }
}
