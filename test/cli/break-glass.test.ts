import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postSigned } from '../../sim/slack/sign.ts';
import { loginCommand } from '../../src/cli/login.ts';
import { BREAK_GLASS_REVIEWED_ACTION } from '../../src/slack/views/break-glass.ts';
import { pollUntil } from '../helpers/poll.ts';
import { REDIS_URL } from '../helpers/services.ts';
import {
  APPROVERS,
  BOB,
  type BotWorld,
  CHANNEL,
  MALLORY,
  SECRET,
  STAGING,
  startBotWorld,
} from '../slack/bot-world.ts';

// Nothing changes an environment that needs a second person from a terminal unless the person
// says why; then it is held, audited and put in front of the approvers.
const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
let world: BotWorld;
let config: { path: string; remove: () => Promise<void> };
/** The fake Azure AD's CA, trusted by a terminal the way an operator trusts a private CA. */
let caFile: string;

beforeAll(async () => {
  world = await startBotWorld({ tier: 'prod', watch: false });
  config = await world.writeConfig();
  caFile = join(config.path, '..', 'aad-ca.pem');
  await writeFile(caFile, world.aad.ca);
});
afterAll(async () => {
  await config?.remove();
  await world?.stop();
});

async function cli(args: string[], env: Record<string, string> = {}) {
  const res = await execa('node', ['--import', 'tsx', CLI, ...args], { reject: false, env, timeout: 90_000 });
  return { code: res.exitCode, stdout: String(res.stdout), stderr: String(res.stderr) };
}

const breakGlassMessage = (reason = '') =>
  world.slack.api
    .messages(CHANNEL)
    .find(
      (m) => (m.text ?? '').includes('break-glass in staging') && JSON.stringify(m.blocks).includes(reason),
    );

function clickReviewed(user: string, messageTs: string, value: string) {
  return postSigned(
    `${world.bot.url}/slack/events`,
    blockActionsBody({
      userId: user,
      channelId: CHANNEL,
      messageTs,
      actionId: BREAK_GLASS_REVIEWED_ACTION,
      value,
    }),
    { secret: SECRET },
  );
}

describe('pc-verify run of an environment that requires approval', () => {
  it('refuses with exit 2 and says why, changing nothing', async () => {
    const calls = world.sim.composeCalls().length;
    const res = await cli(['run', 'staging', '--config', config.path, '--phases', '0'], { REDIS_URL });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('needs a second person');
    expect(res.stderr).toContain('--break-glass "<reason>"');
    expect(world.sim.composeCalls().length).toBe(calls);
    expect((await world.audit.entries(STAGING)).map((e) => e.action)).not.toContain('break_glass');
  }, 120_000);

  it('refuses a break-glass without the bot Redis', async () => {
    const res = await cli(
      ['run', 'staging', '--config', config.path, '--phases', '0', '--break-glass', 'x'],
      {
        REDIS_URL: '',
      },
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("the bot's Redis");
  }, 120_000);

  it('with --break-glass: holds the lock, audits who and why, and asks the approvers to review', async () => {
    const reason = 'pager 4711: prod sync down, approvers asleep';
    const res = await cli(
      ['run', 'staging', '--config', config.path, '--phases', '0', '--break-glass', reason],
      { REDIS_URL },
    );
    expect(res.stderr).toContain('Break-glass');
    expect(res.code).toBe(0);
    const me = userInfo().username;
    const entries = await world.audit.entries(STAGING);
    const glass = entries.find((e) => e.action === 'break_glass');
    expect(glass).toMatchObject({ actor: me, outcome: 'accepted' });
    expect(glass?.detail).toContain(reason);
    expect(entries.map((e) => e.action)).toContain('run.finished');
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();

    const posted = await pollUntil(() => breakGlassMessage(reason), {
      what: 'the review request in the channel',
    });
    expect(posted.text).toContain(`<!subteam^${APPROVERS}>`);
    const blocks = JSON.stringify(posted.blocks);
    expect(blocks).toContain(reason);
    const value = /"value":"(staging\/[a-f0-9]+)"/.exec(blocks)?.[1] ?? '';
    expect(value).not.toBe('');
    expect((await world.slash('status staging')).text).toContain('break-glass NOT REVIEWED');

    await clickReviewed(MALLORY, posted.ts, value);
    await pollUntil(
      () =>
        world.slack.api
          .ephemerals({ user: MALLORY })
          .find((e) => (e.text ?? '').includes('Only the approvers')),
      { what: 'a non-approver refused' },
    );
    await clickReviewed(BOB, posted.ts, value);
    await pollUntil(
      () =>
        (world.slack.api.message(CHANNEL, posted.ts)?.text ?? '').includes(`reviewed by <@${BOB}>`) ||
        undefined,
      { what: 'the request to say who reviewed it' },
    );
    const reviews = (await world.audit.entries(STAGING)).filter((e) => e.action === 'break_glass.review');
    expect(reviews.map((e) => [e.actor, e.outcome])).toEqual([
      [MALLORY, 'refused'],
      [BOB, 'accepted'],
    ]);
    expect((await world.slash('status staging')).text).not.toContain('break-glass NOT REVIEWED');
  }, 180_000);
});

describe('a break-glass run that changes the flag', () => {
  it('records the flag in the bot Redis as the terminal break-glass run’s, and lets the environment go', async () => {
    world.aad.autoApprove();
    try {
      const res = await cli(
        ['run', 'staging', '--config', config.path, '--confirm-flag-off', '--break-glass', 'pager 4712'],
        { REDIS_URL, NODE_EXTRA_CA_CERTS: caFile },
      );
      expect(res.code).toBe(0);
      const held = /held by (cli[a-z0-9]+)/.exec(res.stderr)?.[1];
      expect(held).toBeDefined();
      // Phase 1 wrote it OFF and Phase 3 ON, each verified, and it says who did it from where.
      expect(await world.flags.get(STAGING)).toMatchObject({
        desired: 'on',
        observed: 'on',
        owner: { kind: 'run', runId: held },
        by: `${userInfo().username} (terminal, break-glass)`,
      });
      expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('true');
      expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
      expect((await world.results.latest(STAGING))?.report).toMatchObject({ runId: held, verdict: 'PASS' });
    } finally {
      world.aad.autoApprove(false);
    }
  }, 180_000);
});

describe('pc-verify login of an environment whose sign-in requires approval', () => {
  const account = 'ops.night-shift@contoso.example';
  function terminal() {
    const err: string[] = [];
    return { err, io: { out: () => undefined, err: (t: string) => void err.push(t) } };
  }

  it('refuses with exit 2 and says why, signing nobody in', async () => {
    const cache = world.sim.tokenCacheFile()?.content;
    const codes = () => world.aad.requests().filter((r) => r.path.endsWith('/devicecode')).length;
    const asked = codes();
    const res = await cli(['login', 'staging', '--config', config.path], { REDIS_URL });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('policy.loginRequiresApproval');
    expect(res.stderr).toContain('--break-glass "<reason>"');
    expect(codes()).toBe(asked);
    expect(world.sim.tokenCacheFile()?.content).toBe(cache);
  }, 120_000);

  it('with --break-glass: audits who and why, names the account signed in, and asks for a review', async () => {
    const reason = 'token revoked at 03:00, approvers unreachable';
    const term = terminal();
    const code = await loginCommand(
      { env: 'staging', config: config.path, redisUrl: REDIS_URL, breakGlass: reason },
      term.io,
      {
        dispatcher: world.trust,
        onHandoff: (handoff) => world.aad.approve(handoff.userCode, { username: account }),
      },
    );
    expect(code).toBe(0);
    const me = userInfo().username;
    const entries = await world.audit.entries(STAGING);
    const glass = entries.filter((e) => e.action === 'break_glass').at(-1);
    expect(glass).toMatchObject({ actor: me, outcome: 'accepted' });
    expect(glass?.detail).toContain(`pc-verify login staging`);
    expect(glass?.detail).toContain(reason);
    const signedIn = entries.filter((e) => e.action === 'login.signed_in' && e.runId === glass?.runId);
    expect(signedIn).toEqual([
      expect.objectContaining({ actor: me, outcome: 'info', detail: expect.stringContaining(account) }),
    ]);
    expect(world.sim.tokenCacheFile()?.content).toContain(account);
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();

    const posted = await pollUntil(() => breakGlassMessage(reason), {
      what: 'the review request of the sign-in in the channel',
    });
    expect(posted.text).toContain(`<!subteam^${APPROVERS}>`);
    expect(JSON.stringify(posted.blocks)).toContain('signed in again');
  }, 120_000);
});
