/**
 * Slash-command ack latency in HTTP mode: signed `/pc-verify` commands to a `serve --role web`
 * process, `--concurrency` at a time, timed from sending the request to the whole ack read; with
 * `--peer bolt`, the same commands to a bare Bolt HTTP app (bench/bare-bolt.mjs) in the same run,
 * the two taking turns round by round. Targets against that floor: p99 ≤ 1.3× and throughput
 * ≥ 0.85× at 10 and 50 in flight. pc-verify acks before any I/O and answers on the
 * response_url: the answers are timed too (from sending to their arrival) and each round waits
 * for all of them, so the work behind the acks is paid inside the round that caused it.
 * No worker runs: the one run that starts stays queued, later starts are refused ("already going").
 *
 *   npm run build && npx tsx bench/slash-ack.ts --peer bolt [--concurrency 10,50] [--rounds 4]
 *     [--requests 400] [--warmup 100] [--tsx (serve from the sources instead of dist/)]
 *     [--cpu-prof DIR (serve's V8 CPU profile)] [--mix help (only help: the ack path alone)]
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startFakeSlack } from '../sim/slack/index.ts';
import { type ResponseSink, startResponseSink } from '../sim/slack/response-sink.ts';
import {
  ALICE,
  CHANNEL,
  cpuMs,
  dropDeploymentKeys,
  REDIS_URL,
  type ServeProcess,
  slash,
  startServeProcess,
} from './bot-process.ts';
import { load1, machine, summary } from './stats.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '10,50' },
    rounds: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '100' },
    peer: { type: 'string' },
    tsx: { type: 'boolean', default: false },
    /** `help` only: answered in the ack, no I/O — pc-verify's ack path alone against the floor. */
    mix: { type: 'string', default: 'default' },
    /** A directory: serve writes a V8 CPU profile there when it stops (where the ack path spends). */
    'cpu-prof': { type: 'string' },
  },
});
const requests = Number(values.requests);
const levels = String(values.concurrency).split(',').map(Number);
const rounds = Number(values.rounds);
const warmup = Number(values.warmup);
if (values.peer !== undefined && values.peer !== 'bolt') throw new Error('--peer takes only "bolt"');
const compiled = !values.tsx;
if (compiled && !existsSync(fileURLToPath(new URL('../dist/src/cli.js', import.meta.url))))
  throw new Error('dist/ is missing: run `npm run build` first (or pass --tsx to bench the sources).');

/** The mix: mostly looking (status, help), sometimes starting. Deterministic, spread evenly. */
const MIX: readonly string[] =
  values.mix === 'help'
    ? ['help']
    : [...Array<string>(6).fill('status staging'), ...Array<string>(3).fill('help'), 'staging'];
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
const processOptions = {
  role: 'web',
  configText,
  botToken: slack.api.botToken,
  apiUrl: slack.api.apiUrl,
} as const;
const redis = new Redis(REDIS_URL);
const sink = await startResponseSink();
const cpuProf = values['cpu-prof'];
const serve = await startServeProcess({
  ...processOptions,
  compiled,
  ...(cpuProf
    ? {
        argv: [
          '--cpu-prof',
          `--cpu-prof-dir=${cpuProf}`,
          ...(compiled
            ? [fileURLToPath(new URL('../bin/pc-verify.mjs', import.meta.url))]
            : ['--import', 'tsx', fileURLToPath(new URL('../src/cli.ts', import.meta.url))]),
          'serve',
          '--role',
          'web',
        ],
      }
    : {}),
});
const bolt =
  values.peer === 'bolt'
    ? await startServeProcess({
        ...processOptions,
        argv: [fileURLToPath(new URL('./bare-bolt.mjs', import.meta.url))],
      })
    : undefined;

type Peer = { name: 'pc-verify' | 'bolt'; process: ServeProcess; answers: boolean };
const peers: Peer[] = [
  { name: 'pc-verify', process: serve, answers: true },
  ...(bolt ? [{ name: 'bolt' as const, process: bolt, answers: false }] : []),
];

interface Round {
  ackMs: number[];
  answerMs: number[];
  kinds: string[];
  ackWallMs: number;
  answeredWallMs: number;
  cpuMs: number;
  non200: number;
  unexpected: string[];
}

/** Sends `texts` with at most `inFlight` at once; answers (pc-verify only) awaited before it ends. */
async function drive(
  peer: Peer,
  texts: readonly string[],
  inFlight: number,
  sinkOf: ResponseSink,
): Promise<Round> {
  const round: Round = {
    ackMs: [],
    answerMs: [],
    kinds: [],
    ackWallMs: 0,
    answeredWallMs: 0,
    cpuMs: 0,
    non200: 0,
    unexpected: [],
  };
  const answers: Promise<void>[] = [];
  const cpuBefore = (await cpuMs(peer.process.pid)).self;
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < texts.length) {
      const text = texts[next++]!;
      const responseUrl = peer.answers ? sinkOf.newUrl() : undefined;
      const sent = performance.now();
      const ack = await slash(peer.process.url, text, responseUrl);
      round.ackMs.push(ack.ms);
      round.kinds.push(kindOf(text));
      if (ack.status !== 200) round.non200++;
      if (responseUrl && ack.text) {
        // Answered in the ack (help needs no I/O).
        round.answerMs.push(ack.ms);
        if (!EXPECTED[kindOf(text)]?.test(ack.text)) round.unexpected.push(ack.text.slice(0, 200));
      } else if (responseUrl)
        answers.push(
          sinkOf.answer(responseUrl, 30_000).then(({ body, atMs }) => {
            round.answerMs.push(atMs - sent);
            const said = String(body.text ?? '');
            if (!EXPECTED[kindOf(text)]?.test(said)) round.unexpected.push(said.slice(0, 200));
          }),
        );
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, texts.length) }, worker));
  round.ackWallMs = performance.now() - started;
  await Promise.all(answers);
  round.answeredWallMs = performance.now() - started;
  round.cpuMs = (await cpuMs(peer.process.pid)).self - cpuBefore;
  return round;
}

const texts = (n: number) => Array.from({ length: n }, (_, i) => MIX[i % MIX.length]!);
const loadBefore = load1();
const results: Record<string, unknown>[] = [];
try {
  for (const peer of peers)
    await drive(
      peer,
      texts(warmup).filter((t) => t !== 'staging'),
      10,
      sink,
    );
  for (const inFlight of levels) {
    const byPeer = new Map<string, Round[]>(peers.map((p) => [p.name, []]));
    for (let r = 0; r < rounds; r++) {
      // Taking turns, the first one alternating: neither always meets a machine the other warmed.
      const order = r % 2 === 0 ? peers : [...peers].reverse();
      for (const peer of order)
        byPeer.get(peer.name)!.push(await drive(peer, texts(requests), inFlight, sink));
    }
    results.push(report(inFlight, byPeer));
  }
} finally {
  await Promise.all([serve.stop(), bolt?.stop()]);
  await sink.close();
  await dropDeploymentKeys(redis, deployment);
  redis.disconnect();
  await slack.close();
}

function report(inFlight: number, byPeer: Map<string, Round[]>): Record<string, unknown> {
  const peerFigures = Object.fromEntries(
    [...byPeer].map(([name, list]) => {
      const all = list.flatMap((r) => r.ackMs);
      const kinds = list.flatMap((r) => r.kinds);
      const n = all.length;
      const ackWall = list.reduce((a, r) => a + r.ackWallMs, 0);
      const answeredWall = list.reduce((a, r) => a + r.answeredWallMs, 0);
      return [
        name,
        {
          ackMs: summary(all),
          ackByKindMs: Object.fromEntries(
            [...new Set(kinds)].map((k) => [k, summary(all.filter((_, i) => kinds[i] === k))]),
          ),
          ackPerSecond: Math.round((n / ackWall) * 1000),
          // Per round: how much the figures move between turns on this shared machine.
          p99PerRoundMs: list.map((r) => summary(r.ackMs).p99),
          ...(name === 'pc-verify'
            ? {
                answerMs: summary(list.flatMap((r) => r.answerMs)),
                answeredPerSecond: Math.round((n / answeredWall) * 1000),
                unexpectedAnswers: list.flatMap((r) => r.unexpected),
              }
            : {}),
          cpuMsPerRequest: Math.round((list.reduce((a, r) => a + r.cpuMs, 0) / n) * 100) / 100,
          non200: list.reduce((a, r) => a + r.non200, 0),
        },
      ];
    }),
  );
  const ours = peerFigures['pc-verify'] as { ackMs: { p99: number }; ackPerSecond: number };
  const floor = peerFigures.bolt as typeof ours | undefined;
  return {
    inFlight,
    ...peerFigures,
    ...(floor
      ? {
          p99Ratio: Math.round((ours.ackMs.p99 / floor.ackMs.p99) * 100) / 100,
          throughputRatio: Math.round((ours.ackPerSecond / floor.ackPerSecond) * 100) / 100,
          targets: 'p99Ratio ≤ 1.3, throughputRatio ≥ 0.85',
        }
      : {}),
  };
}

console.log(
  JSON.stringify(
    {
      benchmark: 'slash-ack',
      serve: compiled ? 'compiled (bin/pc-verify.mjs → dist/)' : 'tsx (src/)',
      mix: values.mix,
      requestsPerRound: requests,
      rounds,
      warmup,
      results,
      load1: { before: loadBefore, after: load1() },
      machine: machine(),
    },
    null,
    2,
  ),
);
