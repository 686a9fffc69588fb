import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BotWorld } from '../slack/bot-world.ts';
import { ALICE, CHANNEL } from '../slack/bot-world.ts';
import {
  expectVerifiedEnd,
  heldAt,
  kill,
  PHASE3_MOMENTS,
  resetFlagOff,
  SWITCH_OFF_MOMENTS,
  startRun,
  type Tier,
} from './flag-matrix.ts';
import { pollUntil } from './poll.ts';
import type { Served } from './serve-process.ts';
import { useServedWorld } from './served-world.ts';

/**
 * Every step of Phase 3 and of the switch-off stage × {cancel, SIGKILL of the worker and a new
 * one started}, in one tier. Each case starts from the flag verified OFF and leaves it so.
 */
export function defineCrashMatrix(tier: Tier): void {
  // A case is a whole run (and a restart or two): its waits poll against 60 s deadlines of their own.
  vi.setConfig({ testTimeout: 120_000 });
  const served = useServedWorld({ tier });
  let world: BotWorld;
  const bots: Served[] = [];
  const serve = async () => {
    const bot = await served.serve();
    bots.push(bot);
    return bot;
  };
  beforeAll(() => {
    world = served.world;
    world.aad.autoApprove();
  });
  afterEach(async () => {
    world.sim.setFaults({ workerExceptionWhenOn: false });
    await Promise.all(bots.splice(0).map(kill));
  });

  describe.each(PHASE3_MOMENTS)(`${tier}, Phase 3 held %s`, (_what, point, options) => {
    it('cancel: the flag goes OFF again, verified, and the run ends cancelled', async () => {
      const bot = await serve();
      const id = await startRun(world, bot, tier);
      const pause = await heldAt(world, point, options);
      const ack = await world.slash('cancel staging', ALICE, CHANNEL, bot);
      expect(ack.text).toContain(`Cancelling run \`${id}\``);
      // The cancel stops the held step itself (its command killed, its request dropped).
      await pollUntil(() => (pause.isAbandoned() ? true : undefined), { what: 'the held step abandoned' });
      pause.release();
      await expectVerifiedEnd(world, bot, id, 'off', ['cancelled']);
    });

    it('SIGKILL: a new worker resumes from the flag write and verifies ON with a PASS', async () => {
      const first = await serve();
      const id = await startRun(world, first, tier);
      const pause = await heldAt(world, point, options);
      await kill(first);
      pause.release();
      const second = await serve();
      await expectVerifiedEnd(world, second, id, 'on', ['passed']);
      expect((await world.root(id)).thread).toContainEqual(expect.stringContaining('Picked up again'));
      await resetFlagOff(world, second);
    });
  });

  describe.each(SWITCH_OFF_MOMENTS)(`${tier}, switch-off held %s`, (_what, point, options) => {
    if (tier === 'prod') {
      // Prod rolls a failed Phase 3 back: the switch-off stage of a run.
      const heldInRollback = async (bot: Served) => {
        world.sim.setFaults({ workerExceptionWhenOn: true });
        const id = await startRun(world, bot, tier);
        const gate = await heldAt(world, 'sync:before', { flag: true });
        const pause = world.sim.pauseAt(point, options);
        gate.release();
        await pollUntil(() => (pause.isReached() ? true : undefined), {
          timeoutMs: 60_000,
          what: `the rollback held at ${point}`,
        });
        return { id, pause };
      };

      it('cancel: the rollback goes on, the flag ends OFF, verified', async () => {
        const bot = await serve();
        const { id, pause } = await heldInRollback(bot);
        await world.slash('cancel staging', ALICE, CHANNEL, bot);
        pause.release();
        await expectVerifiedEnd(world, bot, id, 'off', ['rolled_back', 'cancelled']);
      });

      it('SIGKILL: a new worker finishes the rollback (never ON again) and verifies OFF', async () => {
        const first = await serve();
        const { id, pause } = await heldInRollback(first);
        await kill(first);
        pause.release();
        const second = await serve();
        await expectVerifiedEnd(world, second, id, 'off', ['rolled_back']);
        // Resumed at the rollback, not at Phase 3: the flag was never written ON again.
        const { thread } = await world.root(id);
        expect(thread.filter((t) => t.includes('*Phase 3* —'))).toHaveLength(1);
      });
    } else {
      // Staging's switch-off is the kill switch (a failed Phase 3 follows rollbackOnFailure: false).
      it('SIGKILL of the kill switch: a new worker switches OFF again and verifies it', async () => {
        const first = await serve();
        const id = await startRun(world, first, tier);
        await expectVerifiedEnd(world, first, id, 'on', ['passed']);
        const pause = world.sim.pauseAt(point, options);
        await world.slash('off staging', ALICE, CHANNEL, first);
        await pollUntil(() => (pause.isReached() ? true : undefined), {
          what: `the kill switch held at ${point}`,
        });
        await kill(first);
        pause.release();
        const second = await serve();
        await pollUntil(
          async () => {
            const record = await world.flags.get('staging' as never);
            return record?.owner.kind === 'kill' && record.observed === 'off' && !record.unverified
              ? true
              : undefined;
          },
          { timeoutMs: 60_000, what: 'the kill switch verified OFF by the new worker' },
        );
        const status = await world.slash('status staging', ALICE, CHANNEL, second);
        expect(status.text).toContain('flag desired *OFF* · observed OFF (verified');
      });
    }
  });
}
