/**
 * Start-up and footprint of the compiled build. (a) Wall time of `pc-verify --help` against
 * `node -e 0` (the floor: a Node start), taking turns, medians; target ≤ 3×. (b) Resident
 * memory of `pc-verify serve` at rest (started, connected, no command yet), per role, beside a
 * bare Bolt HTTP app (bench/bare-bolt.mjs) measured the same way; target ≤ 120 MiB.
 *
 *   npm run build && npx tsx bench/start-footprint.ts [--starts 21] [--roles all,web,worker]
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { startFakeSlack } from '../sim/slack/index.ts';
import {
  ALICE,
  CHANNEL,
  dropDeploymentKeys,
  REDIS_URL,
  type ServeProcess,
  startServeProcess,
} from './bot-process.ts';
import { load1, machine, summary } from './stats.ts';

const { values } = parseArgs({
  options: {
    starts: { type: 'string', default: '21' },
    roles: { type: 'string', default: 'all,web,worker' },
  },
});
const starts = Number(values.starts);
const roles = String(values.roles).split(',') as ('all' | 'web' | 'worker')[];
const BIN = fileURLToPath(new URL('../bin/pc-verify.mjs', import.meta.url));
const BARE_BOLT = fileURLToPath(new URL('./bare-bolt.mjs', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../dist/src/cli.js', import.meta.url))))
  throw new Error('dist/ is missing: run `npm run build` first.');

async function wallMs(argv: readonly string[]): Promise<number> {
  const started = performance.now();
  await execa('node', argv, { stdout: 'ignore', stderr: 'ignore', timeout: 30_000 });
  return performance.now() - started;
}

/** (a) Taking turns, so a busy moment of the shared machine falls on both. */
async function startTimes() {
  const floor: number[] = [];
  const help: number[] = [];
  await wallMs(['-e', '0']);
  await wallMs([BIN, '--help']);
  for (let i = 0; i < starts; i++) {
    floor.push(await wallMs(['-e', '0']));
    help.push(await wallMs([BIN, '--help']));
  }
  const nodeE0 = summary(floor);
  const pcvHelp = summary(help);
  return {
    nodeE0Ms: nodeE0,
    helpMs: pcvHelp,
    ratioOfMedians: Math.round((pcvHelp.p50 / nodeE0.p50) * 100) / 100,
  };
}

/** The smallest of six samples over 3 s: at rest, what the process keeps, not a GC's transient. */
async function restingMiB(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 6; i++) {
    await sleep(500);
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    samples.push(Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1]));
  }
  return Math.round((Math.min(...samples) / 1024) * 10) / 10;
}

async function footprint() {
  const deployment = `bench-rest-${randomBytes(4).toString('hex')}`;
  const slack = await startFakeSlack();
  slack.api.addUser({ id: ALICE, name: 'alice' });
  const configText = JSON.stringify({
    deployment,
    environments: {
      staging: {
        tier: 'staging',
        api: { baseUrl: 'http://127.0.0.1:9' },
        database: { url: 'postgres://postgres@127.0.0.1:5432/unused' },
        driver: { kind: 'compose', projectDir: '/nonexistent' },
        policy: { requesters: [ALICE], channels: [CHANNEL] },
      },
    },
  });
  const redis = new Redis(REDIS_URL);
  const base = { configText, botToken: slack.api.botToken, apiUrl: slack.api.apiUrl } as const;
  const measure = async (start: () => Promise<ServeProcess>) => {
    const proc = await start();
    try {
      return await restingMiB(proc.pid);
    } finally {
      await proc.stop();
    }
  };
  try {
    const rssMiB: Record<string, number> = {};
    for (const role of roles)
      rssMiB[`serve --role ${role}`] = await measure(() =>
        startServeProcess({ ...base, role, compiled: true }),
      );
    rssMiB['bare Bolt app'] = await measure(() =>
      startServeProcess({ ...base, role: 'web', argv: [BARE_BOLT] }),
    );
    return rssMiB;
  } finally {
    await dropDeploymentKeys(redis, deployment);
    redis.disconnect();
    await slack.close();
  }
}

const loadBefore = load1();
const start = await startTimes();
const rest = await footprint();
console.log(
  JSON.stringify(
    {
      benchmark: 'start-footprint',
      start: { ...start, target: 'ratioOfMedians ≤ 3' },
      restingRssMiB: { ...rest, target: 'serve ≤ 120 MiB' },
      load1: { before: loadBefore, after: load1() },
      machine: machine(),
    },
    null,
    2,
  ),
);
