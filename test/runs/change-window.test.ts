import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHomeOpenedBody, blockActionsBody, postSigned, triggerId } from '../../sim/slack/sign.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { APPROVE_ACTION } from '../../src/slack/views/approval.ts';
import { pollUntil } from '../helpers/poll.ts';
import { ALICE, BOB, type BotWorld, CHANNEL, SECRET, STAGING, startBotWorld } from '../slack/bot-world.ts';

/**
 * A fixed-offset zone (no DST) in which it is about 10:00 now, so a window at 12:00–13:00 is
 * closed when the run starts and opens when the test moves the bots' clock past its edge.
 */
function zoneAtTen(now: Date): string {
  let offset = (((10 - now.getUTCHours()) % 24) + 24) % 24;
  if (offset > 14) offset -= 24;
  // Etc/GMT names count the other way: Etc/GMT-3 is UTC+3.
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

function approve(world: BotWorld, id: RunId, messageTs: string) {
  return postSigned(
    `${world.bot.url}/slack/events`,
    blockActionsBody({
      userId: BOB,
      channelId: CHANNEL,
      messageTs,
      actionId: APPROVE_ACTION,
      value: id,
      triggerId: triggerId(),
    }),
    { secret: SECRET },
  );
}

const requestText = (world: BotWorld, ts: string) =>
  JSON.stringify(world.slack.api.message(CHANNEL, ts)?.blocks);

describe('a change window', () => {
  let world: BotWorld;
  const zone = zoneAtTen(new Date());
  beforeAll(async () => {
    world = await startBotWorld({
      tier: 'prod',
      // turn-off: no run leaves the flag ON, so none needs the outage confirmation.
      policy: { approvalTtl: '1h', afterPass: 'turn-off', windows: [`Mon-Sun 12:00-13:00 ${zone}`] },
    });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('verifies Phases 0–2 outside it, waits once approved, and starts Phase 3 by itself when the clock crosses its edge', async () => {
    const { id, messageTs } = await world.awaitingApproval();
    const asked = (await world.runs.get(id))!;
    expect(asked.phases.map((p) => [p.phase, p.status])).toEqual([
      [0, 'pass'],
      [1, 'pass'],
      [2, 'pass'],
    ]);
    // The request says when the window opens, in the window's zone.
    await pollUntil(
      () => (requestText(world, messageTs).includes('Outside the change window') ? true : undefined),
      {
        what: 'the window note in the approval request',
      },
    );
    expect(requestText(world, messageTs)).toContain(`12:00 PM (${zone})`);

    await approve(world, id, messageTs);
    const waiting = await world.waitForRun(
      id,
      (r) => r.state === 'awaiting_window',
      'the run to wait for its window',
    );
    expect(waiting.phases.some((p) => p.phase === 3)).toBe(false);
    const opensAt = Date.parse(waiting.windowOpensAt!);
    expect(opensAt).toBeGreaterThan(world.clock.now().getTime());
    const told = await world.rootWhen(id, (r) =>
      r.thread.some((t) => t.includes('Phase 3 waits for the change window')),
    );
    // The decision does not promise Phase 3 now.
    expect(told.thread).toContainEqual(
      expect.stringContaining(
        `Approved by <@${BOB}>: Phase 3 turns the flag ON when the change window opens.`,
      ),
    );
    expect(told.thread.join('\n')).not.toContain('Phase 3 turns the flag ON now');
    // Nothing takes it for lost while it waits: the reaper passes (every 500 ms here) leave it be.
    const status = await world.slash('status staging');
    expect(status.text).toContain('waiting for the change window to open');
    expect(status.text).toContain(`change window: closed, opens`);
    expect((await world.runs.get(id))?.state).toBe('awaiting_window');
    expect(await world.runs.lockHolder(STAGING)).toBe(id);
    const metrics = await (await fetch(`${world.bot.opsUrl}/metrics`)).text();
    expect(metrics).toContain('pcv_waiting_runs{env="staging",state="awaiting_window"} 1');

    // The clock crosses the window's edge: the run resumes by itself and passes.
    world.clock.advance(opensAt - world.clock.now().getTime() + 1_000);
    const done = await world.finished(id, 60_000);
    expect(done.state).toBe('passed');
    expect(done.phases.find((p) => p.phase === 3)?.status).toBe('pass');
    const thread = (await world.root(id)).thread;
    expect(thread.some((t) => t.includes('The change window is open: Phase 3 starts now.'))).toBe(true);
    const audited = (await world.audit.entries(STAGING)).map((e) => e.action);
    expect(audited).toEqual(expect.arrayContaining(['window.wait', 'window.opened']));
  }, 180_000);

  it('resumes a waiting run after the bot that approved it is gone: another process takes it at the opening', async () => {
    // Past 13:00: the window is closed again until tomorrow.
    world.clock.advance(65 * 60_000);
    const { id, messageTs } = await world.awaitingApproval();
    await approve(world, id, messageTs);
    const waiting = await world.waitForRun(id, (r) => r.state === 'awaiting_window', 'the run to wait again');
    await world.bot.stop();
    // A new process, after the first one is gone (the run holds no job and no worker meanwhile).
    await world.startBot({ role: 'worker' });
    world.clock.advance(Date.parse(waiting.windowOpensAt!) - world.clock.now().getTime() + 1_000);
    expect((await world.finished(id, 60_000)).state).toBe('passed');
  }, 180_000);
});

describe('a change window without an approval gate', () => {
  let world: BotWorld;
  const zone = zoneAtTen(new Date());
  beforeAll(async () => {
    world = await startBotWorld({
      tier: 'staging',
      policy: { afterPass: 'turn-off', windows: [`Mon-Sun 12:00-13:00 ${zone}`] },
    });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('stops after Phase 2, says when the window opens, and goes on at its edge', async () => {
    const id = await world.start();
    world.aad.approve(await world.nextCode());
    const waiting = await world.waitForRun(
      id,
      (r) => r.state === 'awaiting_window',
      'the run to wait',
      30_000,
    );
    expect(waiting.phases.map((p) => p.phase)).toEqual([0, 1, 2]);
    await world.rootWhen(id, (r) => r.thread.some((t) => t.includes(`12:00 PM (${zone})`)));
    world.clock.advance(Date.parse(waiting.windowOpensAt!) - world.clock.now().getTime() + 1_000);
    const done = await world.finished(id, 60_000);
    expect(done.state).toBe('passed');
  }, 120_000);
});

describe('a freeze', () => {
  let world: BotWorld;
  beforeAll(async () => {
    const now = Date.now();
    world = await startBotWorld({
      tier: 'prod',
      policy: {
        approvalTtl: '1h',
        afterPass: 'turn-off',
        freezes: [
          {
            from: new Date(now - 3_600_000).toISOString(),
            to: new Date(now + 7 * 24 * 3_600_000).toISOString(),
            reason: 'Quarter close <!channel>',
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('shows the freeze in status and App Home', async () => {
    expect((await world.slash('status staging')).text).toContain('freeze until');
    const body = appHomeOpenedBody({
      userId: ALICE,
      channelId: world.slack.api.dmOf(ALICE),
      botUserId: world.slack.api.identity.botUserId,
    });
    expect((await postSigned(`${world.bot.url}/slack/events`, body, { secret: SECRET })).status).toBe(200);
    const home = await pollUntil(
      () => {
        const text = JSON.stringify(world.slack.api.homeView(ALICE) ?? '');
        return text.includes('freeze until') ? text : undefined;
      },
      { what: 'the freeze on App Home' },
    );
    expect(home).toContain('Quarter close &lt;!channel&gt;');
    expect(home).toContain('change window: closed, opens');
  }, 60_000);

  it('holds an approved run; cancel ends it while it waits', async () => {
    const { id, messageTs } = await world.awaitingApproval();
    await pollUntil(
      () => (requestText(world, messageTs).includes('Change freeze until') ? true : undefined),
      {
        what: 'the freeze in the approval request',
      },
    );
    // The freeze's reason is text, never a mention.
    expect(requestText(world, messageTs)).toContain('Quarter close &lt;!channel&gt;');
    await approve(world, id, messageTs);
    await world.waitForRun(id, (r) => r.state === 'awaiting_window', 'the run to wait for the freeze');
    const ack = await world.slash('cancel staging');
    expect(ack.text).toContain('Cancelled run');
    expect((await world.finished(id)).state).toBe('cancelled');
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
  }, 120_000);

  it('never limits the kill switch: a run waiting in the freeze is cancelled and the flag verified OFF', async () => {
    const { id, messageTs } = await world.awaitingApproval();
    await approve(world, id, messageTs);
    await world.waitForRun(id, (r) => r.state === 'awaiting_window', 'the run to wait for the freeze');
    const ack = await world.slash('off staging', ALICE);
    expect(ack.text).toContain('Kill switch');
    expect((await world.finished(id)).state).toBe('cancelled');
    await pollUntil(
      async () => {
        const record = await world.flags.get(STAGING);
        return record?.owner.kind === 'kill' && record.observed === 'off' ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'the kill switch to verify the flag OFF inside the freeze' },
    );
  }, 120_000);
});
