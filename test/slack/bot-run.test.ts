import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appHomeOpenedBody,
  forgedHeaders,
  postRaw,
  postSigned,
  slashCommandBody,
} from '../../sim/slack/sign.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { CHAT_METHOD_SCOPES } from '../../src/slack/chat.ts';
import { pollUntil } from '../helpers/poll.ts';
import {
  ALICE,
  type BotWorld,
  CHANNEL,
  dumpRedis,
  mustNotLeak,
  SECRET,
  STAGING,
  startBotWorld,
} from './bot-world.ts';

let world: BotWorld;
let runId: RunId;
let code: string;

beforeAll(async () => {
  world = await startBotWorld();
});
afterAll(async () => {
  await world?.stop();
});

describe('/pc-verify staging over signed HTTP, end to end', () => {
  it('answers at once, threads every phase, hands the code to the DM only, and stores a PASS', async () => {
    const ack = await world.slash('staging');
    expect(ack.status).toBe(200);
    expect(ack.text).toMatch(/^Starting run `r[a-z0-9]+` for \*staging\*/);
    runId = /`(r[a-z0-9]+)`/.exec(ack.text)![1] as RunId;

    code = await world.nextCode();
    const dmChannel = world.slack.api.dmOf(ALICE);
    const dm = await pollUntil(
      () => world.slack.api.messages(dmChannel).find((m) => m.text?.includes(code)),
      {
        what: 'the DM with the code',
      },
    );
    const dmBlocks = JSON.stringify(dm.blocks);
    expect(dmBlocks).toContain('Open login page');
    expect(dmBlocks).toContain('/devicelogin');
    expect(dmBlocks).toContain('The code expires at');
    expect((await world.runs.get(runId))?.state).toBe('awaiting_login');
    world.aad.approve(code, { username: 'alice@contoso.example' });

    const run = await world.finished(runId);
    expect(run.state).toBe('passed');
    expect(run.report).toMatchObject({ verdict: 'PASS', canTurnOn: true });
    const latest = await world.results.latest(STAGING);
    expect(latest).toMatchObject({ report: { runId, verdict: 'PASS' }, flagOn: true });
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();

    const { message, thread } = await world.root(runId);
    expect(world.slack.api.messages(CHANNEL)).toHaveLength(1);
    expect(message.text).toBe('pc-verify staging: PASS');
    // Updated in place: queued → … → PASS. The notifier coalesces root updates it is behind on
    // (only the newest is sent), so how many versions land depends on the machine's pace.
    expect(message.versions.length).toBeGreaterThan(2);
    const checklist = JSON.stringify(message.blocks);
    for (const n of [0, 1, 2, 3]) expect(checklist).toContain(`*PHASE ${n}* -`);
    expect(checklist).toContain('*Overall Status:* PASS · *Can be turned ON:* YES');
    for (const n of [0, 1, 2, 3]) {
      expect(thread).toContainEqual(expect.stringContaining(`*Phase ${n}*`));
      expect(thread).toContainEqual(expect.stringContaining(`*Phase ${n}: PASS*`));
    }
    for (const id of [
      'env.vars',
      'db.table',
      'api.off',
      'task.off',
      'auth.device_code',
      'auth.silent',
      'api.on',
      'task.on',
    ])
      expect(thread).toContainEqual(expect.stringContaining(`\`${id}\``));
    expect(thread).toContainEqual(expect.stringContaining(`Login handed to <@${ALICE}> in DM`));
    expect(thread).toContainEqual(expect.stringContaining('Login done'));
    expect(thread).toContainEqual(expect.stringContaining('HUNTER_PARTNER_CENTER_ENABLED=true'));
    expect(thread.at(-1)).toContain('*Verdict: PASS*');

    // The DM now says how the login ended; the code is gone from it.
    const dmNow = world.slack.api.message(dmChannel, dm.ts)!;
    expect(dmNow.text).toBe('pc-verify staging: sign-in done');
    expect(JSON.stringify(dmNow.blocks)).not.toContain(code);
  });

  it('keeps the code and every token out of the channel, the logs and Redis', async () => {
    const dmChannel = world.slack.api.dmOf(ALICE);
    // The code went to the DM (as an update of the DM's first, code-free version)…
    const dmCalls = JSON.stringify(world.slack.api.calls().filter((c) => c.args.channel === dmChannel));
    expect(dmCalls).toContain(code);
    const outsideDm = JSON.stringify(world.slack.api.calls().filter((c) => c.args.channel !== dmChannel));
    const logs = world.logs.join('\n');
    const stored = await dumpRedis(world);
    expect(logs.length).toBeGreaterThan(1_000);
    expect(stored).toContain(runId);
    for (const secret of mustNotLeak(world, [code])) {
      expect(outsideDm).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
    // Structured: one JSON object per line, with the run's end in it.
    const lines = world.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'run finished', runId, verdict: 'PASS' }));
  });

  it('leaves an audit trail whose hash chain verifies', async () => {
    const entries = await world.audit.entries(STAGING);
    const actions = entries.map((e) => e.action);
    for (const action of ['run.start', 'flag.off', 'login.handed_off', 'flag.on', 'run.finished'])
      expect(actions).toContain(action);
    expect(entries.find((e) => e.action === 'run.start')).toMatchObject({
      actor: ALICE,
      outcome: 'accepted',
      runId,
    });
    expect(await world.audit.verify(STAGING)).toMatchObject({ ok: true });
  });

  it('shows the environment on App Home: verdict, flag state, when, by whom', async () => {
    const res = await postSigned(
      `${world.bot.url}/slack/events`,
      appHomeOpenedBody({
        userId: ALICE,
        channelId: world.slack.api.dmOf(ALICE),
        botUserId: world.slack.api.identity.botUserId,
      }),
      { secret: SECRET },
    );
    expect(res.status).toBe(200);
    const view = await pollUntil(() => world.slack.api.homeView(ALICE), { what: 'the Home view' });
    const text = JSON.stringify(view);
    expect(text).toContain('*staging* (staging) — *PASS* (passed) · flag *ON*');
    expect(text).toContain(`by <@${ALICE}>`);
    expect(text).toContain(`via run ${runId}`);
  });

  it('serves /healthz and /metrics', async () => {
    const health = await fetch(`${world.bot.opsUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, redis: true, worker: 'running' });
    const metrics = await (await fetch(`${world.bot.opsUrl}/metrics`)).text();
    expect(metrics).toContain('pcv_runs_total{env="staging",verdict="PASS",state="passed"} 1');
    expect(metrics).toMatch(
      /pcv_check_duration_seconds_count\{env="staging",check="api\.off",status="pass"\} 1/,
    );
    expect(metrics).toMatch(/pcv_phase_duration_seconds_count\{env="staging",phase="2",status="pass"\} 1/);
    expect(metrics).toMatch(/pcv_command_answer_seconds_count\{command="start"\} 1/);
    expect(metrics).toMatch(/pcv_queue_jobs\{state="completed"\}|pcv_queue_jobs\{state="waiting"\} 0/);
    expect(metrics).toContain('pcv_waiting_runs');
  });

  it('tells the DM and the thread when the sign-in expires, and fails at Phase 2 without turning the flag ON', async () => {
    const id = await world.start();
    const expiring = await world.nextCode();
    await world.waitForRun(id, (r) => r.state === 'awaiting_login', 'the login wait');
    // The code reached the person (the DM shows it) before it expires, as it does in life.
    await pollUntil(
      () =>
        world.slack.api
          .messages(world.slack.api.dmOf(ALICE))
          .find((m) => m.text?.includes(`sign in with code ${expiring}`)),
      { what: 'the DM with the code' },
    );
    world.aad.expire(expiring);
    const run = await world.finished(id);
    expect(run.report).toMatchObject({ verdict: 'FAIL', state: 'failed', canTurnOn: false });
    expect(run.report?.phases[2]?.checks[0]).toMatchObject({ id: 'auth.device_code', status: 'fail' });
    expect(run.report?.reason).toContain('Phase 2: auth.device_code failed');
    expect(run.report?.phases[3]?.status).toBe('not_run');
    // The DM comes through the outbox: it may land just after the run is recorded as finished.
    const expired = await pollUntil(
      () =>
        world.slack.api
          .messages(world.slack.api.dmOf(ALICE))
          .find((m) => m.text === 'pc-verify staging: sign-in expired'),
      { what: 'the expiry DM' },
    );
    expect(world.slack.api.messages(world.slack.api.dmOf(ALICE)).at(-1)?.text).toBe(expired.text);
    const { thread } = await world.root(id);
    expect(thread).toContainEqual(expect.stringContaining('Login expired'));
    expect(thread).toContainEqual(expect.stringContaining('*next:*'));
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
  });

  it('refuses a forged slash command and starts nothing', async () => {
    const body = slashCommandBody({ text: 'staging', userId: ALICE, channelId: CHANNEL });
    const res = await postRaw(`${world.bot.url}/slack/events`, body.rawBody, forgedHeaders(body.rawBody));
    expect(res.status).toBe(401);
    expect(world.slack.api.messages(CHANNEL)).toHaveLength(2);
  });

  it('calls only Web API methods the manifest covers', () => {
    const called = new Set(world.slack.api.calls().map((c) => c.method));
    expect([...called].sort()).toEqual(
      ['auth.test', 'chat.postMessage', 'chat.update', 'conversations.open', 'views.publish'].sort(),
    );
    for (const method of called) expect(Object.keys(CHAT_METHOD_SCOPES)).toContain(method);
  });
});
