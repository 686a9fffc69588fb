import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
