/**
 * The `serve` footprint. (a) RSS of a `serve --role all` process idle, after a warm-up and
 * after `--runs` full runs (Phases 0–3, sign-in approved by the fake Azure AD) driven through
 * signed slash commands, `--envs` environments at once (one simulator and database each, one
 * run per environment at a time). Target: no growth beyond 10 %. (b) What `status <env>` costs
 * with 10 and with 10 000 results recorded for the environment (and with its audit stream full).
 *
 *   DATABASE_URL=postgres://… npx tsx bench/footprint.ts [--runs 500] [--envs 10] [--warmup 20] [--status 200]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startFakeAad } from '../sim/aad/index.ts';
import { type HunterSim, startHunterSim } from '../sim/hunter/index.ts';
import { startFakeSlack } from '../sim/slack/index.ts';
import { type DemoDatabase, openDemoDatabase } from '../src/cli/demo-database.ts';
import type { EnvName, RunId } from '../src/domain/ids.ts';
import { AuditLog } from '../src/store/audit.ts';
import { keysFor } from '../src/store/keys.ts';
import { ResultStore } from '../src/store/results.ts';
import { RunStore } from '../src/store/run-store.ts';
import {
  ALICE,
  CHANNEL,
  cpuMs,
  dropDeploymentKeys,
  histogram,
  meansMs,
  REDIS_URL,
  type ServeProcess,
  slash,
  startServeProcess,
} from './bot-process.ts';
import { load1, machine, summary } from './stats.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '500' },
    envs: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '20' },
    status: { type: 'string', default: '200' },
  },
});
const totalRuns = Number(values.runs);
const envCount = Number(values.envs);
const warmupRuns = Number(values.warmup);
const statusCount = Number(values.status);

const DOCKER_STAND_IN = fileURLToPath(new URL('../sim/bin/docker', import.meta.url));
const CLIENT_ID = '6f1c3a52-8d0e-4b7a-9c41-2e5d7f08a913';
const TENANT_ID = 'b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b';
/** Never run: (b) fills its results and audit stream and asks for its status. */
const QUIET = 'quiet' as EnvName;
const MiB = 1024;

/** VmRSS and VmHWM (peak) of a process, in KiB. */
async function memoryKiB(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

/**
 * RSS sampled `count` times over ~5 s: nothing can make another process collect garbage, so
 * the minimum (after a collection) and the last sample are reported, in MiB.
 */
async function settledRss(pid: number, count = 6): Promise<{ min: number; last: number }> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0) await sleep(1000);
    samples.push((await memoryKiB(pid)).rss);
  }
  const mib = (kib: number) => Math.round((kib / MiB) * 10) / 10;
  return { min: mib(Math.min(...samples)), last: mib(samples.at(-1)!) };
}

const deployment = `bench-fp-${randomBytes(4).toString('hex')}`;
const envNames = Array.from({ length: envCount }, (_, i) => `env-${i}` as EnvName);
const redis = new Redis(REDIS_URL);
const keys = keysFor(deployment);
const runs = new RunStore(redis, keys);
const results = new ResultStore(redis, keys);
const audit = new AuditLog(redis, keys);

const slack = await startFakeSlack();
slack.api.addUser({ id: ALICE, name: 'alice' });
slack.api.addChannel(CHANNEL, { name: 'pc-verify' });
const aad = await startFakeAad({ pollIntervalSec: 0.05 });
aad.registerClient(CLIENT_ID, { tenantId: TENANT_ID });
aad.autoApprove({ username: 'bench.operator@contoso.example', name: 'Bench Operator' });
const tmp = await mkdtemp(join(tmpdir(), 'pcv-footprint-'));
const caFile = join(tmp, 'aad-ca.pem');
await writeFile(caFile, aad.ca);
const databaseEnv = {
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
};
const databases: DemoDatabase[] = [];
const sims: HunterSim[] = [];
let serve: ServeProcess | undefined;

function environment(sim: HunterSim, databaseUrl: string) {
  return {
    tier: 'staging',
    api: { baseUrl: sim.apiUrl, readyTimeout: '10s', requestTimeout: '3s' },
    database: { url: databaseUrl },
    driver: {
      kind: 'compose',
      command: [DOCKER_STAND_IN, 'compose'],
      projectDir: sim.projectDir,
      host: sim.dockerHost,
      commandTimeout: '10s',
    },
    auth: { authority: `https://${aad.host}/{tenantId}`, knownAuthorities: [aad.host], loginTimeout: '60s' },
    policy: { requesters: [ALICE], channels: [CHANNEL] },
  };
}

interface Done {
  readonly verdict: string;
  readonly ms: number;
}

/** One run through the bot: start it by slash command, wait for its report in Redis. */
async function runOnce(url: string, env: EnvName): Promise<Done> {
  const started = performance.now();
  for (;;) {
    const ack = await slash(url, env);
    const id = /`(r[a-z0-9]+)`/.exec(ack.text)?.[1] as RunId | undefined;
    if (id) {
      for (;;) {
        const run = await runs.get(id);
        if (run?.report) return { verdict: run.report.verdict, ms: performance.now() - started };
        if (performance.now() - started > 120_000) throw new Error(`run ${id} of ${env} did not finish`);
        await sleep(50);
      }
    }
    // The previous run's lock is released an instant after its report: ask again.
    if (!ack.text.includes('is already going')) throw new Error(`${env}: no run started: ${ack.text}`);
    await sleep(100);
  }
}

/** `count` runs spread over every environment, one at a time per environment. */
async function runMany(url: string, count: number): Promise<Done[]> {
  const done: Done[] = [];
  let started = 0;
  await Promise.all(
    envNames.map(async (env) => {
      while (started < count) {
        started++;
        done.push(await runOnce(url, env));
      }
    }),
  );
  return done;
}

/** Times `text` (status or history of QUIET) one at a time; an error answer stops the benchmark. */
async function timeStatus(url: string, text: string): Promise<ReturnType<typeof summary>> {
  const ms: number[] = [];
  for (let i = 0; i < statusCount; i++) {
    const ack = await slash(url, text);
    if (ack.status !== 200 || !/^(\*quiet\* · |Last \d+ runs of \*quiet\*)/.test(ack.text))
      throw new Error(`${text}: ${ack.status} ${ack.text}`);
    ms.push(ack.ms);
  }
  return summary(ms);
}

async function timeCall(call: () => Promise<unknown>): Promise<ReturnType<typeof summary>> {
  const ms: number[] = [];
  for (let i = 0; i < statusCount; i++) {
    const started = performance.now();
    await call();
    ms.push(performance.now() - started);
  }
  return summary(ms);
}

let output: Record<string, unknown>;
try {
  for (const _ of envNames) databases.push(await openDemoDatabase(databaseEnv));
  for (const db of databases)
    sims.push(
      await startHunterSim({
        databaseUrl: db.url,
        clientId: CLIENT_ID,
        tenantId: TENANT_ID,
        taskDelayMs: 20,
        aad: { tokenUrl: (t) => aad.tokenUrl(t), ca: aad.ca },
      }),
    );
  const configText = JSON.stringify({
    deployment,
    environments: {
      ...Object.fromEntries(envNames.map((env, i) => [env, environment(sims[i]!, databases[i]!.url)])),
      [QUIET]: environment(sims[0]!, databases[0]!.url),
    },
  });
  serve = await startServeProcess({
    role: 'all',
    configText,
    botToken: slack.api.botToken,
    apiUrl: slack.api.apiUrl,
    // Every environment may run at once (a run waiting for its sign-in holds a worker slot).
    env: { NODE_EXTRA_CA_CERTS: caFile, PCV_CONCURRENCY: String(envCount) },
  });
  const { url, pid, opsUrl } = serve;

  // (a) RSS: idle, after the warm-up, after every run; growth against both.
  await sleep(3000);
  const idle = await settledRss(pid);
  const loadAtStart = load1();
  const warmup = await runMany(url, warmupRuns);
  const afterWarmup = await settledRss(pid);
  const trajectory: { runs: number; rssMiB: number; load1: number }[] = [];
  const phases = () => histogram(opsUrl, 'pcv_phase_duration_seconds', 'phase');
  const [phasesBefore, cpuBefore] = [await phases(), await cpuMs(pid)];
  const started = performance.now();
  const measured: Done[] = [];
  for (let at = 0; at < totalRuns; at += 100) {
    measured.push(...(await runMany(url, Math.min(100, totalRuns - at))));
    const rss = Math.round(((await memoryKiB(pid)).rss / MiB) * 10) / 10;
    trajectory.push({ runs: at + Math.min(100, totalRuns - at), rssMiB: rss, load1: load1() });
  }
  const wallS = (performance.now() - started) / 1000;
  const cpuAfter = await cpuMs(pid);
  const phaseMeanMs = meansMs(phasesBefore, await phases());
  const afterRuns = await settledRss(pid);
  const peakMiB = Math.round(((await memoryKiB(pid)).peak / MiB) * 10) / 10;
  const growth = (from: number) => Math.round(((afterRuns.min - from) / from) * 1000) / 10;

  // (b) status with 10, then 10 000 results recorded (the history is capped), then a full audit stream.
  const sample = await results.latest(envNames[0]!);
  if (!sample) throw new Error('no result recorded to copy');
  const fill = async (count: number) => {
    for (let i = 0; i < count; i++)
      await results.record({
        ...sample,
        report: { ...sample.report, env: QUIET, runId: `rbench${i}` as RunId },
      });
  };
  const measureStatus = async () => ({
    statusAckMs: await timeStatus(url, `status ${QUIET}`),
    historyAckMs: await timeStatus(url, `history ${QUIET}`),
    latestCallMs: await timeCall(() => results.latest(QUIET)),
    historyCallMs: await timeCall(() => results.history(QUIET, 10)),
    historyLength: await redis.llen(keys.history(QUIET)),
    auditLength: await redis.xlen(keys.audit(QUIET)),
  });
  await fill(10);
  const with10 = await measureStatus();
  await fill(10_000);
  const with10000 = await measureStatus();
  const auditFill = 10_000 - (await redis.xlen(keys.audit(QUIET)));
  for (let i = 0; i < auditFill; i++)
    await audit.append(QUIET, {
      at: new Date().toISOString(),
      actor: ALICE,
      action: 'status',
      outcome: 'info',
    });
  const withFullAudit = await measureStatus();

  const all = [...warmup, ...measured];
  output = {
    benchmark: 'footprint',
    envs: envCount,
    warmupRuns,
    runs: totalRuns,
    runsWallS: Math.round(wallS),
    runMs: summary(measured.map((d) => d.ms)),
    phaseMeanMs,
    // CPU per run: the bot itself, and the stand-in `docker` processes it spawned.
    cpuMsPerRun: {
      serve: Math.round((cpuAfter.self - cpuBefore.self) / totalRuns),
      standIns: Math.round((cpuAfter.children - cpuBefore.children) / totalRuns),
    },
    verdicts: Object.fromEntries(
      [...new Set(all.map((d) => d.verdict))].map((v) => [v, all.filter((d) => d.verdict === v).length]),
    ),
    rssMiB: { idle, afterWarmup, afterRuns, peak: peakMiB, trajectory },
    growthPercent: { vsWarmup: growth(afterWarmup.min), vsIdle: growth(idle.min) },
    target: 'growth ≤ 10 %; status with 10 000 results within the same order of magnitude as with 10',
    status: { with10, with10000, withFullAudit },
    load1: { atStart: loadAtStart, atEnd: load1() },
    machine: machine(),
  };
} finally {
  await serve?.stop();
  await Promise.allSettled(sims.map((s) => s.stop()));
  await Promise.allSettled(databases.map((d) => d.close()));
  await Promise.allSettled([aad.stop(), slack.close()]);
  await dropDeploymentKeys(redis, deployment);
  redis.disconnect();
  await rm(tmp, { recursive: true, force: true });
}
console.log(JSON.stringify(output, null, 2));
