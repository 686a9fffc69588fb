import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackUserId } from '../../src/domain/ids.ts';
import { coded, message, renderCoded, translator } from '../../src/i18n/index.ts';
import { endedReport, finishRun } from '../../src/lifecycle/finish-run.ts';
import { LOST_WORKER } from '../../src/lifecycle/reaper.ts';
import { botServices } from '../../src/main/open-stores.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { BotMetrics } from '../../src/observability/metrics.ts';
import { queuedRun } from '../helpers/store.ts';
import { ALICE, type BotWorld, CAROL, CHANNEL, STAGING, startBotWorld } from '../slack/bot-world.ts';

// The reaper reads a run, then its lock; a cancel in between frees the lock too. The reaper must
// not then report the cancelled run as a lost worker (seen once under load in the full suite).
let world: BotWorld;
beforeAll(async () => {
  world = await startBotWorld();
});
afterAll(async () => {
  await world?.stop();
});

describe('the reaper racing a cancel', () => {
  it('leaves a run cancelled between its two reads to the cancel', async () => {
    const id = await world.start(CAROL);
    await world.nextCode();
    const seen = await world.waitForRun(id, (r) => r.state === 'awaiting_login', 'the login wait');

    expect((await world.slash('cancel staging', CAROL)).text).toContain(`Cancelled run \`${id}\``);
    const reaper = botServices(
      world.config,
      world.redis,
      { botToken: world.slack.api.botToken, apiUrl: world.slack.api.apiUrl, retries: 0 },
      createLogger({ level: 'silent' }),
      new BotMetrics(),
    );
    // What the reaper decides from the state it saw before the cancel.
    const ended = await finishRun(reaper, id, endedReport(reaper, seen, 'failed', LOST_WORKER), {
      ifStill: seen.state,
    });
    expect(ended).toBeUndefined();

    const run = await world.finished(id);
    expect(run.report).toMatchObject({
      state: 'cancelled',
      reason: coded(message('thread.note.cancelledBy', { who: CAROL })),
    });
  });
});

describe('a start whose process died between the claim and the enqueue', () => {
  it('is queued by the reaper and goes on, instead of failing for want of a worker', async () => {
    // The claim landed (with its root message and audit entry) and the job never did.
    const run = {
      ...queuedRun(STAGING, { kind: 'slack', userId: ALICE as SlackUserId }),
      slack: { channel: CHANNEL },
    };
    const claim = await world.runs.claimEnvironment(run, 300);
    expect(claim.ok).toBe(true);
    // Its lease runs out; the reaper finds a queued run without a job and queues it.
    await world.nextCode();
    const waiting = await world.waitForRun(run.id, (r) => r.state === 'awaiting_login', 'the run to go on');
    expect(renderCoded(translator('en'), waiting.reason ?? '')).not.toMatch(/No worker picked/);
    expect((await world.slash('cancel staging', ALICE)).text).toContain(`Cancelled run \`${run.id}\``);
    const ended = await world.finished(run.id);
    expect(ended.report?.state).toBe('cancelled');
  });
});
