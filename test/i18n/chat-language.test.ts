import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunId } from '../../src/domain/ids.ts';
import { pollUntil } from '../helpers/poll.ts';
import { ALICE, type BotWorld, CHANNEL, startBotWorld } from '../slack/bot-world.ts';

/** Every text a person saw of one run: the root (text and blocks), its thread, the requester's DM. */
async function whatPeopleSaw(world: BotWorld, id: RunId, code: string) {
  const run = await world.finished(id);
  const { message, thread } = await world.rootWhen(id, (r) => r.thread.some((t) => /PASS\*$/m.test(t)));
  const dm = world.slack.api.messages(world.slack.api.dmOf(ALICE));
  return {
    run,
    root: `${message.text}\n${JSON.stringify(message.blocks)}`,
    thread: thread.join('\n'),
    dm,
    code,
  };
}

async function passingRun(world: BotWorld) {
  const ack = await world.slash('staging');
  const id = /`(r[a-z0-9]+)`/.exec(ack.text)?.[1] as RunId;
  const code = await world.nextCode();
  const dm = await pollUntil(
    () => world.slack.api.messages(world.slack.api.dmOf(ALICE)).find((m) => m.text?.includes(code)),
    { what: 'the DM with the code' },
  );
  world.aad.approve(code, { username: 'alice@contoso.example' });
  return { id, code, ack: ack.text, dmWithCode: `${dm.text}\n${JSON.stringify(dm.blocks)}` };
}

describe('a deployment with `language: tr`', () => {
  let world: BotWorld;
  beforeAll(async () => {
    world = await startBotWorld({ language: 'tr' });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('shows a staging run in Turkish: the command’s answer, the root message, the thread and the DM', async () => {
    const { id, code, ack, dmWithCode } = await passingRun(world);
    expect(ack).toContain(`*staging* için \`${id}\` çalıştırması başlıyor.`);
    expect(dmWithCode).toContain(`pc-verify staging: ${code} koduyla oturum açın`);
    expect(dmWithCode).toContain('Giriş sayfasını aç');
    expect(dmWithCode).toContain('Kodun süresi');

    const seen = await whatPeopleSaw(world, id, code);
    expect(seen.run.state).toBe('passed');
    expect(seen.root).toContain('pc-verify staging: BAŞARILI');
    expect(seen.root).toContain('*FAZ 0* - Ortam ve Migration');
    expect(seen.root).toContain('*FAZ 3* - Feature Flag ON Doğrulama');
    expect(seen.root).toContain('*Genel Durum:* PASS · *ON Yapılabilir:* EVET');
    expect(seen.root).toContain('Talep eden: <@');
    expect(seen.thread).toContain('*FAZ 1* — Feature Flag OFF Doğrulama');
    expect(seen.thread).toContain('*FAZ 3: PASS*');
    expect(seen.thread).toContain('Oturum açma DM ile');
    expect(seen.thread).toContain('*Sonuç: PASS* · ON Yapılabilir: EVET');
    await pollUntil(
      () =>
        world.slack.api.messages(world.slack.api.dmOf(ALICE)).at(-1)?.text ===
        'pc-verify staging: oturum açma tamamlandı'
          ? true
          : undefined,
      { what: 'the DM to say, in Turkish, that the sign-in is done' },
    );
    // None of the English words of these surfaces is left.
    for (const english of [
      'Overall Status',
      'Can be turned ON',
      '*Phase ',
      'Requested by',
      'Login handed',
      'sign in with code',
    ])
      expect(`${seen.root}\n${seen.thread}\n${dmWithCode}`).not.toContain(english);
    expect(world.slack.api.messages(CHANNEL)).toHaveLength(1);
  });
});

describe('a deployment with `language: en`', () => {
  let world: BotWorld;
  beforeAll(async () => {
    world = await startBotWorld({ language: 'en' });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('still shows the run in English', async () => {
    const { id, code, ack, dmWithCode } = await passingRun(world);
    expect(ack).toContain(`Starting run \`${id}\` for *staging*.`);
    expect(dmWithCode).toContain(`pc-verify staging: sign in with code ${code}`);
    const seen = await whatPeopleSaw(world, id, code);
    expect(seen.root).toContain('pc-verify staging: PASS');
    expect(seen.root).toContain('*Overall Status:* PASS · *Can be turned ON:* YES');
    expect(seen.thread).toContain('*Phase 3: PASS*');
    expect(seen.thread).toContain('Login handed to');
    expect(seen.root).not.toContain('Genel Durum');
  });
});

describe('the slash commands of a `language: tr` deployment', () => {
  let world: BotWorld;
  beforeAll(async () => {
    world = await startBotWorld({ language: 'tr' });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('answer help, a cancel with nothing to cancel and an unknown command in Turkish', async () => {
    expect((await world.slash('help')).text).toContain('*pc-verify*, flag ON yapılmadan önce');
    expect((await world.slash('cancel staging')).text).toBe(
      '*staging* ortamında süren bir çalıştırma yok; iptal edilecek bir şey yok.',
    );
    expect((await world.slash('history staging')).text).toContain('*staging* için henüz çalıştırma yok.');
  });
});
