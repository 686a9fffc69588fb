import { readFile } from 'node:fs/promises';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  expectVerifiedEnd,
  heldAt,
  kill,
  PHASE3_MOMENTS,
  resetFlagOff,
  startRun,
} from '../helpers/flag-matrix.ts';
import { pollUntil } from '../helpers/poll.ts';
import type { Served } from '../helpers/serve-process.ts';
import { useServedWorld } from '../helpers/served-world.ts';
import { type BotWorld, STAGING } from '../slack/bot-world.ts';

/*
 * The job lock lost: the worker running prod's Phase 3 is frozen (SIGSTOP, as a long
 * GC pause or a paused VM) past its job lock. Another worker takes the job over and finishes the
 * run; the frozen one, woken, must not act on the flag again.
 */
// A case is a whole run and a take-over: its waits poll against deadlines of their own.
vi.setConfig({ testTimeout: 120_000 });
const served = useServedWorld({ tier: 'prod' });
let world: BotWorld;
const bots: Served[] = [];
beforeAll(() => {
  world = served.world;
  world.aad.autoApprove();
});
afterEach(async () => {
  for (const bot of bots) bot.child.kill('SIGCONT');
  await Promise.all(bots.splice(0).map(kill));
});

const serve = async () => {
  const bot = await served.serve();
  bots.push(bot);
  return bot;
};

describe.each(PHASE3_MOMENTS.filter(([, point]) => point === 'apply:before' || point === 'healthz:before'))(
  'prod, Phase 3 held %s, its worker frozen past the job lock',
  (_what, point, options) => {
    it('another worker finishes the run verified ON; the frozen one, woken, fences itself and writes nothing', async () => {
      const frozen = await serve();
      const id = await startRun(world, frozen, 'prod');
      const pause = await heldAt(world, point, options);
      frozen.child.kill('SIGSTOP');
      pause.release();
      const other = await serve();
      const run = await expectVerifiedEnd(world, other, id, 'on', ['passed']);
      const record = await world.flags.get(STAGING);
      const envText = await readFile(world.sim.envFile, 'utf8');
      const calls = world.sim.composeCalls().length;

      frozen.child.kill('SIGCONT');
      await pollUntil(
        () => (/self-fencing|could not renew its hold/.test(frozen.output()) ? true : undefined),
        {
          timeoutMs: 20_000,
          what: 'the woken worker to fence itself',
        },
      );
      expect(await world.flags.get(STAGING)).toEqual(record);
      expect(await readFile(world.sim.envFile, 'utf8')).toBe(envText);
      expect(
        world.sim
          .composeCalls()
          .slice(calls)
          .filter((argv) => argv.includes('restart')),
      ).toEqual([]);
      expect((await world.runs.get(id))?.state).toBe(run.state);
      await resetFlagOff(world, other);
    });
  },
);
