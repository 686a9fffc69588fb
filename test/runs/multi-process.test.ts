import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAad, startFakeAad } from '../../sim/aad/index.ts';
import { type HunterSim, startHunterSim } from '../../sim/hunter/index.ts';
import { type FakeSlack, startFakeSlack } from '../../sim/slack/index.ts';
import type { EnvName, RunId } from '../../src/domain/ids.ts';
import type { RunRecord } from '../../src/domain/run.ts';
import { keysFor } from '../../src/store/keys.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { keepEvidence, PLANTED, slackTraffic, withPlantedPassword } from '../helpers/evidence.ts';
import { pollUntil } from '../helpers/poll.ts';
import { answerAt, type Served, startRunAt, startServe } from '../helpers/serve-process.ts';
import { createTestDatabase, REDIS_URL, type TestDatabase, uniqueName } from '../helpers/services.ts';
import { ALICE, CHANNEL, CLIENT, SECRET, TENANT } from '../slack/bot-world.ts';

/*
 * The deployment docs/architecture.md describes: one web process answering Slack, two worker processes
 * taking runs from the queue. 30 runs over 10 environments: each run is carried out exactly
 * once, and two runs of one environment never overlap.
 */

const ENVIRONMENTS = 10;
const RUNS_PER_ENVIRONMENT = 3;

const envs = Array.from({ length: ENVIRONMENTS }, (_, i) => `env-${i}` as EnvName);
let slack: FakeSlack;
let aad: FakeAad;
const sims = new Map<EnvName, HunterSim>();
const databases: TestDatabase[] = [];
let dir: string;
let deployment: string;
let redis: Redis;
let runs: RunStore;
let web: Served;
let workers: Served[];
const children: ResultPromise[] = [];

beforeAll(async () => {
  slack = await startFakeSlack({ botToken: PLANTED.botToken });
  slack.api.addUser({ id: ALICE, name: 'alice' });
  slack.api.addChannel(CHANNEL, { name: 'pc-verify' });
  aad = await startFakeAad({ pollIntervalSec: 0.05, tokenMark: PLANTED.aadTokenMark });
  aad.registerClient(CLIENT, { tenantId: TENANT });
  aad.autoApprove();
  for (const env of envs) {
    const db = await createTestDatabase();
    databases.push(db);
    const sim = await startHunterSim({
      databaseUrl: db.url,
      clientId: CLIENT,
      tenantId: TENANT,
      taskDelayMs: 20,
      extraEnvLines: PLANTED.envFileLines,
      aad: { tokenUrl: (t) => aad.tokenUrl(t), ca: aad.ca },
    });
    sims.set(env, sim);
  }
  deployment = uniqueName('multi').replaceAll('_', '-');
  dir = await mkdtemp(join(tmpdir(), 'pcv-multi-'));
  await writeFile(join(dir, 'pc-verify.yml'), configText());
  await writeFile(join(dir, 'aad-ca.pem'), aad.ca);
  redis = new Redis(REDIS_URL);
  runs = new RunStore(redis, keysFor(deployment));
  const serveAs = async (role: 'web' | 'worker') => {
    const served = await startServe({
      configPath: join(dir, 'pc-verify.yml'),
      caFile: join(dir, 'aad-ca.pem'),
      botToken: slack.api.botToken,
      apiUrl: slack.api.apiUrl,
      signingSecret: SECRET,
      redisUrl: REDIS_URL,
      role,
      // Longer leases than the crash tests: this test is about sharing work, not taking it over.
      env: { PCV_JOB_LOCK: '30s', PCV_STALLED_INTERVAL: '30s', PCV_RUN_LEASE: '2m' },
    });
    children.push(served.child);
    return served;
  };
  [web, ...workers] = await Promise.all([serveAs('web'), serveAs('worker'), serveAs('worker')]);
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.allSettled(children);
  if (slack) await keepEvidence('slack-traffic', slackTraffic(slack));
  await Promise.allSettled([...sims.values()].map((s) => s.stop()));
  await Promise.allSettled([aad?.stop(), slack?.close()]);
  const found = await redis.keys(`{${deployment}}*`);
  if (found.length > 0) await redis.del(...found);
  redis.disconnect();
  await Promise.allSettled(databases.map((d) => d.drop()));
  await rm(dir, { recursive: true, force: true });
});

function configText(): string {
  const environments = Object.fromEntries(
    envs.map((env, i) => {
      const sim = sims.get(env)!;
      return [
        env,
        {
          tier: 'staging',
          api: { baseUrl: sim.apiUrl, readyTimeout: '20s', requestTimeout: '5s' },
          database: { url: withPlantedPassword(databases[i]!.url) },
          driver: {
            kind: 'compose',
            projectDir: sim.projectDir,
            host: sim.dockerHost,
            commandTimeout: '30s',
          },
          auth: {
            authority: `https://${aad.host}/{tenantId}`,
            knownAuthorities: [aad.host],
            loginTimeout: '60s',
          },
          policy: { requesters: [ALICE], channels: [CHANNEL] },
        },
      ];
    }),
  );
  return JSON.stringify({ deployment, environments });
}

async function finished(id: RunId): Promise<RunRecord> {
  return pollUntil(
    async () => {
      const run = await runs.get(id);
      return run?.report ? run : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 100, what: `run ${id} to finish` },
  );
}

/** The runs of one environment, one after another; a second start while one goes is refused. */
async function runsOf(env: EnvName): Promise<{ ids: RunId[]; refusals: string[] }> {
  const ids: RunId[] = [];
  const refusals: string[] = [];
  for (let i = 0; i < RUNS_PER_ENVIRONMENT; i++) {
    const slash = { text: env, userId: ALICE, channelId: CHANNEL, secret: SECRET, slack: slack.api };
    const id = await startRunAt(web.url, slash);
    ids.push(id);
    refusals.push(await answerAt(web.url, slash));
    await finished(id);
  }
  return { ids, refusals };
}

describe('one web and two worker processes', () => {
  it('carry out 30 runs over 10 environments: each exactly once, never two of one environment at a time', async () => {
    const perEnv = await Promise.all(envs.map((env) => runsOf(env)));

    const ids = perEnv.flatMap((r) => r.ids);
    expect(new Set(ids).size).toBe(ENVIRONMENTS * RUNS_PER_ENVIRONMENT);
    for (const refusal of perEnv.flatMap((r) => r.refusals)) expect(refusal).toContain('is already going');

    const records = await Promise.all(ids.map(async (id) => (await runs.get(id))!));
    expect(records.map((r) => r.state)).toEqual(records.map(() => 'passed'));

    for (const [i, env] of envs.entries()) {
      const mine = records.filter((r) => r.env === env);
      expect(mine.map((r) => r.id)).toEqual(perEnv[i]!.ids);
      // Never two at once: each run of an environment began after the one before it ended.
      for (const [k, run] of mine.entries()) {
        const before = mine[k - 1];
        if (before)
          expect(Date.parse(run.createdAt)).toBeGreaterThanOrEqual(Date.parse(before.report!.finishedAt));
      }
      // Exactly once: the deployment saw two restarts per run (flag OFF in Phase 1, ON in Phase 3)…
      // (through the Engine API: one `restart api` per apply)
      const restarts = sims
        .get(env)!
        .engineCalls()
        .filter((call) => call === 'restart api');
      expect(restarts).toHaveLength(2 * RUNS_PER_ENVIRONMENT);
    }
    // …and each thread tells each phase once. The chat is an outbox, paced at one post a second
    // per channel and all 30 threads share one: the last replies land after their runs ended.
    const phaseHeaders = (run: (typeof records)[number]) => {
      const thread = slack.api.thread(CHANNEL, run.slack!.rootTs!).map((m) => m.text ?? '');
      return [0, 1, 2, 3].map((phase) => thread.filter((t) => t.includes(`*Phase ${phase}* —`)).length);
    };
    await pollUntil(
      () => (records.every((run) => phaseHeaders(run).every((n) => n >= 1)) ? true : undefined),
      {
        timeoutMs: 180_000,
        what: 'every thread to show its four phases',
      },
    );
    for (const run of records) {
      const thread = slack.api.thread(CHANNEL, run.slack!.rootTs!).map((m) => m.text ?? '');
      for (const phase of [0, 1, 2, 3])
        expect(
          thread.filter((t) => t.includes(`*Phase ${phase}* —`)),
          `run ${run.id}`,
        ).toHaveLength(1);
    }
    // Both workers took part, and between them finished each run once.
    // (The log line comes just after the report is stored: wait for the last ones.)
    const finishedBy = await pollUntil(
      () => {
        const counts = workers.map((w) => w.output().match(/"msg":"run finished"/g)?.length ?? 0);
        return counts[0]! + counts[1]! >= ENVIRONMENTS * RUNS_PER_ENVIRONMENT ? counts : undefined;
      },
      { what: 'every "run finished" log line' },
    );
    expect(finishedBy.every((n) => n > 0)).toBe(true);
    expect(finishedBy[0]! + finishedBy[1]!).toBe(ENVIRONMENTS * RUNS_PER_ENVIRONMENT);
  }, 300_000);
});
