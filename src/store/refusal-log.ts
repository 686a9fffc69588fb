import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { EnvName } from '../domain/ids.ts';
import { RECORD_REFUSAL } from './audit-scripts.ts';
import type { Keys } from './keys.ts';

/** One person's refusals inside a window: the last one, and how many there were. */
export interface Refusal {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly detail: string;
  readonly runId?: string;
}

export interface RefusalEntry extends Refusal {
  readonly id: string;
  readonly count: number;
}

/** One entry per person a minute, whatever they send. */
const WINDOW_MS = 60_000;
/** Refusals only: a cap here cannot push out anything of the audit trail. */
const MAX_ENTRIES = 10_000;

const Event = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  detail: z.string(),
  runId: z.string().optional(),
});

/**
 * Refusals of people who are not on an environment's lists, kept apart from its audit trail and
 * counted rather than repeated: a stranger sending commands in a loop can neither push the
 * trail's entries out nor fill Redis.
 */
export class RefusalLog {
  constructor(
    private readonly redis: Pick<Redis, 'eval' | 'xrange'>,
    private readonly keys: Keys,
  ) {}

  /** Records one refusal; returns how many this person had in the current window. */
  async record(env: EnvName, refusal: Refusal): Promise<number> {
    const count = await this.redis.eval(
      RECORD_REFUSAL,
      2,
      this.keys.auditRefusals(env),
      this.keys.auditRefusalWindow(env, refusal.actor),
      JSON.stringify(refusal),
      String(WINDOW_MS),
      String(MAX_ENTRIES),
    );
    return Number(count);
  }

  async entries(env: EnvName): Promise<RefusalEntry[]> {
    const raw = await this.redis.xrange(this.keys.auditRefusals(env), '-', '+');
    return raw.flatMap(([id, fields]) => {
      const map = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
      const event = Event.safeParse(safeJson(map.get('event')));
      return event.success ? [{ ...event.data, id, count: Number(map.get('count') ?? 1) }] : [];
    });
  }
}

function safeJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
