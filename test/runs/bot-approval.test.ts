import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postSigned } from '../../sim/slack/sign.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { renderCoded, translator } from '../../src/i18n/index.ts';
import { enqueue, type JobData } from '../../src/lifecycle/run-queue.ts';
import { APPROVE_ACTION } from '../../src/slack/views/approval.ts';
import { CONFIRM_OUTAGE_ACTION, DECLINE_OUTAGE_ACTION } from '../../src/slack/views/outage-confirmation.ts';
import { pollUntil } from '../helpers/poll.ts';
import { openRunQueue } from '../helpers/run-queue.ts';
import { ALICE, BOB, type BotWorld, CHANNEL, SECRET, STAGING, startBotWorld } from '../slack/bot-world.ts';

let world: BotWorld;
let closeQueue: (() => Promise<void>) | undefined;
let queue: Queue<JobData>;

beforeAll(async () => {
  // An approval time no test waits for: expiry is a step of the world's clock.
  world = await startBotWorld({ tier: 'prod', policy: { approvalTtl: '1h' } });
  ({ queue, close: closeQueue } = openRunQueue(world.config.deployment));
});
afterAll(async () => {
  await closeQueue?.();
  await world?.stop();
});

async function throughPhase2() {
  const id = await world.start();
  world.aad.approve(await world.nextCode());
  const waiting = await world.waitForRun(id, (r) => r.state === 'awaiting_approval', 'the approval gate');
  return { id, waiting };
}

describe('the approval gate after Phase 2 (requireApproval)', () => {
  it('waits holding the environment but no job and no worker, and expires when nobody decides', async () => {
    const { id, waiting } = await throughPhase2();
    expect(waiting.phases.map((p) => [p.phase, p.status])).toEqual([
      [0, 'pass'],
      [1, 'pass'],
      [2, 'pass'],
    ]);
    expect(await world.runs.lockHolder(STAGING)).toBe(id);
    await pollUntil(async () => ((await queue.getActiveCount()) === 0 ? true : undefined), {
      what: 'no active job',
    });
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
    const metrics = await (await fetch(`${world.bot.opsUrl}/metrics`)).text();
    expect(metrics).toContain('pcv_waiting_runs{env="staging",state="awaiting_approval"} 1');
    const { thread, message } = await world.rootWhen(
      id,
      (r) => r.message.text === 'pc-verify staging: waiting for a second person to approve',
    );
    expect(thread).toContainEqual(expect.stringContaining('awaiting approval by a second person'));
    expect(message.text).toBe('pc-verify staging: waiting for a second person to approve');

    world.clock.advance(61 * 60_000);
    const expired = await world.finished(id);
    expect(expired.state).toBe('expired');
    // Stored as a coded message; in English words it reads as before.
    expect(renderCoded(translator('en'), expired.report?.reason ?? '')).toContain(
      'Nobody approved Phase 3 within the approval time',
    );
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');

    // The request keeps no live button: it says the run expired.
    const messageTs = expired.approval?.messageTs ?? '';
    const request = await pollUntil(
      () => {
        const m = world.slack.api.message(CHANNEL, messageTs);
        return m && !(m.blocks ?? []).some((b) => (b as { type?: string }).type === 'actions')
          ? m
          : undefined;
      },
      { what: 'the expired request to lose its buttons' },
    );
    expect(request.text).toContain('the run expired');

    // A late click on the expired request is refused, with the reason, and changes nothing.
    await postSigned(
      `${world.bot.url}/slack/events`,
      blockActionsBody({ userId: BOB, channelId: CHANNEL, messageTs, actionId: APPROVE_ACTION, value: id }),
      { secret: SECRET },
    );
    await pollUntil(
      () =>
        world.slack.api
          .ephemerals({ user: BOB })
          .find((e) => (e.text ?? '').includes('no longer waiting for approval')),
      { what: 'the late click to be refused' },
    );
    expect((await world.runs.get(id))?.state).toBe('expired');
  });

  it('goes on from Phase 3 when the run is moved on (the seam issue 7 uses) and passes', async () => {
    const { id } = await throughPhase2();
    const approved = await world.runs.decide(id, 'phase3', () => ({}));
    expect(approved.ok).toBe(true);
    await enqueue(queue, { kind: 'run', runId: id, step: 'phase3' });
    const run = await world.finished(id);
    expect(run.report).toMatchObject({ verdict: 'PASS', canTurnOn: true, state: 'passed' });
    expect(run.report?.phases.map((p) => p.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    const { thread } = await world.root(id);
    expect(thread.filter((t) => t.includes('*Phase 0*'))).toHaveLength(1);
    expect(thread).not.toContainEqual(expect.stringContaining('Picked up again'));
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('true');
  });

  it('asks the requester before Phase 1 turns a live flag OFF in prod; nothing changes until then', async () => {
    const before = world.sim.composeCalls().length;
    const declined = await world.start();
    await world.waitForRun(declined, (r) => r.state === 'awaiting_confirmation', 'the confirmation request');
    const restarted = () =>
      world.sim
        .composeCalls()
        .slice(before)
        .some((c) => c.includes('restart'));
    expect(restarted()).toBe(false);
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('true');
    // The question reaches the thread just after the state changes: wait for it, do not race it.
    const { ts } = await world.rootWhen(
      declined,
      (root) => root.thread.some((t) => t.includes('The flag is ON in staging')),
      'the confirmation question in the thread',
    );

    // A click counts only from the message that holds the button: the confirmation request.
    // Its ts is stored just after it is posted: wait for it rather than fall back to another message.
    const question = await confirmationTsOf(declined);
    await clickAs(BOB, CONFIRM_OUTAGE_ACTION, declined, question, ts);
    const refusal = await pollUntil(
      () =>
        world.slack.api.ephemerals({ user: BOB }).find((e) => (e.text ?? '').includes('Only the requester')),
      { what: 'a confirmation by someone else to be refused' },
    );
    expect(refusal.threadTs).toBe(ts);
    await clickAs(ALICE, DECLINE_OUTAGE_ACTION, declined, question, ts);
    const stopped = await world.finished(declined);
    await pollUntil(() => (liveButtons(question) ? undefined : true), {
      what: 'the declined question to close',
    });
    expect(world.slack.api.message(CHANNEL, question)?.text).toContain('the run was cancelled');
    expect(stopped.state).toBe('cancelled');
    expect(stopped.report?.reason).toContain('that was not confirmed, so nothing was changed');
    expect(restarted()).toBe(false);
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('true');

    // Nobody answers: past the approval time on the run's clock the run expires, nothing changed.
    const unanswered = await world.start();
    await world.waitForRun(
      unanswered,
      (r) => r.state === 'awaiting_confirmation',
      'the confirmation request',
    );
    const unansweredTs = await confirmationTsOf(unanswered);
    world.clock.advance(61 * 60_000);
    const lapsed = await world.finished(unanswered);
    expect(lapsed.state).toBe('expired');
    expect(renderCoded(translator('en'), lapsed.report?.reason ?? '')).toContain(
      'Nobody confirmed that Phase 1 may turn the live flag OFF',
    );
    await pollUntil(() => (liveButtons(unansweredTs) ? undefined : true), {
      what: 'the unanswered question to close',
    });
    expect(world.slack.api.message(CHANNEL, unansweredTs)?.text).toContain('the run expired');
    expect(restarted()).toBe(false);
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('true');

    const confirmed = await world.start();
    await world.waitForRun(confirmed, (r) => r.state === 'awaiting_confirmation', 'the confirmation request');
    const asked = await confirmationTsOf(confirmed);
    await clickAs(ALICE, CONFIRM_OUTAGE_ACTION, confirmed, asked);
    await pollUntil(() => (liveButtons(asked) ? undefined : true), {
      what: 'the answered question to close',
    });
    expect(world.slack.api.message(CHANNEL, asked)?.text).toContain(`<@${ALICE}> confirmed`);
    world.aad.approve(await world.nextCode());
    const gated = await world.waitForRun(
      confirmed,
      (r) => r.state === 'awaiting_approval',
      'Phases 0-2 after the confirmation',
    );
    expect(gated.outageConfirmedBy).toBe(ALICE);
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
    const answers = (await world.audit.entries(STAGING)).filter((e) => e.action.startsWith('outage.'));
    expect(answers.map((e) => [e.actor, e.action, e.outcome])).toEqual([
      [BOB, 'outage.confirm', 'refused'],
      [ALICE, 'outage.decline', 'accepted'],
      [ALICE, 'outage.confirm', 'accepted'],
    ]);
  });
});

async function confirmationTsOf(id: string): Promise<string> {
  const run = await pollUntil(async () => (await world.runs.get(id as RunId))?.confirmationTs, {
    what: 'the confirmation request',
  });
  return run;
}

function clickAs(user: string, actionId: string, runId: string, messageTs: string, threadTs?: string) {
  return postSigned(
    `${world.bot.url}/slack/events`,
    blockActionsBody({
      userId: user,
      channelId: CHANNEL,
      messageTs,
      actionId,
      value: runId,
      ...(threadTs ? { threadTs } : {}),
    }),
    { secret: SECRET },
  );
}

const liveButtons = (ts: string) =>
  (world.slack.api.message(CHANNEL, ts)?.blocks ?? []).some(
    (b) => (b as { type?: string }).type === 'actions',
  );
