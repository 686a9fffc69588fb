import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postSigned } from '../../sim/slack/sign.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { APPROVE_ACTION } from '../../src/slack/views/approval.ts';
import { ALICE, BOB, type BotWorld, CHANNEL, SECRET, STAGING, startBotWorld } from './bot-world.ts';

/*
 * policy.ticket through signed slash commands to the real Bolt app: a start without the required
 * ticket and one with a malformed ticket are refused (nothing claimed, both audited); a good
 * ticket is kept in the run, linked in the root message and the approval, written in the start's
 * audit entry and shown in `history`.
 */
const LINK = '<https://itsm.example/change/CHG0012345|CHG0012345>';

let world: BotWorld;

beforeAll(async () => {
  world = await startBotWorld({
    tier: 'prod',
    policy: {
      ticket: { required: true, pattern: '^CHG[0-9]{7}$', url: 'https://itsm.example/change/{ticket}' },
    },
  });
});
afterAll(async () => {
  await world?.stop();
});

describe('the change ticket (policy.ticket)', () => {
  it('refuses a start without the required ticket, saying the exact form to type', async () => {
    const answer = await world.slash('staging');
    expect(answer.text).toBe(
      'A change ticket is required for *staging*, so nothing was started. Type `/pc-verify staging <ticket>`, the ticket matching `^CHG[0-9]{7}$`.',
    );
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
  });

  it('refuses a malformed ticket, showing the expected pattern', async () => {
    const answer = await world.slash('staging CHG12');
    expect(answer.text).toContain(
      '`CHG12` is not a change ticket *staging* accepts: it must match `^CHG[0-9]{7}$`',
    );
    const markup = await world.slash('staging <!channel>');
    expect(markup.text).toContain('must match');
    expect(markup.text).not.toContain('<!channel>');
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
    const refused = (await world.audit.entries(STAGING)).filter(
      (e) => e.action === 'run.start' && e.outcome === 'refused' && e.actor === ALICE,
    );
    expect(refused).toHaveLength(3);
  });

  it('keeps a good ticket in the run, links it in the root message and the approval, audits it and shows it in history', async () => {
    const ack = await world.slash('staging CHG0012345');
    const id = /`(r[a-z0-9]+)`/.exec(ack.text)?.[1] as RunId;
    expect(id).toBeDefined();
    expect((await world.runs.get(id))?.ticket).toEqual({
      id: 'CHG0012345',
      url: 'https://itsm.example/change/CHG0012345',
    });
    const { message } = await world.root(id);
    expect(JSON.stringify(message.blocks)).toContain(`Change ticket: ${LINK}`);

    world.aad.approve(await world.nextCode());
    const waiting = await world.waitForRun(
      id,
      (r) => r.approval?.messageTs !== undefined,
      'the request',
      30_000,
    );
    const messageTs = waiting.approval?.messageTs ?? '';
    expect(JSON.stringify(world.slack.api.message(CHANNEL, messageTs)?.blocks)).toContain(
      `Change ticket: ${LINK}`,
    );

    const start = (await world.audit.entries(STAGING)).find(
      (e) => e.action === 'run.start' && e.outcome === 'accepted' && e.runId === id,
    );
    expect(start?.detail).toBe(`run ${id} queued; change ticket CHG0012345`);

    await postSigned(
      `${world.bot.url}/slack/events`,
      blockActionsBody({ userId: BOB, channelId: CHANNEL, messageTs, actionId: APPROVE_ACTION, value: id }),
      { secret: SECRET },
    );
    expect((await world.finished(id, 30_000)).report?.verdict).toBe('PASS');
    const history = await world.slash('history staging');
    expect(history.text).toContain(`run \`${id}\` · Change ticket: ${LINK}`);
  });
});
