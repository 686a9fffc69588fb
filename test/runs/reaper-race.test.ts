import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endedReport, finishRun } from '../../src/lifecycle/finish-run.ts';
import { LOST_WORKER } from '../../src/lifecycle/reaper.ts';
import { botServices } from '../../src/main/open-stores.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { BotMetrics } from '../../src/observability/metrics.ts';
import { type BotWorld, CAROL, startBotWorld } from '../slack/bot-world.ts';

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
    expect(run.report).toMatchObject({ state: 'cancelled', reason: `Cancelled by <@${CAROL}>.` });
  });
});
