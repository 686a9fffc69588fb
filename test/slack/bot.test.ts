import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvName } from '../../src/domain/ids.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { keysFor } from '../../src/store/keys.ts';
import { ResultStore } from '../../src/store/results.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { pollUntil } from '../helpers/poll.ts';
import { REDIS_URL } from '../helpers/services.ts';
import { ALICE, type BotWorld, CHANNEL, MALLORY, OTHER_CHANNEL, startBotWorld } from './bot-world.ts';

const STAGING = 'staging' as EnvName;
let world: BotWorld;
let redis: Redis;
let runs: RunStore;
let results: ResultStore;
let audit: AuditLog;

beforeAll(async () => {
  world = await startBotWorld();
  redis = new Redis(REDIS_URL);
  const keys = keysFor(world.config.deployment);
  runs = new RunStore(redis, keys);
  results = new ResultStore(redis, keys);
  audit = new AuditLog(redis, keys);
});
afterAll(async () => {
  await world.stop();
  redis.disconnect();
});

const idle = () =>
  pollUntil(async () => ((await runs.lockHolder(STAGING)) === undefined ? true : undefined), {
    timeoutMs: 30_000,
    what: 'the environment to be free',
  });

describe('/pc-verify staging, end to end', () => {
  it('queues a run, threads every phase, hands the code to the DM only, and stores a PASS', async () => {
    const ack = await world.slash('staging');
    expect(ack.status).toBe(200);
    expect(ack.text).toMatch(/^Queued run `r\w+` for \*staging\*/);

    // The device code arrives in Alice's DM; she signs in.
    const userCode = await world.aad.nextPendingCode(20_000);
    const dm = await pollUntil(
      () => world.slack.messages(world.slack.dmOf(ALICE)).find((m) => (m.text ?? '').includes(userCode)),
      {
        timeoutMs: 10_000,
        what: 'the DM with the code',
      },
    );
    expect(JSON.stringify(dm.blocks)).toContain('Open login page');
    world.aad.approve(userCode, { username: 'alice@contoso.example' });

    const summary = await pollUntil(() => results.latest(STAGING), { timeoutMs: 30_000, what: 'the result' });
    expect(summary.report).toMatchObject({
      env: 'staging',
      verdict: 'PASS',
      canTurnOn: true,
      state: 'passed',
    });

    const [root] = world.slack.messages(CHANNEL);
    expect(root?.text).toBe('pc-verify staging: PASS');
    const thread = world.slack.thread(CHANNEL, root!.ts).map((m) => m.text ?? '');
    for (const phase of [0, 1, 2, 3])
      expect(thread.some((t) => t.includes(`*Phase ${phase}: PASS*`))).toBe(true);
    for (const id of ['env.vars', 'api.off', 'auth.silent', 'task.on'])
      expect(thread.some((t) => t.includes(`\`${id}\``))).toBe(true);
    expect(thread.some((t) => t.includes(`Login handed to <@${ALICE}> in DM`))).toBe(true);
    expect(thread.at(-1)).toContain('*Verdict: PASS*');

    // The code is in the DM and nowhere else; the DM no longer shows it once the login is done.
    const everywhere = JSON.stringify(
      world.slack.calls().filter((c) => c.args.channel !== world.slack.dmOf(ALICE)),
    );
    expect(everywhere).not.toContain(userCode);
    const dmNow = world.slack.messages(world.slack.dmOf(ALICE))[0]!;
    expect(dmNow.text).not.toContain(userCode);
    expect(JSON.stringify(await runs.get(summary.report.runId))).not.toContain(userCode);

    const verified = await audit.verify(STAGING);
    expect(verified.ok).toBe(true);
    await idle();
  });

  it('refuses, ephemerally and with the reason, what it must not do', async () => {
    expect((await world.slash('prod')).text).toContain('Unknown environment "prod". Configured: staging.');
    expect((await world.slash('staging', MALLORY)).text).toContain('You are not allowed to start *staging*');
    expect((await world.slash('staging', ALICE, OTHER_CHANNEL)).text).toContain(
      `can only be started from <#${CHANNEL}>`,
    );
    expect((await world.slash('staging; rm -rf /')).text).toContain("I don't understand");
    expect((await world.slash('cancel')).text).toContain('`cancel` needs an environment');
    expect((await world.slash('help')).text).toContain('`/pc-verify <env>` start a run');
    const refused = (await audit.entries(STAGING)).filter((e) => e.outcome === 'refused');
    expect(refused.some((e) => e.actor === MALLORY && e.action === 'run.start')).toBe(true);
  });

  it('answers a second start with the run that is going, then cancels it mid-phase', async () => {
    const first = await world.slash('staging');
    const runId = /`(r\w+)`/.exec(first.text)![1]!;
    const second = await world.slash('staging');
    expect(second.text).toContain(`A run for *staging* is already going (run \`${runId}\``);
    await world.aad.nextPendingCode(20_000);
    const cancel = await world.slash('cancel staging');
    expect(cancel.text).toContain(`Cancelled run \`${runId}\``);
    const run = await pollUntil(
      async () => {
        const r = await runs.get(runId as never);
        return r?.report ? r : undefined;
      },
      { timeoutMs: 10_000, what: 'the cancelled run to finish' },
    );
    expect(run.state).toBe('cancelled');
    await idle();
  });

  it('shows status and history after several runs', async () => {
    const status = await world.slash('status');
    expect(status.text).toMatch(/\*staging\* — last: \*(PASS|FAIL)\*/);
    const history = await world.slash('history staging');
    expect(history.text).toContain('Last 2 runs of *staging*');
    expect(history.text).toContain('*PASS* (passed)');
    expect(history.text).toContain('(cancelled)');
  });

  it('switches the flag OFF with the kill switch, verified and audited', async () => {
    const ack = await world.slash('off staging');
    expect(ack.text).toContain('Turning the Partner Center flag OFF in *staging*');
    const posted = await pollUntil(
      () => world.slack.messages(CHANNEL).find((m) => (m.text ?? '').includes('Kill switch')),
      {
        timeoutMs: 20_000,
        what: 'the kill switch result',
      },
    );
    expect(posted.text).toContain('the Partner Center flag is OFF in *staging* (verified with /healthz)');
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
    const entries = await audit.entries(STAGING);
    expect(entries.some((e) => e.action === 'flag.off.done' && e.outcome === 'accepted')).toBe(true);
    expect((await audit.verify(STAGING)).ok).toBe(true);
  });
});
