/**
 * Slash-command ack latency in HTTP mode: signed `/pc-verify` commands to a `serve --role web`
 * process, `--concurrency` at a time, timed from sending the request to the whole ack read.
 * Target p99 < 100 ms (Slack allows 3000 ms). No worker runs: the one run that starts stays
 * queued, and later starts are refused ("already going"), as when someone is verifying.
 *
 *   npx tsx bench/slash-ack.ts [--requests 500] [--concurrency 50] [--warmup 20]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startFakeSlack } from '../sim/slack/index.ts';
import {
  ALICE,
  CHANNEL,
  cpuMs,
  dropDeploymentKeys,
  histogram,
  meansMs,
  REDIS_URL,
  slash,
  startServeProcess,
} from './bot-process.ts';
import { load1, machine, summary } from './stats.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '20' },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const warmup = Number(values.warmup);

/** The mix: mostly looking (status, help), sometimes starting. Deterministic, spread evenly. */
const MIX = [
  ...Array<string>(6).fill('status staging'),
  ...Array<string>(3).fill('help'),
  'staging',
] as const;
const kindOf = (text: string) => (text === 'staging' ? 'start' : text.split(' ')[0]!);
/** The answers each kind may give; anything else (an error reply) is counted as unexpected. */
const EXPECTED: Record<string, RegExp> = {
  status: /^\*staging\* · /,
  help: /^\*pc-verify\* runs/,
  start: /^Starting run|is already going/,
};

const deployment = `bench-ack-${randomBytes(4).toString('hex')}`;
const slack = await startFakeSlack();
slack.api.addUser({ id: ALICE, name: 'alice' });
slack.api.addChannel(CHANNEL, { name: 'pc-verify' });
// A web process reads only the config here: the target is never contacted without a worker.
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
const serve = await startServeProcess({
  role: 'web',
  configText,
  botToken: slack.api.botToken,
  apiUrl: slack.api.apiUrl,
});
const responseUrl = slack.api.responseUrl('commands', { channel: CHANNEL, userId: ALICE });

type Sample = { kind: string; ms: number; status: number; text: string };
/** Sends `texts` with at most `concurrency` in flight; each worker takes the next one. */
async function drive(texts: readonly string[]): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  const worker = async () => {
    while (next < texts.length) {
      const text = texts[next++]!;
      const ack = await slash(serve.url, text, responseUrl);
      samples.push({ kind: kindOf(text), ms: ack.ms, status: ack.status, text: ack.text });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, texts.length) }, worker));
  return samples;
}

const loadBefore = load1();
let samples: Sample[];
let wallMs: number;
let serveCpuMs: number;
// The bot's own view (request in to ack out), to tell its work from queueing in front of it.
let serverSide: Record<string, number> = {};
try {
  // Warm-up without starts, so the first counted start is the one that claims the environment.
  await drive(Array.from({ length: warmup }, (_, i) => (i % 2 === 0 ? 'status staging' : 'help')));
  const ack = () => histogram(serve.url, 'pcv_command_ack_seconds', 'command');
  const [histBefore, cpuBefore] = [await ack(), await cpuMs(serve.pid)];
  const started = performance.now();
  samples = await drive(Array.from({ length: requests }, (_, i) => MIX[i % MIX.length]!));
  wallMs = performance.now() - started;
  serveCpuMs = (await cpuMs(serve.pid)).self - cpuBefore.self;
  serverSide = meansMs(histBefore, await ack());
} finally {
  await serve.stop();
  await dropDeploymentKeys(redis, deployment);
  redis.disconnect();
  await slack.close();
}

const starts = samples.filter((s) => s.kind === 'start');
const byKind = Object.fromEntries(
  [...new Set(samples.map((s) => s.kind))].map((kind) => [
    kind,
    summary(samples.filter((s) => s.kind === kind).map((s) => s.ms)),
  ]),
);
console.log(
  JSON.stringify(
    {
      benchmark: 'slash-ack',
      requests,
      concurrency,
      warmup,
      ackMs: summary(samples.map((s) => s.ms)),
      byKindMs: byKind,
      startsAccepted: starts.filter((s) => s.text.startsWith('Starting run')).length,
      startsRefusedAlreadyGoing: starts.filter((s) => s.text.includes('is already going')).length,
      wallMs: Math.round(wallMs),
      perSecond: Math.round((requests / wallMs) * 1000),
      // CPU the bot process spent per command: with one event loop, what bounds throughput.
      serveCpuMsPerRequest: Math.round((serveCpuMs / requests) * 100) / 100,
      serverSideMeanMs: serverSide,
      non200: samples.filter((s) => s.status !== 200).length,
      unexpectedAnswers: samples
        .filter((s) => !EXPECTED[s.kind]?.test(s.text))
        .map((s) => s.text.slice(0, 200)),
      target: 'p99 < 100 ms',
      load1: { before: loadBefore, after: load1() },
      machine: machine(),
    },
    null,
    2,
  ),
);
