import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue, type JobData, jobIdOf } from '../../src/lifecycle/run-queue.ts';
import { heldAt } from '../helpers/flag-matrix.ts';
import { pollUntil } from '../helpers/poll.ts';
import { openRunQueue } from '../helpers/run-queue.ts';
import { type BotWorld, startBotWorld } from '../slack/bot-world.ts';

/*
 * One execution per run: a second job of a run that is being worked on — the
 * reaper's reconcile job racing a stalled job re-queued after a frozen worker — waits for the
 * first instead of running the same phase beside it, both writing the flag.
 */
let world: BotWorld;
let closeQueue: (() => Promise<void>) | undefined;
let queue: Queue<JobData>;

beforeAll(async () => {
  world = await startBotWorld();
  world.aad.autoApprove();
  ({ queue, close: closeQueue } = openRunQueue(world.config.deployment));
});
afterAll(async () => {
  await closeQueue?.();
  await world?.stop();
});

const flagOnChecks = (thread: readonly string[]) => thread.filter((t) => t.includes('`flag.on`')).length;

describe('a second job for a run that a worker is carrying out', () => {
  it('waits until the first has finished, then finds the run ended: Phase 3 runs once', async () => {
    const id = await world.start();
    const pause = await heldAt(world, 'healthz:before', { flag: true });
    const second: JobData = { kind: 'run', runId: id, step: 'reconcile', nonce: 'second' };
    await enqueue(queue, second);
    // The second job was taken and put back to wait: the run is someone else's right now.
    await pollUntil(async () => ((await queue.getJob(jobIdOf(second)))?.attemptsStarted ? true : undefined), {
      timeoutMs: 20_000,
      what: 'the second job to be tried',
    });
    pause.release();
    const run = await world.finished(id, 40_000);
    expect(run.state).toBe('passed');
    await pollUntil(async () => ((await queue.getJob(jobIdOf(second)))?.finishedOn ? true : undefined), {
      timeoutMs: 20_000,
      what: 'the second job to end',
    });
    const { thread } = await world.root(id);
    expect(thread.filter((t) => t.includes('*Phase 3* —'))).toHaveLength(1);
    expect(flagOnChecks(thread)).toBe(1);
    expect(thread.filter((t) => t.includes('Verdict:'))).toHaveLength(1);
  });
});
