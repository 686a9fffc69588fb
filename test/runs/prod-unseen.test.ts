import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCoded, translator } from '../../src/i18n/index.ts';
import { pollUntil } from '../helpers/poll.ts';
import { ALICE, type BotWorld, CHANNEL, STAGING, startBotWorld } from '../slack/bot-world.ts';

// Prod is seen: a run whose root message cannot be posted (the bot is not in the channel)
// changes nothing and tells the requester why.
const HIDDEN = 'C0HIDDEN001';
let world: BotWorld;

beforeAll(async () => {
  world = await startBotWorld({ tier: 'prod', policy: { channels: [CHANNEL, HIDDEN] }, watch: false });
  world.slack.api.addChannel(HIDDEN, { name: 'ops-private', botIsMember: false });
});
afterAll(async () => {
  await world?.stop();
});

describe('a prod run started where the bot cannot post', () => {
  it('stops before Phase 0, changes nothing and tells the requester to invite the bot', async () => {
    const calls = world.sim.composeCalls().length;
    const envBefore = world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED;
    const ack = await world.slash('staging', ALICE, HIDDEN);
    const id = /`(r[a-z0-9]+)`/.exec(ack.text)?.[1];
    expect(id).toBeDefined();
    const run = await world.waitForRun(id as never, (r) => r.report !== undefined, 'the run to end', 60_000);
    expect(run.state).toBe('failed');
    expect(run.slack?.rootRefused).toBe('not_in_channel');
    // The reason is stored as data (a coded message); in words it names the fix.
    expect(renderCoded(translator('en'), run.report?.reason ?? '')).toContain('/invite @pc-verify');
    expect(run.phases.filter((p) => p.status !== 'not_run')).toEqual([]);
    // Nothing ran against Hunter: not even the migration of Phase 0; nobody was asked to sign in.
    expect(world.sim.composeCalls().length).toBe(calls);
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe(envBefore);
    expect(world.aad.requests().some((r) => r.path.endsWith('/devicecode'))).toBe(false);
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    const dm = await pollUntil(
      () =>
        world.slack.api
          .messages(world.slack.api.dmOf(ALICE))
          .find((m) => (m.text ?? '').includes('/invite @pc-verify')),
      { what: 'the requester told why in a DM' },
    );
    expect(dm.text).toContain('not_in_channel');
    expect(dm.text).toContain('Nothing was changed');
  }, 120_000);

  it('stops a sign-in renewal the same way: nobody asked to approve or sign in, the cache untouched', async () => {
    const calls = world.sim.composeCalls().length;
    const cache = world.sim.tokenCacheFile()?.content;
    const dms = () => world.slack.api.messages(world.slack.api.dmOf(ALICE));
    const dmsBefore = dms().length;
    const ack = await world.slash('login staging', ALICE, HIDDEN);
    const id = /`(r[a-z0-9]+)`/.exec(ack.text)?.[1];
    expect(id).toBeDefined();
    const run = await world.waitForRun(
      id as never,
      (r) => r.report !== undefined,
      'the sign-in to end',
      60_000,
    );
    expect(run).toMatchObject({ purpose: 'login', state: 'failed' });
    expect(run.slack?.rootRefused).toBe('not_in_channel');
    expect(run.approval).toBeUndefined();
    expect(renderCoded(translator('en'), run.report?.reason ?? '')).toContain('/invite @pc-verify');
    expect(world.sim.composeCalls().length).toBe(calls);
    expect(world.sim.tokenCacheFile()?.content).toBe(cache);
    expect(world.aad.requests().some((r) => r.path.endsWith('/devicecode'))).toBe(false);
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    const told = await pollUntil(
      () =>
        dms()
          .slice(dmsBefore)
          .find((m) => (m.text ?? '').includes('/invite @pc-verify')),
      { what: 'the requester told why the sign-in stopped' },
    );
    expect(told.text).toContain('not_in_channel');
  }, 120_000);
});
