import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postRaw, triggerId, viewSubmissionPayload } from '../../sim/slack/sign.ts';
import { DEFAULT_BOT_SCOPES, type FakeSlackApi, startFakeSlackApi } from '../../sim/slack/web-api.ts';

const ALICE = 'U0ALICE0001';
const BOB = 'U0BOB000001';
const CHANNEL = 'C0VERIFY001';
const ELSEWHERE = 'C0RANDOM001';
const APPROVERS = 'S0APPROVE01';

let fake: FakeSlackApi;

beforeAll(async () => {
  fake = await startFakeSlackApi();
  fake.addUser({ id: ALICE, name: 'alice' });
  fake.addUser({ id: BOB, name: 'bob' });
  fake.addUserGroup(APPROVERS, [BOB]);
  fake.addChannel(CHANNEL, { name: 'pc-verify' });
  fake.addChannel(ELSEWHERE, { name: 'random', botIsMember: false });
});

afterAll(async () => {
  await fake?.close();
});

beforeEach(() => {
  fake.reset();
  fake.setScopes(DEFAULT_BOT_SCOPES);
});

describe('the real WebClient against the fake Web API', () => {
  function client(options: { token?: string; retries?: number; rejectRateLimitedCalls?: boolean } = {}) {
    return new webApi.WebClient(options.token ?? fake.botToken, {
      slackApiUrl: fake.apiUrl,
      logLevel: webApi.LogLevel.ERROR,
      rejectRateLimitedCalls: options.rejectRateLimitedCalls ?? false,
      retryConfig: { retries: options.retries ?? 0, factor: 1, minTimeout: 0, maxTimeout: 0 },
    });
  }

  async function slackError(call: Promise<unknown>): Promise<Record<string, unknown>> {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: webApi.ErrorCode.PlatformError });
    return (error as { data: Record<string, unknown> }).data;
  }

  it('answers missing_scope with needed/provided when the token lacks the scope', async () => {
    fake.setScopes(['commands', 'users:read']);

    const data = await slackError(client().chat.postMessage({ channel: CHANNEL, text: 'hi' }));

    expect(data).toMatchObject({
      ok: false,
      error: 'missing_scope',
      needed: 'chat:write',
      provided: 'commands,users:read',
    });
    expect(data.response_metadata).toMatchObject({
      scopes: ['commands', 'users:read'],
      acceptedScopes: ['chat:write'],
    });
    expect(fake.messages(CHANNEL)).toEqual([]);
  });

  it('answers HTTP 429 with Retry-After, which the WebClient reads and retries after', async () => {
    fake.rateLimitNext('chat.postMessage', 1, 1);
    await expect(
      client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: CHANNEL, text: 'x' }),
    ).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 1,
    });

    fake.rateLimitNext('chat.postMessage', 1, 1);
    const posted = await client({ retries: 1 }).chat.postMessage({
      channel: CHANNEL,
      text: 'after the wait',
    });

    // How long the WebClient waits is the library's business; the fake's part is the header.
    expect(fake.calls('chat.postMessage')[1]?.status).toBe(429);
    expect(posted.ok).toBe(true);
    expect(fake.calls('chat.postMessage').map((c) => c.status)).toEqual([429, 429, 200]);
    expect(fake.messages(CHANNEL).map((m) => m.text)).toEqual(['after the wait']);
  });

  it("names Slack's errors for bad input", async () => {
    const web = client();
    expect(await slackError(client({ token: 'xoxb-wrong' }).auth.test())).toMatchObject({
      error: 'invalid_auth',
    });
    expect(await slackError(web.chat.postMessage({ channel: 'C0NOSUCH001', text: 'x' }))).toMatchObject({
      error: 'channel_not_found',
    });
    expect(await slackError(web.chat.postMessage({ channel: ELSEWHERE, text: 'x' }))).toMatchObject({
      error: 'not_in_channel',
    });
    expect(await slackError(web.apiCall('chat.postMessage', { channel: CHANNEL }))).toMatchObject({
      error: 'no_text',
    });
    const tooLong = [
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'x'.repeat(76) } }],
      },
    ];
    expect(
      await slackError(web.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: tooLong })),
    ).toMatchObject({
      error: 'invalid_blocks',
    });
    expect(
      await slackError(web.chat.update({ channel: CHANNEL, ts: '1700000000.000100', text: 'x' })),
    ).toMatchObject({
      error: 'message_not_found',
    });
    expect(await slackError(web.users.info({ user: 'U0NOBODY001' }))).toMatchObject({
      error: 'user_not_found',
    });
    expect(await slackError(web.usergroups.users.list({ usergroup: 'S0NOSUCH001' }))).toMatchObject({
      error: 'no_such_subteam',
    });
    expect(await slackError(web.apps.connections.open())).toMatchObject({ error: 'not_allowed_token_type' });
    expect(fake.messages(CHANNEL)).toEqual([]);
  });

  it('answers the directory and DM methods the bot uses', async () => {
    const web = client();
    expect((await web.auth.test()).user_id).toBe(fake.identity.botUserId);
    expect((await web.usergroups.users.list({ usergroup: APPROVERS })).users).toEqual([BOB]);
    expect((await web.users.info({ user: ALICE })).user).toMatchObject({
      id: ALICE,
      name: 'alice',
      is_bot: false,
    });
    const opened = await web.conversations.open({ users: ALICE });
    expect(opened.channel?.id).toBe(fake.dmOf(ALICE));
    const dm = await web.chat.postMessage({ channel: ALICE, text: 'your code is ABCD-EFGH' });
    expect(dm.channel).toBe(fake.dmOf(ALICE));
    expect(fake.messages(fake.dmOf(ALICE)).map((m) => m.text)).toEqual(['your code is ABCD-EFGH']);
    const first = await web.chat.postMessage({ channel: CHANNEL, text: 'one' });
    const second = await web.chat.postMessage({ channel: CHANNEL, text: 'two' });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
  });

  it('lets a response_url be used five times, then refuses it', async () => {
    const url = fake.responseUrl('commands', { channel: CHANNEL, userId: ALICE });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await postRaw(url, JSON.stringify({ text: `answer ${i}` }), {
        'Content-Type': 'application/json',
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(fake.responses().at(-1)?.reply).toEqual({ ok: false, error: 'used_url' });
  });

  it('keeps ephemerals to channel members, threads replies under the root, and fails on demand', async () => {
    fake.addChannel('C0PRIVATE01', { name: 'ops', members: [BOB] });
    const web = client();
    expect(
      await slackError(web.chat.postEphemeral({ channel: 'C0PRIVATE01', user: ALICE, text: 'x' })),
    ).toMatchObject({
      error: 'user_not_in_channel',
    });
    await web.chat.postEphemeral({ channel: 'C0PRIVATE01', user: BOB, text: 'only bob' });
    expect(fake.ephemerals({ user: BOB }).map((e) => e.text)).toEqual(['only bob']);

    const root = (await web.chat.postMessage({ channel: CHANNEL, text: 'root' })).ts as string;
    const reply = (await web.chat.postMessage({ channel: CHANNEL, thread_ts: root, text: 'one' }))
      .ts as string;
    await web.chat.postMessage({ channel: CHANNEL, thread_ts: reply, text: 'two' });
    expect(fake.thread(CHANNEL, root).map((m) => m.text)).toEqual(['one', 'two']);
    expect(fake.messages(CHANNEL).map((m) => m.text)).toEqual(['root']);

    fake.failNext('chat.update', 'token_revoked');
    expect(await slackError(web.chat.update({ channel: CHANNEL, ts: root, text: 'x' }))).toMatchObject({
      error: 'token_revoked',
    });
    await web.chat.update({ channel: CHANNEL, ts: root, text: 'root, edited' });
    expect(fake.message(CHANNEL, root)?.versions.map((v) => v.text)).toEqual(['root', 'root, edited']);
  });

  it('gives permalinks as Slack does: the workspace host, p<ts>, and thread_ts for a reply', async () => {
    const web = client();
    const root = (await web.chat.postMessage({ channel: CHANNEL, text: 'root' })).ts as string;
    const reply = (await web.chat.postMessage({ channel: CHANNEL, thread_ts: root, text: 'r' })).ts as string;
    const base = `https://fake-team.slack.com/archives/${CHANNEL}`;
    expect((await web.chat.getPermalink({ channel: CHANNEL, message_ts: root })).permalink).toBe(
      `${base}/p${root.replace('.', '')}`,
    );
    expect((await web.chat.getPermalink({ channel: CHANNEL, message_ts: reply })).permalink).toBe(
      `${base}/p${reply.replace('.', '')}?thread_ts=${root}&cid=${CHANNEL}`,
    );
    expect(
      await slackError(web.chat.getPermalink({ channel: CHANNEL, message_ts: '1.000001' })),
    ).toMatchObject({
      error: 'message_not_found',
    });
  });

  it('shows an ephemeral in the thread it names', async () => {
    const web = client();
    const root = (await web.chat.postMessage({ channel: CHANNEL, text: 'root' })).ts as string;
    await web.chat.postEphemeral({ channel: CHANNEL, user: BOB, text: 'here', thread_ts: root });
    expect(fake.ephemerals({ user: BOB })).toMatchObject([{ text: 'here', threadTs: root }]);
  });
});

describe('views.open and view_submission', () => {
  const modal = {
    type: 'modal',
    callback_id: 'why',
    title: { type: 'plain_text', text: 'Reject' },
    submit: { type: 'plain_text', text: 'Reject' },
    private_metadata: '{"runId":"r1"}',
    blocks: [
      {
        type: 'input',
        block_id: 'reason',
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: 'text' },
      },
    ],
  };

  it('opens a modal only with a trigger_id younger than 3 s, and only once', async () => {
    let now = Date.parse('2026-12-02T10:00:00Z');
    const clocked = await startFakeSlackApi({ now: () => now });
    try {
      const web = new webApi.WebClient(clocked.botToken, {
        slackApiUrl: clocked.apiUrl,
        logLevel: webApi.LogLevel.ERROR,
        retryConfig: { retries: 0 },
      });
      const refusal = (call: Promise<unknown>) =>
        call.then(
          () => 'opened',
          (e: { data?: { error?: string } }) => e.data?.error,
        );
      const fresh = triggerId(now);
      const opened = await web.views.open({ trigger_id: fresh, view: modal as never });
      expect(opened.view).toMatchObject({ callback_id: 'why', private_metadata: '{"runId":"r1"}' });
      expect(await refusal(web.views.open({ trigger_id: fresh, view: modal as never }))).toBe(
        'exchanged_trigger_id',
      );
      const old = triggerId(now);
      now += 3_001;
      expect(await refusal(web.views.open({ trigger_id: old, view: modal as never }))).toBe(
        'expired_trigger_id',
      );
      expect(await refusal(web.views.open({ trigger_id: 'made-up', view: modal as never }))).toBe(
        'invalid_trigger_id',
      );
      const { submit: _, ...noSubmit } = modal;
      expect(await refusal(web.views.open({ trigger_id: triggerId(now), view: noSubmit as never }))).toBe(
        'invalid_arguments',
      );
      expect(clocked.modals().map((m) => m.callback_id)).toEqual(['why']);
    } finally {
      await clocked.close();
    }
  });

  it('builds the view_submission Slack sends for a modal it opened, with what was typed', async () => {
    const web = new webApi.WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    const opened = await web.views.open({ trigger_id: triggerId(), view: modal as never });
    const view = fake.modals()[0]!;
    expect(view.id).toBe(opened.view?.id);
    const payload = viewSubmissionPayload({ userId: BOB, view, values: { reason: { text: 'not today' } } });
    expect(payload).toMatchObject({
      type: 'view_submission',
      user: { id: BOB },
      view: {
        id: view.id,
        callback_id: 'why',
        private_metadata: '{"runId":"r1"}',
        state: { values: { reason: { text: { type: 'plain_text_input', value: 'not today' } } } },
      },
    });
  });
});

describe('message metadata and the history methods, as Slack answers them', () => {
  const PRIVATE = 'C0PRIVATE01';
  function client() {
    return new webApi.WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      logLevel: webApi.LogLevel.ERROR,
      retryConfig: { retries: 0 },
    });
  }
  const tag = (n: number) => ({ event_type: 'pcv_notice', event_payload: { entry: `1-${n}`, part: 0 } });

  it('keeps metadata, and returns it from history and replies only with include_all_metadata', async () => {
    const root = await client().chat.postMessage({ channel: CHANNEL, text: 'root', metadata: tag(0) });
    await client().chat.postMessage({
      channel: CHANNEL,
      text: 'reply',
      thread_ts: String(root.ts),
      metadata: tag(1),
    });

    const plain = await client().conversations.history({ channel: CHANNEL });
    expect(plain.messages?.map((m) => [m.text, m.metadata])).toEqual([['root', undefined]]);
    const withMeta = await client().conversations.replies({
      channel: CHANNEL,
      ts: String(root.ts),
      include_all_metadata: true,
    });
    expect(withMeta.messages?.map((m) => [m.text, m.metadata])).toEqual([
      ['root', tag(0)],
      ['reply', tag(1)],
    ]);
    await expect(
      client().chat.postMessage({ channel: CHANNEL, text: 'x', metadata: { event_type: 'x' } as never }),
    ).rejects.toMatchObject({ data: { error: 'invalid_metadata_schema' } });
  });

  it('pages history newest first and a thread oldest first (its parent on the first page), within oldest/latest', async () => {
    const posted: string[] = [];
    for (let i = 0; i < 5; i++)
      posted.push(String((await client().chat.postMessage({ channel: CHANNEL, text: `m${i}` })).ts));
    const first = await client().conversations.history({ channel: CHANNEL, limit: 2, oldest: posted[0] });
    expect(first.messages?.map((m) => m.text)).toEqual(['m4', 'm3']);
    expect(first.has_more).toBe(true);
    const second = await client().conversations.history({
      channel: CHANNEL,
      limit: 2,
      oldest: posted[0],
      cursor: first.response_metadata?.next_cursor ?? '',
    });
    // `oldest` is exclusive: m0 is left out.
    expect(second.messages?.map((m) => m.text)).toEqual(['m2', 'm1']);
    expect(second.has_more).toBe(false);
    const bounded = await client().conversations.history({
      channel: CHANNEL,
      oldest: posted[1],
      latest: posted[3],
      inclusive: true,
    });
    expect(bounded.messages?.map((m) => m.text)).toEqual(['m3', 'm2', 'm1']);

    const root = posted[0] ?? '';
    for (let i = 0; i < 3; i++)
      await client().chat.postMessage({ channel: CHANNEL, text: `r${i}`, thread_ts: root });
    const page1 = await client().conversations.replies({ channel: CHANNEL, ts: root, limit: 2 });
    expect(page1.messages?.map((m) => m.text)).toEqual(['m0', 'r0']);
    const page2 = await client().conversations.replies({
      channel: CHANNEL,
      ts: root,
      limit: 2,
      cursor: page1.response_metadata?.next_cursor ?? '',
    });
    expect(page2.messages?.map((m) => m.text)).toEqual(['r1', 'r2']);
    expect(page2.has_more).toBe(false);
  });

  it('needs the history scope of the kind of channel, and the bot in it', async () => {
    fake.addChannel(PRIVATE, { isPrivate: true });
    fake.setScopes(DEFAULT_BOT_SCOPES.filter((s) => s !== 'groups:history'));
    await expect(client().conversations.history({ channel: PRIVATE })).rejects.toMatchObject({
      data: { error: 'missing_scope' },
    });
    await expect(client().conversations.history({ channel: CHANNEL })).resolves.toMatchObject({ ok: true });
    await expect(client().conversations.history({ channel: ELSEWHERE })).rejects.toMatchObject({
      data: { error: 'not_in_channel' },
    });
    await expect(client().conversations.replies({ channel: CHANNEL, ts: '1.000000' })).rejects.toMatchObject({
      data: { error: 'thread_not_found' },
    });
  });

  it('a lost answer: the post is made, the caller hears nothing but a closed connection', async () => {
    fake.loseNextAnswer('chat.postMessage');
    await expect(client().chat.postMessage({ channel: CHANNEL, text: 'in the dark' })).rejects.toMatchObject({
      code: webApi.ErrorCode.RequestError,
    });
    expect(fake.messages(CHANNEL).map((m) => m.text)).toEqual(['in the dark']);
    expect(fake.calls('chat.postMessage')[0]?.lost).toBe(true);
    await client().chat.postMessage({ channel: CHANNEL, text: 'heard' });
    expect(fake.calls('chat.postMessage')[1]?.lost).toBeUndefined();
  });
});
