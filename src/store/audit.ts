import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { EnvName } from '../domain/ids.ts';
import { APPEND_AUDIT, APPEND_PENDING_AUDIT } from './audit-scripts.ts';
import { FlagReply, readJson, replyOf } from './codec.ts';
import type { Keys } from './keys.ts';
import { RefusalLog } from './refusal-log.ts';

/** One audit entry: who did what to which run, and whether it was allowed. Never a secret. */
export interface AuditEvent {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly runId?: string;
  readonly outcome: 'accepted' | 'refused' | 'info';
  readonly detail?: string;
}

export interface AuditEntry extends AuditEvent {
  readonly id: string;
  readonly prev: string;
  readonly hash: string;
}

export type AuditVerification =
  | {
      ok: true;
      entries: number;
      /** Set when older entries were trimmed by age: the id of the newest one removed. */
      trimmedThrough?: string;
    }
  | { ok: false; entries: number; brokenAt: string; problem: string };

/** An entry's event as read back; `satisfies` keeps it in step with AuditEvent. */
const AuditEventSchema = z.looseObject({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  runId: z.string().optional(),
  outcome: z.enum(['accepted', 'refused', 'info']),
  detail: z.string().optional(),
}) satisfies z.ZodType<AuditEvent>;

const GENESIS = '0'.repeat(64);

/** How long audit entries are kept when the config does not say (`audit.retain`). */
export const DEFAULT_AUDIT_RETAIN_MS = 400 * 24 * 60 * 60_000;

export interface AuditOptions {
  /** Entries older than this are trimmed (by age only, never by count). Default 400 days. */
  readonly retainMs?: number;
  /** The clock the age is measured on; default the system clock. */
  readonly now?: () => Date;
}

export type AuditRedis = Pick<Redis, 'eval' | 'get' | 'xrange' | 'lindex' | 'multi'>;

/**
 * An append-only stream per environment. Each entry carries the hash of the one before, so a
 * removed or edited entry breaks the chain (`pc-verify audit verify <env>`). Refusals of
 * people not on the environment's lists go to `refusals`, apart from it.
 */
export class AuditLog {
  /** The last pending append per stream (removed when it settles). */
  private readonly appending = new Map<string, Promise<void>>();
  readonly refusals: RefusalLog;
  private readonly retainMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly redis: AuditRedis,
    private readonly keys: Keys,
    options: AuditOptions = {},
  ) {
    this.retainMs = options.retainMs ?? DEFAULT_AUDIT_RETAIN_MS;
    this.now = options.now ?? (() => new Date());
    this.refusals = new RefusalLog(redis, keys);
  }

  /** Stream ids below this are older than the retention (`<ms>-0`). */
  /**
   * Runs an append script on `env`'s stream, head, `more` keys and checkpoint: the entry chained
   * onto `prev` (the hash is computed here, SHA-256; the script appends only if the head is still
   * `prev`), retention trimming what is older than `minId`.
   */
  private async chain(
    script: string,
    name: string,
    env: EnvName,
    prev: string,
    payload: string,
    more: readonly string[] = [],
  ): Promise<z.output<typeof FlagReply>> {
    const keys = [this.keys.audit(env), this.keys.auditHead(env), ...more, this.keys.auditCheckpoint(env)];
    const args = [
      prev,
      payload,
      chainHash(prev, payload),
      this.minId(),
      GENESIS,
      String(this.now().getTime()),
    ];
    return replyOf(FlagReply, await this.redis.eval(script, keys.length, ...keys, ...args), name);
  }

  private minId(): string {
    return `${Math.max(0, this.now().getTime() - this.retainMs)}-0`;
  }

  /**
   * Appends through one AuditLog (one per bot process) go to a stream one after another:
   * concurrent writers would all race for the same head, and under a burst of commands some
   * lost 100 times and failed the command. The compare-and-set in appendNow still settles races
   * with other processes.
   */
  append(env: EnvName, event: AuditEvent): Promise<AuditEntry> {
    const stream = this.keys.audit(env);
    const mine = (this.appending.get(stream) ?? Promise.resolve()).then(() => this.appendNow(env, event));
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.appending.set(stream, settled);
    void settled.then(() => {
      if (this.appending.get(stream) === settled) this.appending.delete(stream);
    });
    return mine;
  }

  /**
   * Moves audit entries queued with a state change (a run's end) into the chain, oldest first,
   * each exactly once. Any process may call it; a crash between a run's end and this leaves the
   * entry queued for the next caller (the reaper calls it on every pass).
   */
  flushPending(env: EnvName): Promise<number> {
    const stream = this.keys.audit(env);
    const mine = (this.appending.get(stream) ?? Promise.resolve()).then(() => this.flushNow(env));
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.appending.set(stream, settled);
    return mine;
  }

  private async flushNow(env: EnvName): Promise<number> {
    let moved = 0;
    for (let attempt = 0; attempt < 200; attempt++) {
      const payload = await this.redis.lindex(this.keys.auditPending(env), 0);
      if (payload === null) return moved;
      const prev = (await this.redis.get(this.keys.auditHead(env))) ?? GENESIS;
      const [done] = await this.chain(APPEND_PENDING_AUDIT, 'appendPendingAudit', env, prev, payload, [
        this.keys.auditPending(env),
      ]);
      if (done === 1) moved++;
      // 0: another writer moved the head; 2: another process moved this entry. Look again.
    }
    return moved;
  }

  private async appendNow(env: EnvName, event: AuditEvent): Promise<AuditEntry> {
    const payload = canonical(event);
    let prev = (await this.redis.get(this.keys.auditHead(env))) ?? GENESIS;
    for (let attempt = 0; attempt < 100; attempt++) {
      const [done, value] = await this.chain(APPEND_AUDIT, 'appendAudit', env, prev, payload);
      if (done === 1) return { ...event, id: value, prev, hash: chainHash(prev, payload) };
      prev = value;
    }
    throw new Error(`audit log of ${env}: too many concurrent writers`);
  }

  async entries(env: EnvName): Promise<AuditEntry[]> {
    const key = this.keys.audit(env);
    const raw = await this.redis.xrange(key, '-', '+');
    return raw.map(([id, fields]) => {
      const map = toMap(fields);
      return {
        ...readJson(AuditEventSchema, map.event ?? '{}', `${key} (entry ${id})`),
        id,
        prev: map.prev ?? '',
        hash: map.hash ?? '',
      };
    });
  }

  /**
   * The stream and its head in one transaction: read one after the other, an entry appended in
   * between (the bot at work) would look like "the newest entries are missing".
   */
  private async snapshot(env: EnvName): Promise<Snapshot> {
    const replies = await this.redis
      .multi()
      .xrange(this.keys.audit(env), '-', '+')
      .get(this.keys.auditHead(env))
      .get(this.keys.auditCheckpoint(env))
      .exec();
    const failed = replies?.find(([error]) => error !== null)?.[0];
    if (!replies || failed) throw failed ?? new Error('the audit read was aborted (EXEC returned nothing)');
    return {
      raw: replies[0]![1] as [string, string[]][],
      head: replies[1]![1] as string | null,
      checkpoint: parseCheckpoint(replies[2]![1] as string | null),
    };
  }

  /**
   * Walks the chain. The oldest entry kept must follow the genesis or the checkpoint of a trim
   * by age; anything else is a gap — entries removed some other way (XDEL, a cap).
   */
  async verify(env: EnvName): Promise<AuditVerification> {
    const { raw, head, checkpoint } = await this.snapshot(env);
    const broken = (brokenAt: string, problem: string): AuditVerification => ({
      ok: false,
      entries: raw.length,
      brokenAt,
      problem,
    });
    const start = checkpoint?.hash ?? GENESIS;
    let expectedPrev = start;
    for (const [index, [id, fields]] of raw.entries()) {
      const map = toMap(fields);
      const prev = map.prev ?? '';
      if (prev !== expectedPrev) {
        if (index > 0) return broken(id, 'an entry before this one is missing or was changed');
        if (prev !== GENESIS)
          return broken(id, 'entries before the oldest kept are missing, and no trim by age was recorded');
      }
      if (chainHash(prev, map.event ?? '') !== map.hash)
        return broken(id, 'this entry was changed after it was written');
      expectedPrev = map.hash ?? '';
    }
    if (head !== null && head !== expectedPrev) {
      const what = raw.length === 0 ? 'the entries are missing' : 'the newest entries are missing';
      return broken('end', what);
    }
    return {
      ok: true,
      entries: raw.length,
      ...(checkpoint && (raw[0] === undefined || toMap(raw[0][1]).prev === checkpoint.hash)
        ? { trimmedThrough: checkpoint.through }
        : {}),
    };
  }
}

interface Snapshot {
  readonly raw: [string, string[]][];
  readonly head: string | null;
  readonly checkpoint: { hash: string; through: string } | undefined;
}

const Checkpoint = z.object({ hash: z.string(), through: z.string() });

/** An unreadable checkpoint counts as none: the chain must then start at the genesis. */
function parseCheckpoint(text: string | null): Snapshot['checkpoint'] {
  if (text === null) return undefined;
  try {
    const parsed = Checkpoint.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function chainHash(prev: string, payload: string): string {
  return createHash('sha256').update(prev).update('\n').update(payload).digest('hex');
}

/** Stable JSON (sorted keys), so the same event always hashes the same. */
export function canonical(event: AuditEvent): string {
  return JSON.stringify(event, Object.keys(event).sort());
}

function toMap(fields: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i]!] = fields[i + 1]!;
  return map;
}
