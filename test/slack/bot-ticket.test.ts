import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActionsBody,
  postSigned,
  slashCommandBody,
  triggerId,
  viewSubmissionBody,
} from '../../sim/slack/sign.ts';
import type { FakeModal } from '../../sim/slack/web-api.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { APPROVE_ACTION } from '../../src/slack/views/approval.ts';
import { TICKET_BLOCK, TICKET_INPUT, TICKET_VIEW } from '../../src/slack/views/ticket-modal.ts';
import { pollUntil } from '../helpers/poll.ts';
import { ALICE, BOB, type BotWorld, CHANNEL, SECRET, STAGING, startBotWorld } from './bot-world.ts';

/*
 * policy.ticket through signed slash commands to the real Bolt app: a start without the required
 * ticket opens a dialog for it (or, when the dialog cannot open, is refused with the form to
 * type); a malformed ticket is refused with the pattern (nothing claimed, audited); a good
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
  it('asks for a missing required ticket in a dialog; a malformed one typed there is refused with the pattern', async () => {
    const answer = await world.slash('staging');
    expect(answer.text).toBe(
      'A change ticket is required for *staging*: type it in the dialog that opened, and the run starts.',
    );
    const opened = await world.slack.api.waitForCall('views.open', (c) =>
      JSON.stringify(c.args).includes(TICKET_VIEW),
    );
    const view = (opened.response as unknown as { view: FakeModal }).view;
    expect(JSON.stringify(view.blocks)).toContain('It must match ^CHG[0-9]{7}$');
    await postSigned(
      `${world.bot.url}/slack/events`,
      viewSubmissionBody({ userId: ALICE, view, values: { [TICKET_BLOCK]: { [TICKET_INPUT]: 'CHG12' } } }),
      { secret: SECRET },
    );
    await pollUntil(
      () =>
        world.slack.api
          .ephemerals({ user: ALICE })
          .find((e) => (e.text ?? '').includes('`CHG12` is not a change ticket *staging* accepts')),
      { what: 'the malformed ticket from the dialog to be refused' },
    );
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
  });

  it('says the exact form to type when the dialog cannot open (its trigger is older than 3 s)', async () => {
    const responseUrl = world.responseUrl(CHANNEL, ALICE);
    await postSigned(
      `${world.bot.url}/slack/events`,
      slashCommandBody({
        text: 'staging',
        userId: ALICE,
        channelId: CHANNEL,
        responseUrl,
        triggerId: triggerId(Date.now() - 4_000),
      }),
      { secret: SECRET },
    );
    expect(await world.answerOn(responseUrl)).toBe(
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
    // The dialog's malformed ticket, the start the dialog could not help, and these two.
    expect(refused).toHaveLength(4);
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

  it('starts the run with the ticket typed in the dialog', async () => {
    await world.slash('staging');
    const opened = await world.slack.api.waitForCall('views.open', (c) =>
      JSON.stringify(c.args).includes(TICKET_VIEW),
    );
    const view = (opened.response as unknown as { view: FakeModal }).view;
    const before = world.slack.api.ephemerals({ user: ALICE }).length;
    await postSigned(
      `${world.bot.url}/slack/events`,
      viewSubmissionBody({
        userId: ALICE,
        view,
        values: { [TICKET_BLOCK]: { [TICKET_INPUT]: ' CHG7654321 ' } },
      }),
      { secret: SECRET },
    );
    const started = await pollUntil(
      () =>
        world.slack.api
          .ephemerals({ user: ALICE })
          .slice(before)
          .find((e) => (e.text ?? '').startsWith('Starting run')),
      { what: 'the run started from the dialog' },
    );
    const id = /`(r[a-z0-9]+)`/.exec(started.text ?? '')?.[1] as RunId;
    expect((await world.runs.get(id))?.ticket?.id).toBe('CHG7654321');
    await world.slash('cancel staging');
    expect((await world.finished(id)).state).toBe('cancelled');
  });
});
