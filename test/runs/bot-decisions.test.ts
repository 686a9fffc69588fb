import { appendFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postSigned } from '../../sim/slack/sign.ts';
import type { RunningBot } from '../../src/slack/bot.ts';
import { APPROVE_ACTION, REJECT_ACTION } from '../../src/slack/views/approval.ts';
import { pollUntil } from '../helpers/poll.ts';
import {
  ALICE,
  BOB,
  type BotWorld,
  CHANNEL,
  MALLORY,
  SECRET,
  STAGING,
  startBotWorld,
} from '../slack/bot-world.ts';

// The approval gate at click time: requester ≠ approver, approvers only, first decision wins.
let world: BotWorld;
let secondWeb: RunningBot;

beforeAll(async () => {
  world = await startBotWorld({ tier: 'prod' });
  secondWeb = await world.startBot({ role: 'web' });
});
afterAll(async () => {
  await world?.stop();
});

const awaitingApproval = () => world.awaitingApproval();

function click(bot: RunningBot, user: string, actionId: string, value: string, messageTs: string) {
  return postSigned(
    `${bot.url}/slack/events`,
    blockActionsBody({ userId: user, channelId: CHANNEL, messageTs, actionId, value }),
    { secret: SECRET },
  );
}

const refusalsFor = (user: string) => world.slack.api.ephemerals({ user }).map((e) => e.text ?? '');

describe('deciding on Phase 3', () => {
  it('mentions the approvers (group members resolved) and refuses the requester and non-approvers', async () => {
    const { id, messageTs } = await awaitingApproval();
    const request = world.slack.api.message(CHANNEL, messageTs)!;
    expect(JSON.stringify(request.blocks)).toContain(`<@${BOB}>`);
    expect(JSON.stringify(request.blocks)).toContain('Turn the Partner Center flag ON in staging?');

    await click(world.bot, ALICE, APPROVE_ACTION, id, messageTs);
    await pollUntil(() => refusalsFor(ALICE).find((t) => t.includes('you cannot approve it')), {
      what: 'self-approval refusal',
    });
    await click(world.bot, MALLORY, APPROVE_ACTION, id, messageTs);
    await pollUntil(() => refusalsFor(MALLORY).find((t) => t.includes('Only the approvers')), {
      what: 'non-approver refusal',
    });
    expect((await world.runs.get(id))?.state).toBe('awaiting_approval');

    // Twenty clicks at once through two bot processes: exactly one Phase 3.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        click(i % 2 ? secondWeb : world.bot, BOB, APPROVE_ACTION, id, messageTs),
      ),
    );
    const run = await world.finished(id, 30_000);
    expect(run.report).toMatchObject({ verdict: 'PASS', canTurnOn: true });
    expect(run.decision).toMatchObject({ decision: 'approved', by: BOB });
    const { thread } = await world.root(id);
    expect(thread.filter((t) => t.includes('*Phase 3*'))).toHaveLength(1);
    expect(world.slack.api.message(CHANNEL, messageTs)?.text).toContain(`Approved by <@${BOB}>`);

    const entries = (await world.audit.entries(STAGING)).filter(
      (e) => e.runId === id && e.action === 'approval.approve',
    );
    expect(entries.filter((e) => e.outcome === 'accepted')).toHaveLength(1);
    expect(entries.filter((e) => e.actor === ALICE && e.outcome === 'refused')).toHaveLength(1);
    expect(entries.filter((e) => e.actor === MALLORY && e.outcome === 'refused')).toHaveLength(1);
    expect((await world.audit.verify(STAGING)).ok).toBe(true);

    // A late click on a finished run is refused and audited.
    await click(world.bot, BOB, REJECT_ACTION, id, messageTs);
    await pollUntil(() => refusalsFor(BOB).find((t) => t.includes('no longer waiting for approval')), {
      what: 'late refusal',
    });
  });

  it('ends the run when an approver rejects, and frees the environment', async () => {
    // The flag is ON after the previous test; prod asks before turning it OFF, so turn it OFF first.
    await world.slash('off staging', BOB);
    await pollUntil(
      () => (world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED === 'false' ? true : undefined),
      {
        what: 'the kill switch',
        timeoutMs: 20_000,
      },
    );
    const { id, messageTs } = await awaitingApproval();
    await click(world.bot, BOB, REJECT_ACTION, id, messageTs);
    const run = await world.finished(id);
    expect(run.state).toBe('cancelled');
    expect(run.report?.reason).toContain(`rejected by <@${BOB}>`);
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
  });
});

describe('what an approval is for', () => {
  it('voids the approval when the env file changed after the request: Phase 3 does not run', async () => {
    const { id, messageTs } = await awaitingApproval();
    await appendFile(world.sim.envFile, '# edited by someone after the approval was requested\n');
    await click(world.bot, BOB, APPROVE_ACTION, id, messageTs);
    const run = await world.finished(id);
    expect(run.state).toBe('failed');
    expect(run.report?.reason).toContain('the approval is void');
    expect(run.report?.phases[3]?.status).toBe('not_run');
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
  });
});

describe('after an approved Phase 3 fails in prod', () => {
  it('turns the flag OFF again, verifies it, and ends the run rolled_back, all in the thread', async () => {
    const { id, messageTs } = await awaitingApproval();
    world.sim.setFaults({ workerExceptionWhenOn: true });
    try {
      await click(world.bot, BOB, APPROVE_ACTION, id, messageTs);
      const run = await world.finished(id, 30_000);
      expect(run.state).toBe('rolled_back');
      expect(run.report?.switchOff).toMatchObject({ why: 'rollback', ok: true });
      expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
      const { thread } = await world.root(id);
      expect(thread).toContainEqual(expect.stringContaining('Turning the flag OFF again'));
      expect(thread.at(-1)).toContain('turned OFF again');
    } finally {
      world.sim.setFaults({ workerExceptionWhenOn: false });
    }
  });
});
