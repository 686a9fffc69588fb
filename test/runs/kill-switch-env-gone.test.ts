import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvName } from '../../src/domain/ids.ts';
import { enqueue } from '../../src/lifecycle/run-queue.ts';
import { pollUntil } from '../helpers/poll.ts';
import { openRunQueue } from '../helpers/run-queue.ts';
import { BOB, type BotWorld, CHANNEL, startBotWorld } from '../slack/bot-world.ts';

let world: BotWorld;
beforeAll(async () => {
  world = await startBotWorld();
});
afterAll(async () => {
  await world?.stop();
});

/** An environment the configuration once had: its kill switch was queued before it was removed. */
const RETIRED = 'retired' as EnvName;

describe('a kill switch whose environment was removed from the configuration', () => {
  it('fails once, not retried, with a log line, an audit entry and a thread that say so', async () => {
    const { queue, close } = openRunQueue(world.config.deployment);
    try {
      await enqueue(queue, { kind: 'off', offId: 'offretired01', env: RETIRED, by: BOB, channel: CHANNEL });
      const job = await pollUntil(
        async () => {
          const found = await queue.getJob('off-offretired01');
          return found && (await found.getState()) === 'failed' ? found : undefined;
        },
        { timeoutMs: 20_000, what: 'the kill-switch job to fail for good' },
      );
      expect(job.attemptsMade).toBe(1);
      expect(job.failedReason).toContain('no longer configured');

      const root = await pollUntil(
        () =>
          world.slack.api
            .messages(CHANNEL)
            .find((m) => m.text?.includes('could NOT confirm the flag is OFF') && m.text.includes(RETIRED)),
        { what: 'the switch’s root message' },
      );
      const note = await pollUntil(
        () =>
          world.slack.api
            .thread(CHANNEL, root.ts)
            .find((m) => m.text?.includes('The kill switch did not run')),
        { what: 'the note in the switch’s thread' },
      );
      expect(note.text).toContain("retired is no longer in pc-verify's configuration");
      expect(note.text).toContain('It is not tried again');
      expect(note.text).toContain(`<@${BOB}>`);

      const trail = await world.audit.entries(RETIRED);
      expect(trail).toEqual([
        expect.objectContaining({ action: 'flag.off.done', outcome: 'refused', actor: BOB }),
      ]);
      expect(world.logs.join('')).toContain('kill switch for an environment no longer configured');
      // Not tried again: one failure, and the job stays failed rather than waiting in `delayed`.
      expect(await job.getState()).toBe('failed');
    } finally {
      await close();
    }
  });
});
