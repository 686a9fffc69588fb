import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../sim/slack/workspace.ts';
import type { RunningBot } from '../../src/main/bot-options.ts';
import { pollUntil } from '../helpers/poll.ts';
import { makeUnreplaceable } from '../helpers/unwritable.ts';
import { BOB, type BotWorld, CHANNEL, STAGING, startBotWorld } from '../slack/bot-world.ts';

let world: BotWorld;
beforeAll(async () => {
  world = await startBotWorld({ tier: 'staging' });
});
afterAll(async () => {
  await world?.stop();
});

describe('the kill switch when the env file cannot be written', () => {
  it('says it is a permissions problem, names the file and what to fix; not "a pc-verify bug"', async () => {
    // The flag ON in the file, so the kill switch has something to write.
    const before = (await readFile(world.sim.envFile, 'utf8')).replace(
      /^HUNTER_PARTNER_CENTER_ENABLED=.*$/m,
      'HUNTER_PARTNER_CENTER_ENABLED=true',
    );
    await writeFile(world.sim.envFile, before);
    const locked = await makeUnreplaceable(world.sim.envFile);
    try {
      await world.slash('off staging', BOB);
      const root = await pollUntil(
        () =>
          world.slack.api
            .messages(CHANNEL)
            .find((m) => m.text?.includes('could NOT confirm the flag is OFF')),
        { what: 'the kill switch to say the flag is not confirmed OFF', timeoutMs: 20_000 },
      );
      const reply = await pollUntil(
        () =>
          world.slack.api
            .thread(CHANNEL, root.ts)
            .map((m) => m.text ?? '')
            .find((t) => t.includes('`flag.off`') && t.includes('*expected:*')),
        { what: "the failing flag.off check's own reply in the thread" },
      );
      expect(reply).toContain(`pc-verify could not write the env file ${world.sim.envFile}`);
      expect(reply).toContain(locked.errno);
      expect(reply).toContain(
        'This is a permissions problem on the machine pc-verify runs on, not a Hunter problem',
      );
      expect(reply).not.toContain('pc-verify bug');
      expect(await readFile(world.sim.envFile, 'utf8')).toBe(before);
      const flag = await pollUntil(async () => (await world.flags.get(STAGING))?.unverified, {
        what: 'the environment marked unverified',
      });
      expect(flag).toBeTruthy();
    } finally {
      await locked.restore();
    }
  });
});

describe('a kill switch that cannot act yet', () => {
  it('tries again until the flag is verified OFF, across a bot restart, each failure said in its thread and counted', async () => {
    // The switch above is retried once its file was writable again: it ends verified OFF.
    await pollUntil(
      async () => {
        const flag = await world.flags.get(STAGING);
        return flag && !flag.unverified && flag.observed === 'off' ? flag : undefined;
      },
      { what: 'the earlier kill switch retried to a verified OFF', timeoutMs: 30_000 },
    );
    const seen = world.slack.api.messages(CHANNEL).length;
    const on = (await readFile(world.sim.envFile, 'utf8')).replace(
      /^HUNTER_PARTNER_CENTER_ENABLED=.*$/m,
      'HUNTER_PARTNER_CENTER_ENABLED=true',
    );
    await writeFile(world.sim.envFile, on);
    const locked = await makeUnreplaceable(world.sim.envFile);
    let root: FakeMessage | undefined;
    const attemptNote = (n: number) =>
      pollUntil(
        () => {
          root ??= world.slack.api
            .messages(CHANNEL)
            .slice(seen)
            .find((m) => m.text?.includes('Kill switch by'));
          return root
            ? world.slack.api
                .thread(CHANNEL, root.ts)
                .find((m) => m.text?.includes(`Kill switch attempt ${n} did not turn the flag OFF`))
            : undefined;
        },
        { what: `the note of failed attempt ${n}`, timeoutMs: 30_000 },
      );
    let next: RunningBot;
    try {
      await world.slash('off staging', BOB);
      const first = await attemptNote(1);
      // The bot restarts between attempts: the retry waits in Redis, and the new process takes it.
      await world.bot.stop();
      next = await world.startBot();
      const second = await attemptNote(2);
      expect(first.text).not.toContain(`<@${BOB}>`);
      expect(second.text).toContain(`<@${BOB}>`);
      expect(first.text).toContain('keeps trying until the flag is verified OFF');
    } finally {
      await locked.restore();
    }
    const rootTs = root?.ts;
    const verified = await pollUntil(
      () =>
        world.slack.api
          .messages(CHANNEL)
          .find((m) => m.ts === rootTs && m.text?.includes('the Partner Center flag is OFF')),
      { what: 'the switch verified OFF on a later attempt', timeoutMs: 30_000 },
    );
    expect(verified.text).toContain('verified with /healthz');
    expect(await readFile(world.sim.envFile, 'utf8')).toMatch(/^HUNTER_PARTNER_CENTER_ENABLED=false$/m);
    const flag = await pollUntil(
      async () => {
        const f = await world.flags.get(STAGING);
        return f && !f.unverified && f.observed === 'off' ? f : undefined;
      },
      { what: 'the flag record verified OFF' },
    );
    expect(flag.desired).toBe('off');
    const metrics = await (await fetch(`${next.opsUrl}/metrics`)).text();
    const failures = Number(/^pcv_kill_switch_failures_total\{env="staging"\} (\d+)$/m.exec(metrics)?.[1]);
    // Counted by the process that tried: the new one failed at least once before the file was writable.
    expect(failures).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
