import { createHash } from 'node:crypto';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postSigned, triggerId, viewSubmissionBody } from '../../sim/slack/sign.ts';
import type { FakeModal } from '../../sim/slack/web-api.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { APPROVE_ACTION, REJECT_ACTION } from '../../src/slack/views/approval.ts';
import { REASON_BLOCK, REASON_INPUT } from '../../src/slack/views/reason-modal.ts';
import { pollUntil } from '../helpers/poll.ts';
import { BOB, type BotWorld, CHANNEL, SECRET, STAGING, startBotWorld } from '../slack/bot-world.ts';

// The prod identity is a two-person change: a requester who signs in as another account changes
// nothing Hunter acts as unless an approver, shown that account in full, approves it.
const ENGINEER = 'ops.engineer@contoso.example';
const ATTACKER = 'ops.attacker@contoso.example';

let world: BotWorld;

beforeAll(async () => {
  // turn-off: every run leaves the flag OFF, so no run needs the outage confirmation.
  world = await startBotWorld({ tier: 'prod', policy: { approvalTtl: '1h', afterPass: 'turn-off' } });
});
afterAll(async () => {
  await world?.stop();
});

const liveDigest = () => {
  const file = world.sim.tokenCacheFile();
  return file ? createHash('sha256').update(file.content).digest('hex') : undefined;
};

/** `.token_cache.pending` holds the unapproved account's refresh token until its run ends. */
const staged = () => world.sim.stagedTokenCacheFile()?.content;

/** The staged sign-in of an ended run is removed from the api container (by a reaper pass), and audited. */
async function stagedRemoved(id: RunId): Promise<void> {
  await pollUntil(
    async () => {
      if (staged() !== undefined) return undefined;
      const entries = await world.audit.entries(STAGING);
      return entries.some((e) => e.action === 'login.staged_discarded' && e.runId === id) ? true : undefined;
    },
    { what: 'the staged sign-in removed from the api container' },
  );
}

async function signedInAwaitingApproval(username: string) {
  const id = await world.start();
  world.aad.approve(await world.nextCode(), { username });
  const run = await world.waitForRun(
    id,
    (r) => r.approval?.messageTs !== undefined,
    'the approval request',
    30_000,
  );
  return { id, messageTs: run.approval!.messageTs! };
}

function click(user: string, actionId: string, id: RunId, messageTs: string, trigger = triggerId()) {
  return postSigned(
    `${world.bot.url}/slack/events`,
    blockActionsBody({
      userId: user,
      channelId: CHANNEL,
      messageTs,
      actionId,
      value: id,
      triggerId: trigger,
    }),
    { secret: SECRET },
  );
}

async function reject(id: RunId, messageTs: string) {
  const trigger = triggerId();
  await click(BOB, REJECT_ACTION, id, messageTs, trigger);
  const opened = await world.slack.api.waitForCall('views.open', (c) => c.args.trigger_id === trigger);
  const view = (opened.response as unknown as { view: FakeModal }).view;
  await postSigned(
    `${world.bot.url}/slack/events`,
    viewSubmissionBody({
      userId: BOB,
      view,
      values: { [REASON_BLOCK]: { [REASON_INPUT]: 'not our account' } },
    }),
    { secret: SECRET },
  );
}

describe('a prod sign-in as another account', () => {
  it('never replaces the approved cache: reject, expiry and cancel leave its digest as it was', async () => {
    // The approved identity: a run an approver approved, whose sign-in went live with Phase 3.
    const first = await signedInAwaitingApproval(ENGINEER);
    expect(liveDigest()).toBeUndefined();
    await click(BOB, APPROVE_ACTION, first.id, first.messageTs);
    expect((await world.finished(first.id, 30_000)).state).toBe('passed');
    const approved = liveDigest();
    expect(approved).toBeDefined();

    // Rejected: the approver saw who signed in, in full.
    const rejected = await signedInAwaitingApproval(ATTACKER);
    expect(liveDigest()).toBe(approved);
    const request = world.slack.api.message(CHANNEL, rejected.messageTs)!;
    const shown = JSON.stringify(request.blocks);
    expect(shown).toContain(ATTACKER);
    const oid = /object id ([0-9a-f-]{36})/.exec(shown)?.[1];
    expect(oid).toBeDefined();
    const audited = (await world.audit.entries(STAGING)).filter((e) => e.action === 'login.signed_in');
    expect(audited.map((e) => e.detail)).toContainEqual(
      expect.stringContaining(`${ATTACKER} (object id ${oid})`),
    );
    expect(staged()).toContain(ATTACKER);
    await reject(rejected.id, rejected.messageTs);
    expect((await world.finished(rejected.id)).state).toBe('cancelled');
    expect(liveDigest()).toBe(approved);
    await stagedRemoved(rejected.id);

    // Expired: nobody decides.
    const lapsed = await signedInAwaitingApproval(ATTACKER);
    expect(staged()).toContain(ATTACKER);
    world.clock.advance(61 * 60_000);
    expect((await world.finished(lapsed.id)).state).toBe('expired');
    expect(liveDigest()).toBe(approved);
    await stagedRemoved(lapsed.id);

    // Cancelled by the requester while it waits.
    const cancelled = await signedInAwaitingApproval(ATTACKER);
    const ack = await world.slash('cancel staging');
    expect(ack.text).not.toBe('');
    expect((await world.finished(cancelled.id)).state).toBe('cancelled');
    expect(liveDigest()).toBe(approved);
    await stagedRemoved(cancelled.id);
    expect(world.sim.tokenCacheFile()?.content.toString()).toContain(ENGINEER);
  }, 180_000);

  it('fails after the approval without the staged sign-in going live, and removes it', async () => {
    const before = liveDigest();
    const { id, messageTs } = await signedInAwaitingApproval(ATTACKER);
    expect(staged()).toContain(ATTACKER);
    // The env file changes while the approver looks: the approval is void at Phase 3's start.
    const envText = await readFile(world.sim.envFile, 'utf8');
    await appendFile(world.sim.envFile, '# edited while the approval was pending\n');
    try {
      await click(BOB, APPROVE_ACTION, id, messageTs);
      const run = await world.finished(id, 30_000);
      expect(run.state).toBe('failed');
      expect(run.report?.phases.find((p) => p.phase === 3)?.status).toBe('not_run');
    } finally {
      await writeFile(world.sim.envFile, envText);
    }
    expect(liveDigest()).toBe(before);
    await stagedRemoved(id);
    expect(liveDigest()).toBe(before);
  }, 60_000);

  it('puts the approved account live only after the approval, and the digest covers the account', async () => {
    const { id, messageTs } = await signedInAwaitingApproval(ATTACKER);
    const before = liveDigest();
    const run = (await world.runs.get(id))!;
    const device = run.phases.find((p) => p.phase === 2)?.checks.find((c) => c.id === 'auth.device_code');
    expect(device?.observed).toMatch(new RegExp(`signed in as ${ATTACKER} \\(object id [0-9a-f-]{36}\\)`));
    const { thread } = await world.rootWhen(id, (r) => r.thread.some((t) => t.includes(ATTACKER)));
    expect(thread).toContainEqual(expect.stringContaining(`Signed in as \`${ATTACKER}\``));
    expect(liveDigest()).toBe(before);
    await click(BOB, APPROVE_ACTION, id, messageTs);
    expect((await world.finished(id, 30_000)).state).toBe('passed');
    await pollUntil(() => (liveDigest() !== before ? true : undefined), {
      what: 'the approved cache to go live',
    });
    expect(world.sim.tokenCacheFile()?.content.toString()).toContain(ATTACKER);
  }, 60_000);

  it('says a failed removal once in the thread and tries again until it is gone; the run ends as it did', async () => {
    const { id, messageTs } = await signedInAwaitingApproval(ATTACKER);
    const unremoved = (thread: readonly string[]) => thread.filter((t) => t.includes('could not be removed'));
    const execs = () => world.sim.engineCalls().filter((call) => call.endsWith('/exec')).length;
    world.sim.setFaults({ down: true });
    try {
      await reject(id, messageTs);
      expect((await world.finished(id)).state).toBe('cancelled');
      await world.rootWhen(id, (root) => unremoved(root.thread).length > 0, 'the failed removal said');
      // Two more attempts while the api is still down: tried again, said no more.
      const tried = execs();
      await pollUntil(() => (execs() >= tried + 2 ? true : undefined), { what: 'the removal tried again' });
      expect(staged()).toContain(ATTACKER);
    } finally {
      world.sim.setFaults({ down: false });
    }
    await stagedRemoved(id);
    const { thread } = await world.root(id);
    expect(unremoved(thread)).toHaveLength(1);
    expect(unremoved(thread)[0]).toContain('.token_cache.pending');
    expect((await world.runs.get(id))?.state).toBe('cancelled');
    const removals = (await world.audit.entries(STAGING)).filter(
      (e) => e.action === 'login.staged_discarded',
    );
    expect(removals.filter((e) => e.runId === id)).toHaveLength(1);
  }, 90_000);
});
