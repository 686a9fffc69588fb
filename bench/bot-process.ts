/**
 * What the bot benchmarks share: `pc-verify serve` as its own process (the real CLI, config
 * file and environment, as an operator runs it), signed slash commands to it, and clean-up of
 * the deployment's Redis keys. Kept apart from test/helpers so a benchmark never loads vitest.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import type { Redis } from 'ioredis';
import { postSigned, slashCommandBody } from '../sim/slack/sign.ts';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
/** The installed binary: the compiled build (`npm run build`), no TypeScript loader. */
const BIN = fileURLToPath(new URL('../bin/pc-verify.mjs', import.meta.url));

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const SECRET = 'bench-signing-secret-0123456789';
export const ALICE = 'U0ALICE0001';
export const CHANNEL = 'C0VERIFY001';
/** Kept in the output only as a tail: a long benchmark must not hold every log line. */
const OUTPUT_TAIL = 20_000;

export interface ServeProcess {
  readonly child: ResultPromise;
  readonly pid: number;
  readonly url: string;
  /** Where /healthz and /metrics answer (their own listener). */
  readonly opsUrl: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

export interface ServeProcessOptions {
  readonly role: 'web' | 'worker' | 'all';
  /** The config as JSON text (YAML is a superset); written to a temporary file. */
  readonly configText: string;
  readonly botToken: string;
  readonly apiUrl: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Run the compiled build through `bin/pc-verify.mjs` (as production does) instead of tsx. */
  readonly compiled?: boolean;
  /** Another program instead of `pc-verify serve` (e.g. the bare Bolt app), same environment. */
  readonly argv?: readonly string[];
}

/** Starts `pc-verify serve` (or `argv`) and waits for its "listening on http://…" line. */
export async function startServeProcess(options: ServeProcessOptions): Promise<ServeProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'pcv-bench-'));
  const configPath = join(dir, 'pc-verify.yml');
  await writeFile(configPath, options.configText);
  const argv = options.argv ?? [
    ...(options.compiled ? [BIN] : ['--import', 'tsx', CLI]),
    'serve',
    '--role',
    options.role,
  ];
  const child = execa('node', argv, {
    env: {
      SLACK_BOT_TOKEN: options.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: options.apiUrl,
      REDIS_URL,
      PORT: '0',
      OPS_PORT: '0',
      HOST: '127.0.0.1',
      PCV_CONFIG: configPath,
      LOG_LEVEL: 'info',
      ...options.env,
    },
    reject: false,
    all: true,
    buffer: false,
  });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL);
  });
  const deadline = Date.now() + 30_000;
  let url: string | undefined;
  while (!url) {
    url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (url) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
      throw new Error(`pc-verify serve did not start: ${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (child.pid === undefined) throw new Error('pc-verify serve has no pid');
  return {
    child,
    pid: child.pid,
    url,
    opsUrl: /\/metrics on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? url,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      const stopped = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await child;
      clearTimeout(stopped);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Acked {
  readonly status: number;
  readonly text: string;
  /** From just before the request is signed to the whole ack body read. */
  readonly ms: number;
}

/** `/pc-verify <text>` as Slack sends it in HTTP mode: signed form data on /slack/events. */
export async function slash(url: string, text: string, responseUrl?: string): Promise<Acked> {
  const started = performance.now();
  const res = await postSigned(
    `${url}/slack/events`,
    slashCommandBody({ text, userId: ALICE, channelId: CHANNEL, ...(responseUrl ? { responseUrl } : {}) }),
    { secret: SECRET, timeoutMs: 30_000 },
  );
  const ms = performance.now() - started;
  let ackText = '';
  try {
    ackText = res.body ? ((JSON.parse(res.body) as { text?: string }).text ?? '') : '';
  } catch {
    ackText = res.body;
  }
  return { status: res.status, text: ackText, ms };
}

/** Deletes every key of the deployment: runs, results, audit, BullMQ's queue. */
export async function dropDeploymentKeys(redis: Redis, deployment: string): Promise<number> {
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `{${deployment}}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) removed += await redis.del(...keys);
  } while (cursor !== '0');
  return removed;
}

/**
 * CPU time (user + system, ms) a process has used so far, and what its waited-for children
 * used (the stand-in `docker` processes a run spawns), from /proc/<pid>/stat.
 */
export async function cpuMs(pid: number): Promise<{ self: number; children: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const ms = (ticks: number) => (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  return { self: ms(fields[11]! + fields[12]!), children: ms(fields[13]! + fields[14]!) };
}

/**
 * A histogram of the bot's /metrics as sum and count per value of `label`, summed over its
 * other labels (e.g. `pcv_command_ack_seconds` by command, `pcv_phase_duration_seconds` by phase).
 */
export async function histogram(
  url: string,
  metric: string,
  label: string,
): Promise<Map<string, { sum: number; count: number }>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const found = new Map<string, { sum: number; count: number }>();
  const line = new RegExp(`^${metric}_(sum|count)\\{([^}]*)\\} (\\S+)$`, 'gm');
  for (const m of text.matchAll(line)) {
    const value = new RegExp(`${label}="([^"]*)"`).exec(m[2]!)?.[1];
    if (value === undefined) continue;
    const entry = found.get(value) ?? { sum: 0, count: 0 };
    entry[m[1] as 'sum' | 'count'] += Number(m[3]);
    found.set(value, entry);
  }
  return found;
}

/** Mean (ms) per label value of what a histogram gained between two reads. */
export function meansMs(
  before: ReadonlyMap<string, { sum: number; count: number }>,
  after: ReadonlyMap<string, { sum: number; count: number }>,
): Record<string, number> {
  return Object.fromEntries(
    [...after].map(([key, a]) => {
      const b = before.get(key) ?? { sum: 0, count: 0 };
      return [key, Math.round(((a.sum - b.sum) / Math.max(1, a.count - b.count)) * 10_000) / 10];
    }),
  );
}
