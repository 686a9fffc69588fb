import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postSigned, triggerId, viewSubmissionBody } from '../../sim/slack/sign.ts';
import type { FakeModal } from '../../sim/slack/web-api.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { APPROVE_ACTION, REJECT_ACTION } from '../../src/slack/views/approval.ts';
import { REASON_BLOCK, REASON_INPUT } from '../../src/slack/views/reason-modal.ts';
import { pollUntil } from '../helpers/poll.ts';
import { type Served, startServe } from '../helpers/serve-process.ts';
import { REDIS_URL } from '../helpers/services.ts';
import {
  ALICE,
  APPROVERS,
  BOB,
  type BotWorld,
  CAROL,
  CHANNEL,
  MALLORY,
  SECRET,
  STAGING,
  startBotWorld,
} from '../slack/bot-world.ts';

/*
 * N of M approvers (policy.approvals, policy.approvalGroups) through signed requests to the real
 * Bolt app in two processes: the test's bot and a `pc-verify serve --role web` of its own.
 * Two approvals are needed, one from APPROVERS (Bob, Mallory) and one from SECOND (Bob, Carol):
 * Bob, in both groups, counts for one of them only.
 */
const SECOND = 'S0SECOND001';

let world: BotWorld;
let served: Served;
let removeConfig: (() => Promise<void>) | undefined;

beforeAll(async () => {
  world = await startBotWorld({
    tier: 'prod',
    policy: { approvals: 2, approvalGroups: [APPROVERS, SECOND] },
  });
  world.slack.api.addUserGroup(APPROVERS, [BOB, MALLORY]);
  world.slack.api.addUserGroup(SECOND, [BOB, CAROL]);
  const file = await world.writeConfig();
  removeConfig = file.remove;
  const caFile = join(file.path, '..', 'aad-ca.pem');
  await writeFile(caFile, world.aad.ca);
  served = await startServe({
    configPath: file.path,
    caFile,
    botToken: world.slack.api.botToken,
    apiUrl: world.slack.api.apiUrl,
    signingSecret: SECRET,
    redisUrl: REDIS_URL,
    role: 'web',
  });
}, 60_000);
afterAll(async () => {
  served?.child.kill('SIGKILL');
  await served?.child;
  await world?.stop();
  await removeConfig?.();
});

/** A click on the request, as Slack reports it, to one of the two processes. */
async function click(
  url: string,
  user: string,
  actionId: string,
  id: RunId,
  messageTs: string,
  trigger = triggerId(),
) {
  const threadTs = (await world.runs.get(id))?.slack?.rootTs;
  const res = await postSigned(
    `${url}/slack/events`,
    blockActionsBody({
      userId: user,
      channelId: CHANNEL,
      messageTs,
      actionId,
      value: id,
      triggerId: trigger,
      ...(threadTs ? { threadTs } : {}),
    }),
    { secret: SECRET },
  );
  expect(res.status).toBe(200);
}

const requestText = (ts: string) => JSON.stringify(world.slack.api.message(CHANNEL, ts) ?? {});
const ephemeral = (user: string, part: string) =>
  pollUntil(() => world.slack.api.ephemerals({ user }).find((e) => (e.text ?? '').includes(part)), {
    what: `an ephemeral for ${user} saying "${part}"`,
  });

describe('N of M approvers', () => {
  it('lets the first Reject end a run that has one approval', async () => {
    const { id, messageTs } = await world.awaitingApproval();
    await click(world.bot.url, MALLORY, APPROVE_ACTION, id, messageTs);
    await world.waitForRun(id, (r) => (r.approvals ?? []).length === 1, 'the first approval');

    const trigger = triggerId();
    await click(served.url, CAROL, REJECT_ACTION, id, messageTs, trigger);
    const opened = await world.slack.api.waitForCall('views.open', (c) => c.args.trigger_id === trigger);
    const view = (opened.response as unknown as { view: FakeModal }).view;
    await postSigned(
      `${served.url}/slack/events`,
      viewSubmissionBody({
        userId: CAROL,
        view,
        values: { [REASON_BLOCK]: { [REASON_INPUT]: 'not in this window' } },
      }),
      { secret: SECRET },
    );
    const run = await world.finished(id);
    expect(run.state).toBe('cancelled');
    expect(run.decision).toMatchObject({ decision: 'rejected', by: CAROL });
    expect(run.approvals?.map((a) => a.by)).toEqual([MALLORY]);
    // Bob's late Approve changes nothing.
    await click(world.bot.url, BOB, APPROVE_ACTION, id, messageTs);
    await ephemeral(BOB, 'no longer waiting for approval');
    expect((await world.runs.get(id))?.state).toBe('cancelled');
  });

  it('counts distinct approvers once each, over two processes, one from each group, then runs Phase 3', async () => {
    const { id, messageTs } = await world.awaitingApproval();
    expect(requestText(messageTs)).toContain('Needs 2 distinct approvers, one from each of');
    expect(requestText(messageTs)).toContain('No approvals yet.');

    // The requester cannot approve, whatever the count.
    await click(served.url, ALICE, APPROVE_ACTION, id, messageTs);
    await ephemeral(ALICE, 'you cannot approve it');

    await click(world.bot.url, BOB, APPROVE_ACTION, id, messageTs);
    const once = await world.waitForRun(id, (r) => (r.approvals ?? []).length === 1, 'the first approval');
    expect(once.state).toBe('awaiting_approval');
    expect(once.approvals?.[0]).toMatchObject({ by: BOB, groups: [APPROVERS, SECOND] });
    // The request, updated in place: who approved, how many more.
    await pollUntil(
      () => (requestText(messageTs).includes(`Approved so far: <@${BOB}>.`) ? true : undefined),
      {
        what: 'the request to show the first approval',
      },
    );
    expect(requestText(messageTs)).toContain('1 more approval needed.');
    expect(world.slack.api.message(CHANNEL, messageTs)?.text).toContain('1 of 2 approvals so far.');

    // Twenty clicks of Bob at once, over two processes: he still counts once (in one group).
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        click(i % 2 ? served.url : world.bot.url, BOB, APPROVE_ACTION, id, messageTs),
      ),
    );
    await ephemeral(BOB, 'You have approved this run already');
    const still = await world.runs.get(id);
    expect(still?.state).toBe('awaiting_approval');
    expect(still?.approvals?.map((a) => a.by)).toEqual([BOB]);

    // Carol, in the other process: the second approver completes it.
    await click(served.url, CAROL, APPROVE_ACTION, id, messageTs);
    const run = await world.finished(id, 30_000);
    expect(run.report).toMatchObject({ verdict: 'PASS', canTurnOn: true });
    expect(run.approvals?.map((a) => a.by)).toEqual([BOB, CAROL]);
    expect(run.decision).toMatchObject({ decision: 'approved', by: CAROL });
    await pollUntil(
      () =>
        world.slack.api.message(CHANNEL, messageTs)?.text?.includes(`Approved by <@${BOB}>, <@${CAROL}>`)
          ? true
          : undefined,
      { what: 'the request to name both approvers' },
    );

    const entries = (await world.audit.entries(STAGING)).filter((e) => e.runId === id);
    const given = entries.filter((e) => e.action === 'approval.given');
    expect(given.map((e) => [e.actor, (e.detail ?? '').split(' (')[0]])).toEqual([
      [BOB, `1/2; in ${APPROVERS}, ${SECOND}`],
      [CAROL, `2/2; in ${SECOND}`],
    ]);
    const decided = entries.filter((e) => e.action === 'approval.approve' && e.outcome === 'accepted');
    expect(decided).toHaveLength(1);
    expect(decided[0]?.detail).toContain(`approved by ${BOB}, ${CAROL}`);
    const refusedBob = entries.filter(
      (e) => e.action === 'approval.approve' && e.outcome === 'refused' && e.actor === BOB,
    );
    expect(refusedBob).toHaveLength(20);
    expect((await world.audit.verify(STAGING)).ok).toBe(true);
  });
});
