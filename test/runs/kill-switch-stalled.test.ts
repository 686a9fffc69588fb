import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { pollUntil } from '../helpers/poll.ts';
import { openRunQueue } from '../helpers/run-queue.ts';
import { answerAt, type Served } from '../helpers/serve-process.ts';
import { useServedWorld } from '../helpers/served-world.ts';
import { BOB, CHANNEL, SECRET, STAGING } from '../slack/bot-world.ts';

/*
 * A kill switch whose worker is killed (SIGKILL) mid-attempt, again and again: BullMQ calls the
 * job "stalled" and, past its worker's maxStalledCount, would fail it for good with only a log
 * line. A kill switch keeps going until the flag is verified OFF, and says each stop.
 */

// Four `serve` processes one after another, each waiting for the last one's job lock to lapse.
vi.setConfig({ testTimeout: 180_000 });
const served = useServedWorld();

/** More stops than the worker's old limit (maxStalledCount 2) allowed. */
const KILLS = 3;

describe('a kill switch whose worker is killed in the middle of it, more often than BullMQ allows a stall', () => {
  it('is taken up again every time, says each stop in its thread (counted), and ends verified OFF', async () => {
    const world = served.world;
    const on = (await readFile(world.sim.envFile, 'utf8')).replace(
      /^HUNTER_PARTNER_CENTER_ENABLED=.*$/m,
      'HUNTER_PARTNER_CENTER_ENABLED=true',
    );
    await writeFile(world.sim.envFile, on);
    const { queue, close } = openRunQueue(world.config.deployment);
    try {
      // Held where the switch restarts Hunter with the flag OFF in the file: killed there, exactly.
      let held = world.sim.pauseAt('apply:before', { flag: false });
      let bot: Served = await served.serve();
      const accepted = await answerAt(bot.url, {
        text: 'off staging',
        userId: BOB,
        channelId: CHANNEL,
        secret: SECRET,
        slack: world.slack.api,
      });
      expect(accepted).toContain('staging');
      for (let kill = 1; kill <= KILLS; kill++) {
        await held.reached;
        bot.child.kill('SIGKILL');
        await bot.child;
        const next = kill < KILLS ? world.sim.pauseAt('apply:before', { flag: false }) : undefined;
        // The restart the dead worker asked for completes anyway, as a real daemon's would.
        held.release();
        if (next) held = next;
        bot = await served.serve();
      }

      const job = await pollUntil(
        async () => {
          const [failed] = await queue.getFailed();
          if (failed) throw new Error(`the kill-switch job failed for good: ${failed.failedReason}`);
          return (await queue.getCompleted()).find((j) => j.data.kind === 'off');
        },
        { timeoutMs: 60_000, what: 'the kill-switch job to complete after its stalls' },
      );
      // At least our kills: a process starved of CPU past its short test lock may add a stall.
      expect(job.stalledCounter).toBeGreaterThanOrEqual(KILLS);

      const stops = (ts: string) =>
        world.slack.api
          .thread(CHANNEL, ts)
          .map((m) => m.text ?? '')
          .filter((t) => /Kill switch attempt \d+ in staging stopped before it finished/.test(t));
      // The notifier posts after the job ended: wait for the root's outcome and every stop said.
      const { root, notes } = await pollUntil(
        () => {
          const found = world.slack.api.messages(CHANNEL).find((m) => m.text?.includes('Kill switch by'));
          const said = found ? stops(found.ts) : [];
          return found?.text?.includes('the Partner Center flag is OFF') && said.length >= KILLS
            ? { root: found, notes: said }
            : undefined;
        },
        { what: 'the switch’s root message verified OFF and its stops in the thread' },
      );
      expect(root.text).toContain('verified with /healthz');
      const attempts = notes.map((t) => Number(/attempt (\d+)/.exec(t)?.[1]));
      expect(attempts).toEqual(attempts.map((_, i) => i + 1));
      expect(notes[0]).not.toContain(`<@${BOB}>`);
      expect(notes.slice(1).every((t) => t.includes(`<@${BOB}>`))).toBe(true);

      const flag = await world.flags.get(STAGING);
      expect(flag).toMatchObject({ desired: 'off', observed: 'off' });
      expect(flag?.unverified).toBeFalsy();
      expect(await readFile(world.sim.envFile, 'utf8')).toMatch(/^HUNTER_PARTNER_CENTER_ENABLED=false$/m);
      // The process that took the last stop said it and counted it.
      const ops = /\/metrics on (http:\/\/\S+)/.exec(bot.output())?.[1];
      const metrics = await (await fetch(`${ops}/metrics`)).text();
      expect(metrics).toMatch(/^pcv_kill_switch_failures_total\{env="staging"\} [1-9]\d*$/m);
    } finally {
      await close();
    }
  });
});
