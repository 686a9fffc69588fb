import { appendFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postSigned, triggerId, viewSubmissionBody } from '../../sim/slack/sign.ts';
import type { FakeModal } from '../../sim/slack/web-api.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { renderCoded, translator } from '../../src/i18n/index.ts';
import type { RunningBot } from '../../src/main/bot-options.ts';
import { APPROVE_ACTION, REJECT_ACTION } from '../../src/slack/views/approval.ts';
import { REASON_BLOCK, REASON_INPUT, REJECT_REASON_VIEW } from '../../src/slack/views/reason-modal.ts';
import { pollUntil } from '../helpers/poll.ts';
import {
  ALICE,
  APPROVERS,
  BOB,
  type BotWorld,
  CHANNEL,
  MALLORY,
  SECRET,
  STAGING,
  startBotWorld,
} from '../slack/bot-world.ts';

// The approval gate at click time: requester ≠ approver, approvers only, first decision wins.
let world: BotWorld;
let secondWeb: RunningBot;

beforeAll(async () => {
  world = await startBotWorld({ tier: 'prod' });
  secondWeb = await world.startBot({ role: 'web' });
});
afterAll(async () => {
  await world?.stop();
});

const awaitingApproval = () => world.awaitingApproval();

/** A click on a button of a message in the run's thread, as Slack reports it (thread_ts included). */
async function click(
  bot: RunningBot,
  user: string,
  actionId: string,
  value: string,
  messageTs: string,
  trigger = triggerId(),
) {
  const threadTs = (await world.runs.get(value as RunId))?.slack?.rootTs;
  return postSigned(
    `${bot.url}/slack/events`,
    blockActionsBody({
      userId: user,
      channelId: CHANNEL,
      messageTs,
      actionId,
      value,
      triggerId: trigger,
      ...(threadTs ? { threadTs } : {}),
    }),
    { secret: SECRET },
  );
}

/** Reject, then the reason modal it opened, submitted with `reason`. */
async function rejectWithReason(user: string, id: RunId, messageTs: string, reason: string) {
  const trigger = triggerId();
  await click(world.bot, user, REJECT_ACTION, id, messageTs, trigger);
  const opened = await world.slack.api.waitForCall('views.open', (c) => c.args.trigger_id === trigger);
  expect(opened.response.ok).toBe(true);
  const view = (opened.response as unknown as { view: FakeModal }).view;
  expect(view.callback_id).toBe(REJECT_REASON_VIEW);
  return postSigned(
    `${world.bot.url}/slack/events`,
    viewSubmissionBody({ userId: user, view, values: { [REASON_BLOCK]: { [REASON_INPUT]: reason } } }),
    { secret: SECRET },
  );
}

const hasButtons = (ts: string) =>
  (world.slack.api.message(CHANNEL, ts)?.blocks ?? []).some(
    (b) => (b as { type?: string }).type === 'actions',
  );

const refusalsFor = (user: string) => world.slack.api.ephemerals({ user }).map((e) => e.text ?? '');

describe('deciding on Phase 3', () => {
  it('names the approvers in the broadcast request and refuses the requester and non-approvers in the thread', async () => {
    const { id, messageTs } = await awaitingApproval();
    const request = world.slack.api.message(CHANNEL, messageTs)!;
    const rootTs = (await world.runs.get(id))!.slack!.rootTs!;
    // A phone's notification shows only `text`: the group is mentioned there, so its members are paged.
    expect(request.text).toContain(`<!subteam^${APPROVERS}>`);
    expect(request.text).toContain(`<@${ALICE}>`);
    expect(JSON.stringify(request.blocks)).toContain('Turn the Partner Center flag ON in staging?');
    // A reply in the thread, also shown in the channel.
    expect(request.threadTs).toBe(rootTs);
    expect(world.slack.api.messages(CHANNEL).map((m) => m.ts)).toContain(messageTs);

    await click(world.bot, ALICE, APPROVE_ACTION, id, messageTs);
    const self = await pollUntil(
      () =>
        world.slack.api
          .ephemerals({ user: ALICE })
          .find((e) => (e.text ?? '').includes('you cannot approve it')),
      { what: 'self-approval refusal' },
    );
    // Beside the buttons, not in the channel.
    expect(self.threadTs).toBe(rootTs);
    await click(world.bot, MALLORY, APPROVE_ACTION, id, messageTs);
    await pollUntil(() => refusalsFor(MALLORY).find((t) => t.includes('Only the approvers')), {
      what: 'non-approver refusal',
    });
    expect((await world.runs.get(id))?.state).toBe('awaiting_approval');

    // Twenty clicks at once through two bot processes: exactly one Phase 3.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        click(i % 2 ? secondWeb : world.bot, BOB, APPROVE_ACTION, id, messageTs),
      ),
    );
    const run = await world.finished(id, 30_000);
    expect(run.report).toMatchObject({ verdict: 'PASS', canTurnOn: true });
    expect(run.decision).toMatchObject({ decision: 'approved', by: BOB });
    const { thread } = await world.root(id);
    expect(thread.filter((t) => t.includes('*Phase 3*'))).toHaveLength(1);
    expect(world.slack.api.message(CHANNEL, messageTs)?.text).toContain(`Approved by <@${BOB}>`);
    // The verdict notifies the requester, who may have left the thread long ago.
    expect(thread.at(-1)).toMatch(new RegExp(`^<@${ALICE}> \\*Verdict: PASS\\*`));

    const entries = (await world.audit.entries(STAGING)).filter(
      (e) => e.runId === id && e.action === 'approval.approve',
    );
    expect(entries.filter((e) => e.outcome === 'accepted')).toHaveLength(1);
    expect(entries.filter((e) => e.actor === ALICE && e.outcome === 'refused')).toHaveLength(1);
    // A stranger's click is kept apart from the environment's trail, counted, so it cannot flood it.
    expect(entries.filter((e) => e.actor === MALLORY)).toHaveLength(0);
    const strangers = await world.audit.refusals.entries(STAGING);
    expect(strangers.filter((r) => r.actor === MALLORY && r.action === 'approval.approve')).toHaveLength(1);
    expect((await world.audit.verify(STAGING)).ok).toBe(true);

    // A late click on a finished run is refused and audited.
    await click(world.bot, BOB, REJECT_ACTION, id, messageTs);
    await pollUntil(() => refusalsFor(BOB).find((t) => t.includes('no longer waiting for approval')), {
      what: 'late refusal',
    });
  });

  it('ends the run when an approver rejects, and frees the environment', async () => {
    // The flag is ON after the previous test; prod asks before turning it OFF, so turn it OFF first.
    await world.slash('off staging', BOB);
    await pollUntil(
      () => (world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED === 'false' ? true : undefined),
      {
        what: 'the kill switch',
        timeoutMs: 20_000,
      },
    );
    const { id, messageTs } = await awaitingApproval();
    const why = 'change freeze until Monday <!channel>';
    await rejectWithReason(BOB, id, messageTs, why);
    const run = await world.finished(id);
    expect(run.state).toBe('cancelled');
    // The record holds who rejected as data (a user id), not as a chat mention.
    expect(run.report?.reason).toContain(BOB);
    expect(run.report?.reason).not.toContain(`<@${BOB}>`);
    expect(renderCoded(translator('en'), run.report?.reason ?? '')).toMatch(
      new RegExp(`^Phase 3 was rejected by \\S*${BOB}\\S*\\. Reason: change freeze until Monday`),
    );
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
    // The reason is in the audit trail with the decision, and in Slack without its markup.
    const rejected = (await world.audit.entries(STAGING)).find(
      (e) => e.runId === id && e.action === 'approval.reject' && e.outcome === 'accepted',
    );
    expect(rejected?.detail).toContain(`reason: ${why}`);
    const decided = world.slack.api.message(CHANNEL, messageTs)!;
    expect(hasButtons(messageTs)).toBe(false);
    expect(decided.text).toContain('Reason: change freeze until Monday &lt;!channel&gt;');
  });

  it('rejects at once, without a reason, when the modal cannot open (its trigger is older than 3 s)', async () => {
    const { id, messageTs } = await awaitingApproval();
    const stale = triggerId(Date.now() - 4_000);
    await click(world.bot, BOB, REJECT_ACTION, id, messageTs, stale);
    const opened = await world.slack.api.waitForCall('views.open', (c) => c.args.trigger_id === stale);
    expect(opened.response).toMatchObject({ ok: false, error: 'expired_trigger_id' });
    const run = await world.finished(id);
    expect(run.state).toBe('cancelled');
    const said = renderCoded(translator('en'), run.report?.reason ?? '');
    expect(said).toMatch(new RegExp(`^Phase 3 was rejected by \\S*${BOB}\\S*\\.$`));
  });

  it('replaces the buttons of a request whose run was cancelled with what happened', async () => {
    const { id, messageTs } = await awaitingApproval();
    expect(hasButtons(messageTs)).toBe(true);
    await world.slash('cancel staging', ALICE);
    await world.finished(id);
    await pollUntil(() => (hasButtons(messageTs) ? undefined : true), { what: 'the buttons to go' });
    expect(world.slack.api.message(CHANNEL, messageTs)?.text).toContain('the run was cancelled');
  });
});

describe('what an approval is for', () => {
  it('voids the approval when the env file changed after the request: Phase 3 does not run', async () => {
    const { id, messageTs } = await awaitingApproval();
    await appendFile(world.sim.envFile, '# edited by someone after the approval was requested\n');
    await click(world.bot, BOB, APPROVE_ACTION, id, messageTs);
    const run = await world.finished(id);
    expect(run.state).toBe('failed');
    // Stored as a coded message; in English words it reads as before.
    expect(renderCoded(translator('en'), run.report?.reason ?? '')).toContain('the approval is void');
    // The request no longer reads "Phase 3 runs now".
    await pollUntil(
      () =>
        (world.slack.api.message(CHANNEL, messageTs)?.text ?? '').includes('failed before Phase 3') ||
        undefined,
      { what: 'the voided approval to say so' },
    );
    expect(run.report?.phases[3]?.status).toBe('not_run');
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
  });
});

describe('after an approved Phase 3 fails in prod', () => {
  it('turns the flag OFF again, verifies it, and ends the run rolled_back, all in the thread', async () => {
    const { id, messageTs } = await awaitingApproval();
    world.sim.setFaults({ workerExceptionWhenOn: true });
    try {
      await click(world.bot, BOB, APPROVE_ACTION, id, messageTs);
      const run = await world.finished(id, 30_000);
      expect(run.state).toBe('rolled_back');
      expect(run.report?.switchOff).toMatchObject({ why: 'rollback', ok: true });
      expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
      const { thread } = await world.root(id);
      expect(thread).toContainEqual(expect.stringContaining('Turning the flag OFF again'));
      expect(thread.at(-1)).toContain('turned OFF again');
    } finally {
      world.sim.setFaults({ workerExceptionWhenOn: false });
    }
  });
});
