import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHomeOpenedEvent } from '../../sim/slack/payloads.ts';
import { pollUntil } from '../helpers/poll.ts';
import { ALICE, type BotWorld, CHANNEL, MALLORY, STAGING, startBotWorld } from './bot-world.ts';

let world: BotWorld;
beforeAll(async () => {
  world = await startBotWorld({ transport: 'socket' });
});
afterAll(async () => {
  await world?.stop();
});

describe('the same bot over Socket Mode (no public URL)', () => {
  it('connects with the app token and runs /pc-verify staging to a PASS', async () => {
    expect(world.slack.api.calls('apps.connections.open').map((c) => c.tokenKind)).toEqual(['app']);
    expect((await world.slash('staging', MALLORY)).text).toContain(
      'You are not allowed to start runs for *staging*',
    );

    const id = await world.start();
    const code = await world.nextCode();
    world.aad.approve(code);
    const run = await world.finished(id);
    expect(run.report).toMatchObject({ verdict: 'PASS', state: 'passed' });
    const { message, thread } = await world.root(id);
    expect(message.text).toBe('pc-verify staging: PASS');
    expect(thread).toContainEqual(expect.stringContaining(`Login handed to <@${ALICE}> in DM`));
    expect(JSON.stringify(world.slack.api.calls().filter((c) => c.args.channel === CHANNEL))).not.toContain(
      code,
    );
    expect((await world.results.latest(STAGING))?.report.runId).toBe(id);
  });

  it('publishes App Home on app_home_opened and serves /healthz on its own port', async () => {
    await world.slack.socket.sendEvent(
      appHomeOpenedEvent({ userId: ALICE, channelId: world.slack.api.dmOf(ALICE) }),
      { botUserId: world.slack.api.identity.botUserId },
    );
    const view = await pollUntil(() => world.slack.api.homeView(ALICE), { what: 'the Home view' });
    expect(JSON.stringify(view)).toContain('*staging* (staging) — *PASS* (passed)');
    const health = await fetch(`${world.bot.opsUrl}/healthz`);
    expect(await health.json()).toMatchObject({ ok: true, worker: 'running' });
    expect((await fetch(`${world.bot.url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });
});
