import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postSigned, triggerId, viewSubmissionBody } from '../../sim/slack/sign.ts';
import type { FakeModal } from '../../sim/slack/web-api.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { coded, message as i18nMessage } from '../../src/i18n/index.ts';
import { KILL_SWITCH_REASON_ACTION } from '../../src/slack/views/kill-switch.ts';
import { REASON_BLOCK, REASON_INPUT } from '../../src/slack/views/reason-modal.ts';
import { pollUntil } from '../helpers/poll.ts';
import {
  ALICE,
  BOB,
  type BotWorld,
  CAROL,
  CHANNEL,
  MALLORY,
  OPS_GROUP,
  OTHER_CHANNEL,
  SECRET,
  STAGING,
  startBotWorld,
} from '../slack/bot-world.ts';

let world: BotWorld;
beforeAll(async () => {
  world = await startBotWorld();
});
afterAll(async () => {
  await world?.stop();
});

const groupLookups = (group: string) =>
  world.slack.api.calls('usergroups.users.list').filter((c) => c.args.usergroup === group).length;

async function healthy(): Promise<void> {
  await pollUntil(
    async () => {
      const res = await fetch(`${world.sim.apiUrl}/healthz`).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    },
    { timeoutMs: 15_000, what: 'Hunter to answer again' },
  );
}

describe('slash commands', () => {
  it('refuses, ephemerally, saying why and what to do — and starts nothing', async () => {
    // Acked at once; the refusal follows on the command's response_url, to this person only.
    const unknown = await world.slash('prod');
    expect(unknown).toEqual({
      status: 200,
      text: 'Unknown environment "prod". Configured: staging. Type `/pc-verify help` for the commands.',
    });
    expect(world.slack.api.responses().map((r) => r.body.response_type ?? 'ephemeral')).toEqual([
      'ephemeral',
    ]);
    expect((await world.slash('Staging!')).text).toContain('"Staging!" is not an environment name');
    expect((await world.slash('staging', ALICE, OTHER_CHANNEL)).text).toBe(
      `*staging* can only be operated from <#${CHANNEL}>. Go there and type the command again.`,
    );
    expect((await world.slash('staging', MALLORY)).text).toContain(
      'You are not allowed to start runs for *staging*: you are not one of its requesters.',
    );
    const gibberish = await world.slash('staging now please');
    expect(gibberish.text).toContain("I don't understand `staging now please`.");
    expect(gibberish.text).toContain('`/pc-verify <env>` — start a run');
    expect((await world.slash('cancel')).text).toContain(
      '`cancel` needs an environment: `/pc-verify cancel <env>`',
    );
    expect((await world.slash('help')).text).toContain('`/pc-verify off <env>` — kill switch');

    expect(world.slack.api.messages(CHANNEL)).toHaveLength(0);
    expect(await world.runs.currentRunId(STAGING)).toBeUndefined();
    // Alice is a requester (in the wrong channel): her refusal joins the trail. Mallory is on no
    // list: his goes to the refusals kept apart, where a loop of them cannot push the trail out.
    const refused = (await world.audit.entries(STAGING)).filter((e) => e.outcome === 'refused');
    expect(refused.map((e) => e.actor)).toEqual([ALICE]);
    expect(await world.audit.refusals.entries(STAGING)).toEqual([
      expect.objectContaining({ actor: MALLORY, action: 'run.start', count: 1 }),
    ]);
  });

  it('shows the plan without running anything', async () => {
    const before = world.sim.composeCalls().length;
    const plan = await world.slash('plan staging');
    expect(plan.text).toMatch(/^```Plan for staging \(staging\); nothing is executed:/);
    expect(plan.text).toContain('alembic upgrade head');
    expect(plan.text).toContain('auth.device_code');
    expect(world.sim.composeCalls()).toHaveLength(before);
  });

  it('lets a member of a requester group start; a second start gets a link to the run going; cancel ends the wait for the login', async () => {
    const id = await world.start(CAROL);
    await world.nextCode();
    const run = await world.waitForRun(id, (r) => r.state === 'awaiting_login', 'the login wait');
    expect(groupLookups(OPS_GROUP)).toBe(1);

    const second = await world.slash('staging', ALICE);
    const link = `<https://fake-team.slack.com/archives/${CHANNEL}/p${run.slack!.rootTs!.replace('.', '')}|run ${id}>`;
    expect(second.text).toContain(
      `A run for *staging* is already going: ${link} (waiting for the device-code login, started by <@${CAROL}>`,
    );
    expect(second.text).toContain('`/pc-verify cancel staging`');

    const status = await world.slash('status staging');
    expect(status.text).toContain(`now: ${link} — waiting for the device-code login`);

    const cancel = await world.slash('cancel staging', CAROL);
    expect(cancel.text).toBe(
      `Cancelled run \`${id}\` of *staging* (it was awaiting_login). The environment is free again.`,
    );
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    expect(groupLookups(OPS_GROUP)).toBe(1);
    const ended = await world.finished(id, 5_000);
    expect(ended.report).toMatchObject({ state: 'cancelled', verdict: 'FAIL' });
    // The DM and the thread hear of it through the outbox, a moment after the run ended.
    await pollUntil(
      () =>
        world.slack.api.messages(world.slack.api.dmOf(CAROL)).at(-1)?.text ===
        'pc-verify staging: sign-in cancelled'
          ? true
          : undefined,
      { what: 'the DM to say the sign-in was cancelled' },
    );
    const { thread } = await world.rootWhen(id, (r) => r.thread.some((t) => t.includes('Login cancelled')));
    expect(thread).toContainEqual(expect.stringContaining(`Cancelled by <@${CAROL}>`));
  });

  it('cancels a run mid-flag-change: its commands stop, the flag is verified OFF before the environment is free', async () => {
    // Phase 1 held inside its flag restart (api and worker stopped): a moment, not a timer.
    const pause = world.sim.pauseAt('apply:during', { flag: false });
    const id = await world.start();
    await pollUntil(() => (pause.isReached() ? true : undefined), { what: 'Phase 1 held in its restart' });
    const ack = await world.slash('cancel staging');
    expect(ack.text).toContain(`Cancelling run \`${id}\``);
    // The flag was being written: the environment stays held until it is verified OFF.
    expect(await world.runs.lockHolder(STAGING)).toBe(id);
    const meanwhile = await world.slash('staging', CAROL);
    expect(meanwhile.text).toContain('still switching the flag OFF');
    // Its commands stop: the held restart's client was killed by the cancel.
    await pollUntil(() => (pause.isAbandoned() ? true : undefined), { what: 'the restart abandoned' });
    pause.release();
    const run = await world.finished(id, 20_000);
    expect(run.state).toBe('cancelled');
    // Stored as data (who cancelled), worded at the edge.
    expect(run.reason).toContain(coded(i18nMessage('thread.note.cancelledBy', { who: ALICE })));
    // Either Phase 1's own health.off verified OFF before the worker stopped, or the switch-off did.
    expect(run.report?.switchOff?.ok ?? true).toBe(true);
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    expect(await world.flags.get(STAGING)).toMatchObject({ desired: 'off', observed: 'off' });
    const phase1 = run.report!.phases[1]!;
    // The cancel lands inside flag.off's restart or just after it; the flag ends verified OFF either way.
    expect(['skip', 'pass']).toContain(phase1.checks.find((c) => c.id === 'flag.off')?.status);
    expect(run.report!.phases[2]!.status).toBe('not_run');
    const { message, thread } = await world.root(id);
    expect(message.text).toBe('pc-verify staging: cancelled');
    const cancelAt = thread.findIndex((t) => t.startsWith(`:no_entry: Cancelled by <@${ALICE}>. Stopping`));
    expect(cancelAt).toBeGreaterThan(0);
    expect(thread.at(-1)).toContain('*Verdict: FAIL*');
    await healthy();
  });

  it('answers from the members known before when Slack cannot say who is in a group: a stranger stays one', async () => {
    world.slack.api.failNext('usergroups.users.list', 'fatal_error', 2);
    const ack = await world.slash('cancel staging', MALLORY);
    expect(ack.text).toContain('You are not allowed to cancel runs of *staging*');
    // Nothing known at all (or only from more than a day ago) is refused as unknown:
    // test/commands/kill-switch-directory.test.ts.
  });

  it('shows status and history after several runs', async () => {
    world.sim.setFaults({ offReturns200: true });
    const failing = await world.start();
    const failed = await world.finished(failing);
    expect(failed.report).toMatchObject({ verdict: 'FAIL', state: 'failed' });
    world.sim.setFaults({ offReturns200: false });

    const passing = await world.start();
    world.aad.approve(await world.nextCode());
    expect((await world.finished(passing)).state).toBe('passed');

    const status = await world.slash('status');
    expect(status.text).toMatch(
      /^\*staging\* · last: \*PASS\* \(passed\) <!date\^\d+\^[^>]+> by <@U0ALICE0001>, can be turned ON: YES · flag desired \*ON\* · observed ON \(verified <!date/,
    );
    const history = await world.slash('history staging');
    const lines = history.text.split('\n');
    expect(lines[0]).toBe('Last 4 runs of *staging*, newest first:');
    expect(lines[1]).toContain(`*PASS* (passed) by <@${ALICE}>, run \`${passing}\``);
    expect(lines[2]).toContain(
      `*FAIL* (failed) by <@${ALICE}>, run \`${failing}\` — Phase 1: api.off failed`,
    );
    expect(lines[3]).toContain('*FAIL* (cancelled)');
    expect(lines[4]).toContain(`*FAIL* (cancelled) by <@${CAROL}>`);
  });

  it('switches the flag OFF with the kill switch: an approver, no second person, verified and audited', async () => {
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('true');
    expect((await world.slash('off staging', MALLORY)).text).toContain(
      'You are not allowed to switch off *staging*',
    );

    const ack = await world.slash('off staging', BOB);
    expect(ack.text).toContain('Kill switch: turning the Partner Center flag OFF in *staging* now');
    const root = await pollUntil(
      () =>
        world.slack.api
          .messages(CHANNEL)
          .find((m) => m.text?.includes('the Partner Center flag is OFF in *staging*')),
      { timeoutMs: 20_000, what: 'the kill switch outcome' },
    );
    expect(root.text).toBe(
      `Kill switch by <@${BOB}>: the Partner Center flag is OFF in *staging* (verified with /healthz).`,
    );
    const thread = world.slack.api.thread(CHANNEL, root.ts).map((m) => m.text ?? '');
    expect(thread).toContainEqual(expect.stringContaining('`health.off`'));
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
    expect(await world.flags.get(STAGING)).toMatchObject({
      desired: 'off',
      observed: 'off',
      by: BOB,
      owner: { kind: 'kill' },
    });
    // The outcome is audited just after the root message says it: wait for it, do not race it.
    const entries = await pollUntil(
      async () => {
        const all = await world.audit.entries(STAGING);
        return all.some((e) => e.action === 'flag.off.done') ? all : undefined;
      },
      { what: 'the kill switch outcome in the audit trail' },
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'flag.off', actor: BOB, outcome: 'accepted' }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'flag.off.done', actor: BOB, outcome: 'accepted' }),
    );
    expect(await world.audit.refusals.entries(STAGING)).toContainEqual(
      expect.objectContaining({ action: 'flag.off', actor: MALLORY }),
    );
    expect(await world.audit.verify(STAGING)).toMatchObject({ ok: true });

    // It acted first; the reason comes after, from its message, into the audit trail.
    const button = (root.blocks ?? [])
      .flatMap((b) => (b as { elements?: { action_id?: string; value?: string }[] }).elements ?? [])
      .find((e) => e.action_id === KILL_SWITCH_REASON_ACTION)!;
    const addReason = (value: string, trigger: string) =>
      postSigned(
        `${world.bot.url}/slack/events`,
        blockActionsBody({
          userId: BOB,
          channelId: CHANNEL,
          messageTs: root.ts,
          actionId: KILL_SWITCH_REASON_ACTION,
          value,
          triggerId: trigger,
        }),
        { secret: SECRET },
      );
    // A button naming another kill switch than the message it sits on opens no form.
    const [envOf] = button.value!.split('/');
    const formsBefore = world.slack.api.calls('views.open').length;
    await addReason(`${envOf}/zz00other00`, triggerId());
    await pollUntil(
      () =>
        world.slack.api
          .ephemerals({ user: BOB })
          .find((e) => e.text?.includes('names no kill switch pc-verify knows')),
      { what: 'the refusal of a button naming another kill switch' },
    );
    expect(world.slack.api.calls('views.open')).toHaveLength(formsBefore);
    const trigger = triggerId();
    await addReason(button.value!, trigger);
    const opened = await world.slack.api.waitForCall('views.open', (c) => c.args.trigger_id === trigger);
    const view = (opened.response as unknown as { view: FakeModal }).view;
    await postSigned(
      `${world.bot.url}/slack/events`,
      viewSubmissionBody({
        userId: BOB,
        view,
        values: { [REASON_BLOCK]: { [REASON_INPUT]: 'partners see 500s on sync' } },
      }),
      { secret: SECRET },
    );
    const why = await pollUntil(
      async () => (await world.audit.entries(STAGING)).find((e) => e.action === 'flag.off.reason'),
      { what: 'the reason in the audit trail' },
    );
    expect(why).toMatchObject({ actor: BOB, detail: expect.stringContaining('partners see 500s on sync') });
    await pollUntil(
      () =>
        world.slack.api
          .thread(CHANNEL, root.ts)
          .find((m) => m.text === `:memo: Reason from <@${BOB}>: partners see 500s on sync`),
      { what: 'the reason in the kill switch thread' },
    );
    expect(await world.audit.verify(STAGING)).toMatchObject({ ok: true });
  });

  it('cancels a run going when the kill switch is thrown', async () => {
    const id: RunId = await world.start();
    await world.nextCode();
    await world.waitForRun(id, (r) => r.state === 'awaiting_login', 'the login wait');
    const ack = await world.slash('off staging');
    expect(ack.text).toContain(`Run \`${id}\` is cancelled first.`);
    const run = await world.finished(id, 5_000);
    expect(run.state).toBe('cancelled');
    expect(run.reason).toBe(coded(i18nMessage('thread.note.cancelledByKillSwitch', { who: ALICE })));
    await pollUntil(
      async () =>
        (await world.audit.entries(STAGING)).filter((e) => e.action === 'flag.off.done').length === 2
          ? true
          : undefined,
      { timeoutMs: 20_000, what: 'the second kill switch' },
    );
  });
});
