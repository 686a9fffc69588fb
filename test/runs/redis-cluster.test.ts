import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, postSigned } from '../../sim/slack/sign.ts';
import { auditVerifyCommand } from '../../src/cli/audit.ts';
import { APPROVE_ACTION } from '../../src/slack/views/approval.ts';
import { pollUntil } from '../helpers/poll.ts';
import { freePort, type RedisClusterUnderTest, startRedisCluster } from '../helpers/redis-cluster.ts';
import { startRunAt, startServe } from '../helpers/serve-process.ts';
import {
  ALICE,
  BOB,
  type BotWorld,
  CHANNEL,
  deploymentKeys,
  SECRET,
  STAGING,
  startBotWorld,
} from '../slack/bot-world.ts';

// The bot's whole flow on a real 3-master Redis Cluster: state, locks, audit and BullMQ's queue.
let cluster: RedisClusterUnderTest;
let world: BotWorld;

beforeAll(async () => {
  cluster = await startRedisCluster();
  world = await startBotWorld({ tier: 'prod', redis: { cluster: cluster.nodes } });
}, 60_000);
afterAll(async () => {
  await world?.stop();
  await cluster?.stop();
});

describe('the bot on a Redis Cluster', () => {
  it('starts, signs in, waits for approval, runs Phase 3, and the kill switch turns the flag OFF', async () => {
    const info = await cluster.cli(cluster.ports[0]!, 'cluster', 'info');
    expect(info).toContain('cluster_state:ok');
    expect(info).toContain('cluster_size:3');

    const { id, messageTs } = await world.awaitingApproval();
    await postSigned(
      `${world.bot.url}/slack/events`,
      blockActionsBody({ userId: BOB, channelId: CHANNEL, messageTs, actionId: APPROVE_ACTION, value: id }),
      { secret: SECRET },
    );
    const run = await world.finished(id, 30_000);
    expect(run.state).toBe('passed');
    expect(run.report).toMatchObject({ verdict: 'PASS', canTurnOn: true });
    expect(run.decision).toMatchObject({ decision: 'approved', by: BOB });
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('true');
    expect(await world.runs.lockHolder(STAGING)).toBeUndefined();

    await world.slash('off staging', BOB);
    const flag = await pollUntil(
      async () => {
        const record = await world.flags.get(STAGING);
        return record?.desired === 'off' && record.observed === 'off' ? record : undefined;
      },
      { what: 'the kill switch to verify the flag OFF', timeoutMs: 20_000 },
    );
    expect(flag.unverified).toBeUndefined();
    expect(world.sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('false');
    expect((await world.audit.verify(STAGING)).ok).toBe(true);

    // A second start reads the previous run inside the claim script (a key it computes): same slot.
    const second = await world.start();
    await world.slash('cancel staging', ALICE);
    expect((await world.finished(second, 20_000)).state).toBe('cancelled');
  });

  it('keeps every key of the deployment, BullMQ queue included, in one hash slot', async () => {
    const keys = await deploymentKeys(world);
    expect(keys.some((k) => k.includes(':bull:'))).toBe(true);
    expect(keys.some((k) => k.includes(':audit:'))).toBe(true);
    const slots = new Set(
      await Promise.all(keys.map((k) => cluster.cli(cluster.ports[0]!, 'cluster', 'keyslot', k))),
    );
    expect(slots.size).toBe(1);
  });

  it('`pc-verify audit verify` reads the chain from the cluster named in the config', async () => {
    const file = await world.writeConfig();
    try {
      const out: string[] = [];
      const code = await auditVerifyCommand(
        { env: 'staging', config: file.path },
        { out: (t) => out.push(t), err: (t) => out.push(t) },
        {},
      );
      expect(out.join('\n')).toMatch(/^audit staging: \d+ entries, chain intact$/);
      expect(code).toBe(0);
    } finally {
      await file.remove();
    }
  });

  it('`pc-verify serve` with the cluster in its config file ignores REDIS_URL (the file wins)', async () => {
    const file = await world.writeConfig();
    const caFile = join(file.path, '..', 'aad-ca.pem');
    await writeFile(caFile, world.aad.ca);
    const served = await startServe({
      configPath: file.path,
      caFile,
      botToken: world.slack.api.botToken,
      apiUrl: world.slack.api.apiUrl,
      signingSecret: SECRET,
      // Nothing listens here: a process that used it could not start a run.
      redisUrl: `redis://127.0.0.1:${await freePort()}`,
      role: 'web',
    });
    try {
      // The start-up log line may reach the pipe after the "listening" line: awaited, not assumed.
      await pollUntil(
        () => (served.output().includes('Redis Cluster (nodes 127.0.0.1:') ? true : undefined),
        {
          what: 'the start-up line naming the cluster',
        },
      );
      const id = await startRunAt(served.url, {
        text: 'staging',
        userId: ALICE,
        channelId: CHANNEL,
        secret: SECRET,
        slack: world.slack.api,
      });
      world.aad.approve(await world.nextCode());
      await world.waitForRun(id, (r) => r.state === 'awaiting_approval', 'the approval request', 30_000);
      await world.slash('cancel staging', ALICE);
      expect((await world.finished(id, 20_000)).state).toBe('cancelled');
    } finally {
      served.child.kill('SIGTERM');
      await served.child;
      await file.remove();
    }
  });
});
