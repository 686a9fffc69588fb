import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActionsBody,
  nowSeconds,
  postRaw,
  signRequest,
  slashCommandBody,
} from '../../sim/slack/sign.ts';
import { APPROVE_ACTION } from '../../src/slack/views/approval.ts';
import { pollUntil } from '../helpers/poll.ts';
import {
  ALICE,
  BOB,
  type BotWorld,
  CAROL,
  CHANNEL,
  SECRET,
  STAGING,
  startBotWorld,
} from '../slack/bot-world.ts';

// The repro stories of the flag's first promise, against a prod-tier environment.
let world: BotWorld;

beforeAll(async () => {
  world = await startBotWorld({ tier: 'prod' });
});
afterAll(async () => {
  await world?.stop();
});

const awaitingApproval = () => world.awaitingApproval();

/** A click signed once; `send` posts exactly those bytes and headers (twice for a replay). */
function signedClick(input: Parameters<typeof blockActionsBody>[0]) {
  const body = blockActionsBody(input);
  const headers = signRequest(SECRET, body.rawBody, nowSeconds(), body.contentType);
  return { send: () => postRaw(`${world.bot.url}/slack/events`, body.rawBody, headers) };
}

const flagInEnvFile = async () =>
  /^HUNTER_PARTNER_CENTER_ENABLED=true$/m.test(await readFile(world.sim.envFile, 'utf8'));

async function healthzFlag(): Promise<boolean | undefined> {
  const res = await fetch(`${world.sim.apiUrl}/healthz`, { signal: AbortSignal.timeout(2_000) }).catch(
    () => undefined,
  );
  if (!res?.ok) return undefined;
  return ((await res.json()) as { partner_center_enabled?: boolean }).partner_center_enabled;
}

describe('a cancel inside Phase 3', () => {
  it('after flag.on wrote ON: the flag goes OFF again, verified, and the environment is held until then', async () => {
    const { id, messageTs } = await awaitingApproval();
    // The api starts slowly after the ON restart: the run is held inside flag.on's health wait.
    world.sim.setFaults({ startDelayMs: 3_000 });
    try {
      await signedClick({
        userId: BOB,
        channelId: CHANNEL,
        messageTs,
        actionId: APPROVE_ACTION,
        value: id,
      }).send();
      await pollUntil(async () => ((await flagInEnvFile()) ? true : undefined), { what: 'the ON write' });
      const cancel = await world.slash('cancel staging', ALICE);
      expect(cancel.text).toContain(`Cancelling run \`${id}\``);
      const meanwhile = await world.slash('staging', CAROL);
      expect(meanwhile.text).toContain('still switching the flag OFF');
      const run = await world.finished(id, 40_000);
      expect(run.state).toBe('cancelled');
      expect(run.report?.switchOff).toMatchObject({ ok: true });
      expect(await flagInEnvFile()).toBe(false);
      expect(await healthzFlag()).toBe(false);
      expect(await world.flags.get(STAGING)).toMatchObject({ desired: 'off', observed: 'off' });
      expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
      const { message } = await world.root(id);
      expect(message.text).toBe('pc-verify staging: cancelled');
      const status = await world.slash('status staging');
      expect(status.text).toContain('flag desired *OFF* · observed OFF (verified');
    } finally {
      world.sim.setFaults({ startDelayMs: 0 });
    }
  });
});

describe('the target down while a cancelled run switches OFF', () => {
  it('marks the flag unverified, says so everywhere, and lets only the kill switch act', async () => {
    const { id, messageTs } = await awaitingApproval();
    const pause = world.sim.pauseAt('apply:before', { flag: true });
    await signedClick({
      userId: BOB,
      channelId: CHANNEL,
      messageTs,
      actionId: APPROVE_ACTION,
      value: id,
    }).send();
    await pollUntil(() => (pause.isReached() ? true : undefined), { what: 'the ON apply held' });
    // api and worker crash on start from now on: the switch-off cannot be verified.
    world.sim.setFaults({ down: true });
    try {
      await world.slash('cancel staging', ALICE);
      pause.release();
      const run = await world.finished(id, 60_000);
      expect(run.state).toBe('failed');
      expect(run.report?.reason).toContain('could NOT be verified');
      const record = await world.flags.get(STAGING);
      expect(record?.unverified).toBeDefined();
      const { message } = await world.root(id);
      expect(message.text).toBe('pc-verify staging: FAIL');
      // The call for help names the requester and the approvers, and says what to do.
      const approvers = new RegExp(`<@${BOB}>|<!subteam\\^S0APPROVE01>`);
      const help = await pollUntil(
        async () => (await world.root(id)).thread.find((t) => t.includes(`<@${ALICE}>`) && approvers.test(t)),
        { what: 'the call for help in the thread' },
      );
      expect(help).toContain('/pc-verify off staging');
      expect((await world.slash('status staging')).text).toContain('*UNVERIFIED*');
      const metrics = await (await fetch(`${world.bot.opsUrl}/metrics`)).text();
      expect(metrics).toContain('pcv_flag_unverified{env="staging"} 1');
      expect((await world.slash('staging', CAROL)).text).toContain('is unverified');

      world.sim.setFaults({ down: false });
      expect((await world.slash('off staging', ALICE)).status).toBe(200);
      await pollUntil(
        async () => {
          const after = await world.flags.get(STAGING);
          return after?.owner.kind === 'kill' && after.observed === 'off' && !after.unverified
            ? true
            : undefined;
        },
        { timeoutMs: 30_000, what: 'the kill switch to verify the flag OFF' },
      );
      expect((await world.slash('status staging')).text).not.toContain('UNVERIFIED');
    } finally {
      world.sim.setFaults({ down: false });
    }
  });
});

describe('clicks and replays', () => {
  it('counts a click only from the approval request, in this workspace and app, and only once', async () => {
    const { id, messageTs } = await awaitingApproval();
    const { ts: rootTs } = await world.root(id);
    const base = { userId: BOB, channelId: CHANNEL, messageTs, actionId: APPROVE_ACTION, value: id };
    await signedClick({ ...base, messageTs: rootTs }).send();
    await signedClick({ ...base, teamId: 'T0OTHERTEAM' }).send();
    await signedClick({ ...base, apiAppId: 'A0OTHERAPP1' }).send();
    await pollUntil(() => (world.slack.api.ephemerals({ user: BOB }).length >= 3 ? true : undefined), {
      what: 'three refusals',
    });
    const refusals = world.slack.api.ephemerals({ user: BOB }).map((e) => e.text ?? '');
    expect(refusals).toContainEqual(expect.stringContaining('did not come from the approval request'));
    expect(refusals.filter((t) => t.includes('did not come from this workspace and app'))).toHaveLength(2);
    expect((await world.runs.get(id))?.state).toBe('awaiting_approval');

    const click = signedClick(base);
    expect((await click.send()).status).toBe(200);
    expect((await click.send()).status).toBe(200);
    const run = await world.finished(id, 40_000);
    expect(run.state).toBe('passed');
    const approvals = (await world.audit.entries(STAGING)).filter(
      (e) => e.action === 'approval.approve' && e.runId === id && e.outcome === 'accepted',
    );
    expect(approvals).toHaveLength(1);
  });

  it('refuses a slash command sent again with the same signature', async () => {
    const responseUrl = world.responseUrl(CHANNEL, ALICE);
    const body = slashCommandBody({ text: 'staging', userId: ALICE, channelId: CHANNEL, responseUrl });
    const headers = signRequest(SECRET, body.rawBody, nowSeconds(), body.contentType);
    const acceptedStarts = async () =>
      (await world.audit.entries(STAGING)).filter((e) => e.action === 'run.start' && e.outcome === 'accepted')
        .length;
    const before = await acceptedStarts();
    const first = await postRaw(`${world.bot.url}/slack/events`, body.rawBody, headers);
    const replay = await postRaw(`${world.bot.url}/slack/events`, body.rawBody, headers);
    // Both get the same empty ack; only the first is answered and acted on.
    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(await world.answerOn(responseUrl)).toContain('Starting run');
    await world.slash('cancel staging', ALICE);
    expect(world.slack.api.responses().filter((r) => r.url === responseUrl)).toHaveLength(1);
    expect(await acceptedStarts()).toBe(before + 1);
  });
});
