import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSigned, slashCommandBody } from '../../sim/slack/sign.ts';
import { type CommandDeps, handleSlashCommand } from '../../src/commands/index.ts';
import type { RunId, SlackUserId } from '../../src/domain/ids.ts';
import { botServices } from '../../src/main/open-stores.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { BotMetrics } from '../../src/observability/metrics.ts';
import { pollUntil } from '../helpers/poll.ts';
import { type BotWorld, CHANNEL, MALLORY, SECRET, STAGING, startBotWorld } from './bot-world.ts';

// Anyone in the workspace can type a command; none of it may push the environment's audit
// trail out. The stream used to be capped near 10,000 entries, one per refusal. A signed request
// through Bolt costs this machine milliseconds: a few go that way (the wiring), the bulk straight
// into the command's handler with the bot's own services (the same store, the same path below).
const THROUGH_BOLT = 200;
const DIRECT = 10_000;
const REFUSALS = THROUGH_BOLT + DIRECT;
const IN_FLIGHT = 16;

let world: BotWorld;
let runId: RunId;
beforeAll(async () => {
  world = await startBotWorld();
  world.aad.autoApprove();
  runId = await world.start();
  await world.finished(runId, 30_000);
});
afterAll(async () => {
  await world?.stop();
});

/** The command handlers' dependencies, built as the bot builds them; nothing here starts work. */
function commandDeps(w: BotWorld): CommandDeps {
  const services = botServices(
    w.config,
    w.redis,
    { botToken: w.slack.api.botToken, apiUrl: w.slack.api.apiUrl, retries: 0 },
    createLogger({ level: 'silent' }),
    new BotMetrics(),
  );
  const never = async () => {
    throw new Error('a refused command must not start work');
  };
  return {
    ...services,
    enqueue: never,
    dropQueuedStart: never,
    lease: { queuedMs: 60_000, workingMs: 60_000 },
    newRunId: () => 'rflood' as RunId,
    newOffId: () => 'flood',
    words: {
      date: (iso) => iso,
      state: (state) => state,
      link: async (_place, label) => label,
      flag: () => '',
      watch: () => '',
      escape: (text) => text,
      quote: (text) => text,
    },
  };
}

async function refusedStarts(count: number): Promise<void> {
  let next = 0;
  const sender = async () => {
    while (next < count) {
      next += 1;
      const res = await postSigned(
        `${world.bot.url}/slack/events`,
        slashCommandBody({
          text: 'staging',
          userId: MALLORY,
          channelId: CHANNEL,
          responseUrl: world.responseUrl(CHANNEL, MALLORY),
        }),
        { secret: SECRET },
      );
      expect(res.status).toBe(200);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
}

describe('a stranger sending commands in a loop', () => {
  it(`leaves the run's audit entries in place after ${REFUSALS} refusals, and the chain verifies`, async () => {
    const before = await world.audit.entries(STAGING);
    const runEntries = before.filter((e) => e.runId === runId);
    expect(runEntries.map((e) => e.action)).toContain('run.start');
    const answered = world.slack.api.responses().length;
    await refusedStarts(THROUGH_BOLT);
    // Every refusal was answered (to Mallory alone): the bot did the work of each.
    await pollUntil(
      () => (world.slack.api.responses().length >= answered + THROUGH_BOLT ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 200, what: 'every refusal answered' },
    );
    const deps = commandDeps(world);
    const who = { userId: MALLORY as SlackUserId, channelId: CHANNEL, respond: async () => undefined };
    for (let i = 0; i < DIRECT; i += IN_FLIGHT) {
      const replies = await Promise.all(
        Array.from({ length: IN_FLIGHT }, () =>
          handleSlashCommand(deps, who, { kind: 'start', env: 'staging' }),
        ),
      );
      expect(replies.every((r) => r.outcome === 'refused')).toBe(true);
    }
    const after = await world.audit.entries(STAGING);
    expect(after.filter((e) => e.runId === runId)).toEqual(runEntries);
    expect(after[0]).toEqual(before[0]);
    expect(await world.audit.verify(STAGING)).toEqual({ ok: true, entries: after.length });
    // Kept apart, counted: one entry a minute for Mallory, however many he sent.
    const refusals = await world.audit.refusals.entries(STAGING);
    expect(refusals.every((r) => r.actor === MALLORY)).toBe(true);
    expect(refusals.reduce((sum, r) => sum + r.count, 0)).toBe(REFUSALS);
    expect(refusals.length).toBeLessThanOrEqual(5);
  }, 240_000);
});
