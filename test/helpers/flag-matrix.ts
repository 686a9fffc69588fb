import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { Pause, PauseOptions, PausePoint } from '../../sim/hunter/pause-points.ts';
import { blockActionsBody, postSigned } from '../../sim/slack/sign.ts';
import type { RunId } from '../../src/domain/ids.ts';
import type { RunRecord } from '../../src/domain/run.ts';
import { APPROVE_ACTION } from '../../src/slack/views/approval.ts';
import { STATE_WORDS } from '../../src/slack/views/run-message.ts';
import { ALICE, BOB, type BotWorld, CHANNEL, SECRET, STAGING } from '../slack/bot-world.ts';
import { pollUntil } from './poll.ts';
import type { Served } from './serve-process.ts';

/*
 * The crash matrix's moves: bring a run to a named moment of the simulated
 * deployment, interrupt it there, and check the one promise — the flag ends verified, and the
 * run, its root message and `status` say which way.
 */

export type Tier = 'staging' | 'prod';

/** A moment in Phase 3: the ON apply, before and during; the first /healthz after it; api.on's request. */
export const PHASE3_MOMENTS: readonly (readonly [string, PausePoint, PauseOptions])[] = [
  ['after the ON write, before apply', 'apply:before', { flag: true }],
  ['during the ON apply (api and worker stopped)', 'apply:during', { flag: true }],
  ['after the ON apply, before /healthz answered', 'healthz:before', { flag: true }],
  ['after health.on, before api.on', 'sync:before', { flag: true }],
];

/** A moment of the switch-off stage: the OFF apply, before and during; the first /healthz after it. */
export const SWITCH_OFF_MOMENTS: readonly (readonly [string, PausePoint, PauseOptions])[] = [
  ['after the OFF write, before apply', 'apply:before', { flag: false }],
  ['during the OFF apply', 'apply:during', { flag: false }],
  ['after the OFF apply, before /healthz answered', 'healthz:before', { flag: false }],
];

/** Starts a run through `bot`; in prod Bob approves it once the request is up. */
export async function startRun(world: BotWorld, bot: Served, tier: Tier): Promise<RunId> {
  const ack = await world.slash('staging', ALICE, CHANNEL, bot);
  const id = /`(r[a-z0-9]+)`/.exec(ack.text)?.[1] as RunId | undefined;
  if (!id) throw new Error(`no run started: ${ack.status} ${ack.text}`);
  if (tier === 'prod') await approve(world, bot, id);
  return id;
}

export async function approve(world: BotWorld, bot: Served, id: RunId): Promise<void> {
  const run = await world.waitForRun(
    id,
    (r) => r.approval?.messageTs !== undefined,
    'the approval request',
    30_000,
  );
  const res = await postSigned(
    `${bot.url}/slack/events`,
    blockActionsBody({
      userId: BOB,
      channelId: CHANNEL,
      messageTs: run.approval!.messageTs!,
      actionId: APPROVE_ACTION,
      value: id,
    }),
    { secret: SECRET },
  );
  expect(res.status).toBe(200);
}

/** Arms `point`, and waits until the deployment is held there. */
export async function heldAt(world: BotWorld, point: PausePoint, options: PauseOptions): Promise<Pause> {
  const pause = world.sim.pauseAt(point, options);
  await pollUntil(() => (pause.isReached() ? true : undefined), {
    timeoutMs: 60_000,
    what: `the simulator to be held at ${point}`,
  });
  return pause;
}

export async function kill(bot: Served): Promise<void> {
  bot.child.kill('SIGKILL');
  await bot.child.catch(() => undefined);
}

async function envFileFlag(world: BotWorld): Promise<boolean> {
  return /^HUNTER_PARTNER_CENTER_ENABLED=true$/m.test(await readFile(world.sim.envFile, 'utf8'));
}

async function healthzFlag(world: BotWorld): Promise<boolean | undefined> {
  const res = await fetch(`${world.sim.apiUrl}/healthz`, { signal: AbortSignal.timeout(2_000) }).catch(
    () => undefined,
  );
  if (!res?.ok) return undefined;
  return ((await res.json()) as { partner_center_enabled?: boolean }).partner_center_enabled;
}

/**
 * The promise: the run is over, the environment free, the flag verified `flag` in the env file,
 * at /healthz and in the record — and the run, its root message and `status` agree. ON only
 * with a PASS.
 */
export async function expectVerifiedEnd(
  world: BotWorld,
  bot: { url: string },
  id: RunId,
  flag: 'on' | 'off',
  states: readonly RunRecord['state'][],
): Promise<RunRecord> {
  const run = await world.finished(id, 60_000);
  expect(states).toContain(run.state);
  if (flag === 'on') {
    expect(run.state).toBe('passed');
    expect(run.report?.phases.find((p) => p.phase === 3)?.status).toBe('pass');
  }
  expect(await world.runs.lockHolder(STAGING)).toBeUndefined();
  const record = await world.flags.get(STAGING);
  expect(record).toMatchObject({ desired: flag, observed: flag });
  expect(record?.unverified).toBeUndefined();
  expect(await envFileFlag(world)).toBe(flag === 'on');
  const live = await pollUntil(async () => healthzFlag(world), { what: 'the api answering /healthz' });
  expect(live).toBe(flag === 'on');
  const { message } = await world.root(id);
  expect(message.text).toBe(`pc-verify staging: ${STATE_WORDS[run.state]}`);
  const status = await world.slash('status staging', ALICE, CHANNEL, bot);
  expect(status.text).toContain(
    `flag desired *${flag.toUpperCase()}* · observed ${flag.toUpperCase()} (verified`,
  );
  return run;
}

/** Back to a known start for the next case: the kill switch, verified OFF. */
export async function resetFlagOff(world: BotWorld, bot: { url: string }): Promise<void> {
  if (!(await envFileFlag(world)) && (await world.flags.get(STAGING))?.observed !== 'on') return;
  const ack = await world.slash('off staging', ALICE, CHANNEL, bot);
  expect(ack.status).toBe(200);
  await pollUntil(
    async () => {
      const record = await world.flags.get(STAGING);
      return record?.owner.kind === 'kill' && record.observed === 'off' ? true : undefined;
    },
    { timeoutMs: 30_000, what: 'the kill switch to verify the flag OFF' },
  );
}
