import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunId } from '../../src/domain/ids.ts';
import { pollUntil } from '../helpers/poll.ts';
import { startRunAt as startRunAtServe } from '../helpers/serve-process.ts';
import { useServedWorld } from '../helpers/served-world.ts';
import { ALICE, type BotWorld, CHANNEL, SECRET } from '../slack/bot-world.ts';

// A case is a whole run and a take-over by another process: its waits poll against
// deadlines of their own (up to 25 s each), which a 30 s test timeout would cut short under
// load, leaving the run going into the next case.
vi.setConfig({ testTimeout: 120_000 });
const served = useServedWorld();
let world: BotWorld;
beforeAll(() => {
  world = served.world;
});
const serve = () => served.serve();

function startRunAt(url: string): Promise<RunId> {
  return startRunAtServe(url, {
    text: 'staging',
    userId: ALICE,
    channelId: CHANNEL,
    secret: SECRET,
    slack: world.slack.api,
  });
}

async function waitingForLogin(id: RunId): Promise<string> {
  const code = await world.nextCode();
  await world.waitForRun(id, (r) => r.state === 'awaiting_login', 'the login wait');
  await pollUntil(
    () => world.slack.api.messages(world.slack.api.dmOf(ALICE)).find((m) => m.text?.includes(code)),
    {
      what: 'the DM with the code',
    },
  );
  return code;
}

describe('a bot process that stops while a run waits for the sign-in', () => {
  it('is killed (SIGKILL): another process picks the run up, voids the old code, sends a new one and finishes it', async () => {
    const first = await serve();
    const id = await startRunAt(first.url);
    const oldCode = await waitingForLogin(id);
    first.child.kill('SIGKILL');
    await first.child;

    await world.startBot();
    const newCode = await world.nextCode();
    expect(newCode).not.toBe(oldCode);
    world.aad.approve(newCode);
    const run = await world.finished(id, 25_000);
    expect(run.state).toBe('passed');

    const { thread } = await world.root(id);
    expect(thread).toContainEqual(
      expect.stringContaining(
        `Picked up again (the worker running it stopped, or lost its hold during a Redis outage): Phase 2 starts again from its beginning. The earlier sign-in code is void; a new one goes to <@${ALICE}> in DM.`,
      ),
    );
    // Phases 0 and 1 had passed: they are kept, not run again.
    expect(thread.filter((t) => t.includes('*Phase 0*'))).toHaveLength(1);
    expect(thread.filter((t) => t.includes('*Phase 2*'))).toHaveLength(2);
    const dms = world.slack.api.messages(world.slack.api.dmOf(ALICE));
    expect(dms.map((m) => m.text)).toEqual([
      'pc-verify staging: sign-in void: the bot restarted before the sign-in finished; a new code follows',
      'pc-verify staging: sign-in done',
    ]);
    const channel = JSON.stringify(world.slack.api.calls().filter((c) => c.args.channel === CHANNEL));
    expect(channel).not.toContain(oldCode);
    expect(channel).not.toContain(newCode);
    expect(first.output()).not.toContain(oldCode);
  });

  it('is stopped (SIGTERM): it exits at once and hands the run back; the next worker goes on without waiting for a lock to expire', async () => {
    await Promise.all(world.bots.splice(0).map((b) => b.stop()));
    world.logs.length = 0;
    // A grace longer than any test: a process that waited for it, instead of handing the login
    // wait back at once, would not exit within the test's time.
    const second = await served.serve({ PCV_SHUTDOWN_GRACE: '30m' });
    const id = await startRunAt(second.url);
    const oldCode = await waitingForLogin(id);
    second.child.kill('SIGTERM');
    const exited = await second.child;
    expect(exited.exitCode).toBe(0);
    expect((await world.runs.get(id))?.state).toBe('awaiting_login');
    const handedBack = (
      await world.rootWhen(id, (r) => r.thread.some((t) => t.includes('This bot process is shutting down')))
    ).thread;
    expect(handedBack).toContainEqual(
      expect.stringContaining('This bot process is shutting down: Phase 2 goes back to the queue'),
    );

    await world.startBot({ tuning: { lockDurationMs: 30_000, stalledIntervalMs: 30_000 } });
    const newCode = await world.nextCode();
    expect(newCode).not.toBe(oldCode);
    world.aad.approve(newCode);
    expect((await world.finished(id, 20_000)).state).toBe('passed');
    expect(second.output()).toContain('"msg":"stopped"');
    expect(world.logs.join('\n')).not.toContain('job stalled');
  });
});
