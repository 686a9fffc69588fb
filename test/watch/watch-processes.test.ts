import { readFile, writeFile } from 'node:fs/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { bullPrefix } from '../../src/lifecycle/run-queue.ts';
import type { FlagRecord } from '../../src/store/flag-record.ts';
import { keysFor } from '../../src/store/keys.ts';
import { WatchStore } from '../../src/store/watch.ts';
import { watchQueueName } from '../../src/watch/scheduler.ts';
import { pollUntil } from '../helpers/poll.ts';
import { useServedWorld } from '../helpers/served-world.ts';
import { REDIS_URL } from '../helpers/services.ts';
import { compose } from '../sim/helpers/hunter.ts';
import { STAGING } from '../slack/bot-world.ts';

const INTERVAL_MS = 1_000;
const served = useServedWorld({ watch: { interval: `${INTERVAL_MS}ms` } });
const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
afterAll(() => connection.disconnect());

/** What a passed run leaves: the flag ON in `.env` (applied) and pc-verify's record of it. */
async function flagOnByPcVerify(): Promise<void> {
  const { world } = served;
  const text = await readFile(world.sim.envFile, 'utf8');
  await writeFile(
    world.sim.envFile,
    text.replace('HUNTER_PARTNER_CENTER_ENABLED=false', 'HUNTER_PARTNER_CENTER_ENABLED=true'),
  );
  await world.sim.restart();
  const at = new Date().toISOString();
  const record: FlagRecord = {
    desired: 'on',
    owner: { kind: 'run', runId: 'rwatchtest01' as never },
    by: 'U0ALICE0001',
    observed: 'on',
    intentAt: at,
    verifiedAt: at,
  };
  await world.redis.set(keysFor(world.config.deployment).flag(STAGING), JSON.stringify(record));
}

async function healthzGets(): Promise<number> {
  const log = (await compose(served.world.sim, ['logs', '--no-log-prefix', 'api'])).stdout;
  return (log.match(/"GET \/healthz HTTP\/1\.1"/g) ?? []).length;
}

describe('the watch in two bot processes', () => {
  it('probes each environment once per interval, whichever process takes the job', async () => {
    const { world } = served;
    await flagOnByPcVerify();
    const watch = new WatchStore(world.redis, keysFor(world.config.deployment));
    await Promise.all([served.serve(), served.serve()]);
    const first = await pollUntil(
      async () => ((await watch.get(STAGING))?.probes ? watch.get(STAGING) : undefined),
      {
        timeoutMs: 30_000,
        what: 'a first probe',
      },
    );
    const getsBefore = await healthzGets();
    const later = await pollUntil(
      async () => {
        const state = await watch.get(STAGING);
        return state && state.probes >= (first?.probes ?? 0) + 6 ? state : undefined;
      },
      { timeoutMs: 30_000, what: 'six more probes' },
    );
    const getsAfter = await healthzGets();
    // Each probe reads /healthz once; a probe of a second process in the same interval would show here.
    expect(getsAfter - getsBefore).toBeGreaterThanOrEqual(later.probes - (first?.probes ?? 0) - 1);
    expect(getsAfter - getsBefore).toBeLessThanOrEqual(later.probes - (first?.probes ?? 0) + 1);

    const queue = new Queue(watchQueueName(world.config.deployment), {
      connection,
      prefix: bullPrefix(world.config.deployment),
    });
    try {
      const jobs = await queue.getJobs(['completed'], 0, 200);
      const probed = jobs
        .filter((j) => j.returnvalue === 'probed')
        .sort((a, b) => (a.processedOn ?? 0) - (b.processedOn ?? 0));
      expect(new Set(jobs.map((j) => j.processedBy)).size).toBe(2);
      expect(probed.length).toBeGreaterThanOrEqual(6);
      // Never two probes of one environment inside half an interval, across both processes.
      for (let i = 1; i < probed.length; i++) {
        expect((probed[i]!.processedOn ?? 0) - (probed[i - 1]!.processedOn ?? 0)).toBeGreaterThanOrEqual(
          // The rule is on the probe's own clock, read a moment after the job became active.
          INTERVAL_MS / 2 - 100,
        );
      }
    } finally {
      await queue.close();
    }
  });
});
