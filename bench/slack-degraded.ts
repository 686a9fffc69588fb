/**
 * The run never waits on Slack (DESIGN §4a): the same full staging run and kill switch against
 * the fake Slack answering at once, then with every Web API answer taking `--latency-ms` and
 * chat.postMessage limited to 1 per second per channel (HTTP 429 + Retry-After past it), in
 * one process, one after the other. Prints:
 * - engine time (slash command → the run's report), degraded ÷ fast; target ≤ 1.05;
 * - the same without the person's part: from the code's issue to the sign-in, made as soon as
 *   the code shows in the DM (a code nobody received cannot be used, so this one message is
 *   the person's wait, not the engine's);
 * - kill switch: slash command → the api restarted with the flag OFF, degraded − fast; target
 *   within 0.2 s;
 * - the thread once the outbox drained: complete (the same replies as the fast run), in
 *   runbook order, no reply twice.
 *
 * Each mode `--runs` times, alternating; medians reported, every sample kept.
 *
 *   npx tsx bench/slack-degraded.ts [--latency-ms 1000] [--runs 3]
 */
import { parseArgs } from 'node:util';
import { keysFor } from '../src/store/keys.ts';
// The simulator's stand-in `docker` first on PATH, as in the test suite.
import '../test/helpers/setup.ts';
import { pollUntil } from '../test/helpers/poll.ts';
import { ALICE, BOB, type BotWorld, startBotWorld } from '../test/slack/bot-world.ts';
import { machine, summary } from './stats.ts';

const { values } = parseArgs({
  options: { 'latency-ms': { type: 'string', default: '1000' }, runs: { type: 'string', default: '3' } },
});
const latencyMs = Number(values['latency-ms']);
const runs = Number(values.runs);

interface Measured {
  readonly mode: string;
  readonly engineMs: number;
  readonly dmMs: number;
  readonly killSwitchMs: number;
  readonly thread: readonly string[];
  readonly killThread: readonly string[];
  readonly drainedAfterMs: number;
  readonly rateLimited: number;
}

async function measure(mode: 'fast' | 'degraded'): Promise<Measured> {
  // Production's pace (1 post/s/channel) in both modes: only Slack changes between them.
  const world = await startBotWorld({
    tuning: { chatPostsPerSecond: 1, notifierLeaseMs: 15_000, groupRefreshMs: 30_000 },
  });
  try {
    if (mode === 'degraded') {
      world.slack.api.setLatency(latencyMs);
      world.slack.api.limitPosts({ perSecond: 1, burst: 1 });
    }
    const sent = Date.now();
    const id = await world.start();
    // A person signs in once the code is in their DM: from the code's issue to then, the run
    // waits for the person (and the DM), not for itself.
    const code = await world.nextCode();
    const issued = Date.now();
    await pollUntil(() => (dmText(world).includes(code) ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 5,
      what: 'the code in the DM',
    });
    const dmMs = Date.now() - issued;
    world.aad.approve(code);
    const run = await world.waitForRun(id, (r) => r.report !== undefined, 'the run', 120_000);
    if (run.report?.verdict !== 'PASS')
      throw new Error(`the ${mode} run did not pass: ${run.report?.reason}`);
    const engineMs = Date.parse(run.report.finishedAt) - sent;

    const offSent = Date.now();
    await world.slash('off staging', BOB);
    await pollUntil(
      () => (world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED === 'false' ? true : undefined),
      {
        timeoutMs: 60_000,
        intervalMs: 5,
        what: 'the kill switch to restart the api with the flag OFF',
      },
    );
    const killSwitchMs = Date.now() - offSent;

    const drained = await drain(world);
    const thread = (await world.root(id)).thread;
    const killRoot = world.slack.api
      .messages('C0VERIFY001')
      .find((m) => m.text?.startsWith('Kill switch by'));
    const killThread = killRoot
      ? world.slack.api.thread('C0VERIFY001', killRoot.ts).map((m) => m.text ?? '')
      : [];
    const rateLimited = world.slack.api.calls('chat.postMessage').filter((c) => c.status === 429).length;
    return {
      mode,
      engineMs,
      dmMs,
      killSwitchMs,
      thread,
      killThread,
      drainedAfterMs: drained - sent,
      rateLimited,
    };
  } finally {
    await world.stop();
  }
}

function dmText(world: BotWorld): string {
  const dm = world.slack.api.dmOf(ALICE);
  return world.slack.api
    .messages(dm)
    .map((m) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`)
    .join('\n');
}

/** Waits until every outbox was delivered; returns when. */
async function drain(world: BotWorld): Promise<number> {
  const key = keysFor(world.config.deployment).outboxThreads;
  await pollUntil(async () => ((await world.redis.scard(key)) === 0 ? true : undefined), {
    timeoutMs: 300_000,
    intervalMs: 50,
    what: 'the outboxes to drain',
  });
  return Date.now();
}

/** Each reply's first line (check, status) without timings or ids, to compare two runs of the same runbook. */
const shape = (texts: readonly string[]) =>
  texts.map((t) =>
    (t.split('\n')[0] ?? '')
      .replace(/\d+(\.\d+)?\s?(ms|s)\b/g, '#')
      .replace(/[0-9a-f]{8}-[0-9a-f-]{27}|\d+(\.\d+)?/g, '#'),
  );

function verdictOf(fast: Measured, slow: Measured) {
  const phases = slow.thread.flatMap((t) => /^:\w+: \*Phase (\d)\* —/.exec(t)?.[1] ?? []);
  const duplicates = slow.thread.filter((t, i) => slow.thread.indexOf(t) !== i);
  return {
    complete: JSON.stringify(shape(slow.thread)) === JSON.stringify(shape(fast.thread)),
    inRunbookOrder: phases.join(',') === '0,1,2,3',
    noDuplicate: duplicates.length === 0,
    killSwitchThreadComplete:
      JSON.stringify(shape(slow.killThread)) === JSON.stringify(shape(fast.killThread)),
    replies: slow.thread.length,
    firstDifference: firstDifference(shape(fast.thread), shape(slow.thread)),
  };
}

function firstDifference(a: readonly string[], b: readonly string[]) {
  const i = a.findIndex((t, k) => t !== b[k]);
  if (i < 0 && a.length === b.length) return undefined;
  const at = i < 0 ? a.length : i;
  return { at, fast: a[at]?.slice(0, 120), degraded: b[at]?.slice(0, 120), lengths: [a.length, b.length] };
}

const fasts: Measured[] = [];
const slows: Measured[] = [];
for (let i = 0; i < runs; i++) {
  fasts.push(await measure('fast'));
  slows.push(await measure('degraded'));
}
const p50 = (xs: readonly number[]) => summary(xs).p50;
const engine = (m: Measured) => m.engineMs - m.dmMs;
const fast = fasts[0] as Measured;
console.log(
  JSON.stringify(
    {
      benchmark: 'slack-degraded',
      runs,
      latencyMs,
      postLimit: '1/s/channel, burst 1, 429 + Retry-After',
      engineMsWithoutPersonWait: {
        fast: p50(fasts.map(engine)),
        degraded: p50(slows.map(engine)),
        samples: { fast: fasts.map(engine), degraded: slows.map(engine) },
      },
      engineRatio: Number((p50(slows.map(engine)) / p50(fasts.map(engine))).toFixed(3)),
      engineMsWithPersonWait: {
        fast: p50(fasts.map((m) => m.engineMs)),
        degraded: p50(slows.map((m) => m.engineMs)),
      },
      personWaitMs: { fast: p50(fasts.map((m) => m.dmMs)), degraded: p50(slows.map((m) => m.dmMs)) },
      killSwitchMs: {
        fast: p50(fasts.map((m) => m.killSwitchMs)),
        degraded: p50(slows.map((m) => m.killSwitchMs)),
        samples: { fast: fasts.map((m) => m.killSwitchMs), degraded: slows.map((m) => m.killSwitchMs) },
      },
      killSwitchDeltaMs: p50(slows.map((m) => m.killSwitchMs)) - p50(fasts.map((m) => m.killSwitchMs)),
      threadDrainedAfterMs: {
        fast: p50(fasts.map((m) => m.drainedAfterMs)),
        degraded: p50(slows.map((m) => m.drainedAfterMs)),
      },
      rateLimitedPosts: { fast: fasts.map((m) => m.rateLimited), degraded: slows.map((m) => m.rateLimited) },
      thread: slows.map((slow) => verdictOf(fast, slow)),
      targets: { engineRatio: '≤ 1.05', killSwitchDeltaMs: '≤ 200' },
      machine: machine(),
    },
    null,
    2,
  ),
);
process.exit(0);
