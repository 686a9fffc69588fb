import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postSigned } from '../../sim/slack/sign.ts';
import { APPROVE_ACTION } from '../../src/slack/views/approval.ts';
import { pollUntil } from '../helpers/poll.ts';
import { ALICE, BOB, type BotWorld, CHANNEL, SECRET, startBotWorld } from '../slack/bot-world.ts';

// The approval request, its buttons and confirm dialog, and the decision, in a Turkish deployment.
let world: BotWorld;
beforeAll(async () => {
  world = await startBotWorld({ tier: 'prod', language: 'tr' });
});
afterAll(async () => {
  await world?.stop();
});

describe('the approval request with `language: tr`', () => {
  it('asks, confirms and tells the decision in Turkish, with no English left', async () => {
    const { id, messageTs } = await world.awaitingApproval();
    const request = world.slack.api.message(CHANNEL, messageTs);
    const asked = `${request?.text}\n${JSON.stringify(request?.blocks)}`;
    expect(asked).toContain('için onay gerekiyor');
    expect(asked).toContain('*Onay gerekiyor* — FAZ 3');
    expect(asked).toContain('(kendisi onaylayamaz)');
    expect(asked).toContain('"text":"Onayla"');
    expect(asked).toContain('"text":"Reddet"');
    expect(asked).toContain('Bayrak ON yapılsın mı?');
    expect(asked).toContain('Şimdi değil');
    for (const english of ['Approval needed', 'Requested by', '"Approve"', '"Reject"', 'Not now', '*Phase '])
      expect(asked).not.toContain(english);

    const threadTs = (await world.runs.get(id))?.slack?.rootTs;
    const approve = (userId: string) =>
      postSigned(
        `${world.bot.url}/slack/events`,
        blockActionsBody({
          userId,
          channelId: CHANNEL,
          messageTs,
          actionId: APPROVE_ACTION,
          value: id,
          ...(threadTs ? { threadTs } : {}),
        }),
        { secret: SECRET },
      );
    // The requester's own click: refused (gates/permissions.ts) in Turkish.
    await approve(ALICE);
    await pollUntil(
      () =>
        world.slack.api
          .ephemerals({ user: ALICE })
          .find((e) =>
            (e.text ?? '').includes('Bu çalıştırmayı siz talep ettiniz, bu yüzden onaylayamazsınız'),
          ),
      { what: 'the self-approval refusal in Turkish' },
    );
    await approve(BOB);
    const decided = await pollUntil(
      () => {
        const text = world.slack.api.message(CHANNEL, messageTs)?.text ?? '';
        return text.includes('Onaylayan') ? text : undefined;
      },
      { what: 'the request to say, in Turkish, who approved' },
    );
    expect(decided).toContain(`Onaylayan: <@${BOB}>. FAZ 3 şimdi çalışıyor.`);
    // The thread's reply comes from the outbox, after the request was drawn again: waited for.
    const { thread } = await world.rootWhen(id, (r) => r.thread.some((t) => t.includes('Onaylayan')));
    expect(thread).toContainEqual(
      expect.stringContaining(`Onaylayan: <@${BOB}>. FAZ 3 bayrağı şimdi ON yapıyor.`),
    );
    expect(thread.join('\n')).not.toContain('Approved by');
    await world.finished(id, 30_000);
    // A late click, after the decision: refused at click time, in Turkish.
    await approve(BOB);
    await pollUntil(
      () =>
        world.slack.api
          .ephemerals({ user: BOB })
          .find((e) => (e.text ?? '').includes('Bu çalıştırma artık onay beklemiyor')),
      { what: 'the late click refused in Turkish' },
    );
  });
});
