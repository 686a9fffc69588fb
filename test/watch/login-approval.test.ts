import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postSigned } from '../../sim/slack/sign.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { APPROVE_ACTION } from '../../src/slack/views/approval.ts';
import { pollUntil } from '../helpers/poll.ts';
import { ALICE, BOB, type BotWorld, CHANNEL, SECRET, STAGING, startBotWorld } from '../slack/bot-world.ts';

let world: BotWorld;

beforeAll(async () => {
  world = await startBotWorld({
    policy: { requireApproval: true, loginRequiresApproval: true },
    watch: false,
  });
});
afterAll(async () => {
  await world?.stop();
});

function click(user: string, messageTs: string, value: string) {
  return postSigned(
    `${world.bot.url}/slack/events`,
    blockActionsBody({ userId: user, channelId: CHANNEL, messageTs, actionId: APPROVE_ACTION, value }),
    { secret: SECRET },
  );
}

describe('/pc-verify login with policy.loginRequiresApproval', () => {
  it('waits for an approver who is not the requester, then hands the code to the DM; the flag untouched', async () => {
    const envBefore = await readFile(world.sim.envFile, 'utf8');
    const ack = await world.slash('login staging');
    expect(ack.text).toContain('An approver (not you) decides first');
    const id = /`(r[a-z0-9]+)`/.exec(ack.text)?.[1] as RunId;
    const waiting = await world.waitForRun(
      id,
      (r) => r.approval?.messageTs !== undefined,
      'the approval request',
    );
    expect(waiting.state).toBe('awaiting_approval');
    expect(await world.runs.lockHolder(STAGING)).toBe(id);
    const messageTs = waiting.approval!.messageTs!;
    expect(world.slack.api.message(CHANNEL, messageTs)?.text).toContain('sign in again for staging');
    expect(world.aad.requests().some((r) => r.path.endsWith('/devicecode'))).toBe(false);

    await click(ALICE, messageTs, id);
    await pollUntil(
      () =>
        world.slack.api.ephemerals({ user: ALICE }).find((e) => e.text?.includes('you cannot approve it')),
      { what: 'the requester refused' },
    );
    expect((await world.runs.get(id))?.state).toBe('awaiting_approval');

    await click(BOB, messageTs, id);
    world.aad.approve(await world.nextCode());
    const run = await world.finished(id, 30_000);
    expect(run).toMatchObject({ state: 'passed', purpose: 'login' });
    expect(run.phases.filter((p) => p.status !== 'not_run').map((p) => p.phase)).toEqual([2]);
    expect(await readFile(world.sim.envFile, 'utf8')).toBe(envBefore);
    // The approval came first: who signed in is said in the thread, in full, as soon as it is known.
    const { thread } = await world.rootWhen(id, (r) => r.thread.some((t) => t.includes('Signed in as')));
    expect(thread).toContainEqual(
      expect.stringMatching(/Signed in as `ops\.engineer@contoso\.example` \(object id `[0-9a-f-]{36}`\)/),
    );
    const signIn = (await world.audit.entries(STAGING)).find((e) => e.action === 'login.signed_in');
    expect(signIn?.detail).toContain('signed in as ops.engineer@contoso.example (object id');
    const actions = (await world.audit.entries(STAGING)).map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'login.start:accepted',
        'approval.approve:refused',
        'approval.approve:accepted',
      ]),
    );
  });
});
