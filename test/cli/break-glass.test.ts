import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postSigned } from '../../sim/slack/sign.ts';
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

beforeAll(async () => {
  world = await startBotWorld({ tier: 'prod', watch: false });
  config = await world.writeConfig();
});
afterAll(async () => {
  await config?.remove();
  await world?.stop();
});

async function cli(args: string[], env: Record<string, string> = {}) {
  const res = await execa('node', ['--import', 'tsx', CLI, ...args], { reject: false, env, timeout: 90_000 });
  return { code: res.exitCode, stdout: String(res.stdout), stderr: String(res.stderr) };
}

const breakGlassMessage = () =>
  world.slack.api.messages(CHANNEL).find((m) => (m.text ?? '').includes('break-glass in staging'));

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

    const posted = await pollUntil(breakGlassMessage, { what: 'the review request in the channel' });
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
