import { describe, expect, it } from 'vitest';
import type { RunId } from '../../src/domain/ids.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { useRedisKeys } from '../helpers/store.ts';

/* One job execution per run: the hold an execution takes on a run, and renews. */
const ctx = useRedisKeys('pcv_work');
const store = () => new RunStore(ctx.redis, ctx.keys);
const RUN = 'rworkhold01' as RunId;

describe('the hold one execution has on a run', () => {
  it('is refused to a second execution while the first holds it, and free once released', async () => {
    const s = store();
    expect(await s.claimWork(RUN, 'first', 60_000)).toBe(true);
    expect(await s.claimWork(RUN, 'second', 60_000)).toBe(false);
    await s.releaseWork(RUN, 'second');
    expect(await s.claimWork(RUN, 'second', 60_000)).toBe(false);
    await s.releaseWork(RUN, 'first');
    expect(await s.claimWork(RUN, 'second', 60_000)).toBe(true);
    await s.releaseWork(RUN, 'second');
  });

  it('is not taken back by a renewal once it lapsed: the execution that lost it learns so', async () => {
    const s = store();
    expect(await s.claimWork(RUN, 'stalled', 60_000)).toBe(true);
    expect(await s.renewWork(RUN, 'stalled', 60_000)).toBe(true);
    // Lapsed (as after a long stall), then taken and let go by another execution.
    await ctx.redis.del(ctx.keys.working(RUN));
    expect(await s.claimWork(RUN, 'other', 60_000)).toBe(true);
    await s.releaseWork(RUN, 'other');
    expect(await s.renewWork(RUN, 'stalled', 60_000)).toBe(false);
    expect(await ctx.redis.exists(ctx.keys.working(RUN))).toBe(0);
  });
});
