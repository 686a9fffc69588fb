import { describe, expect, it } from 'vitest';
import type { EnvName, SlackUserId } from '../../src/domain/ids.ts';
import type { RunRecord } from '../../src/domain/run.ts';
import type { BotServices } from '../../src/lifecycle/lifecycle-deps.ts';
import type { RunWatcher } from '../../src/lifecycle/phase-progress.ts';
import { guardRun, RunControl } from '../../src/lifecycle/run-control.ts';
import { handOff } from '../../src/lifecycle/run-pickup.ts';
import { RunVoice } from '../../src/outbox/run-announcer.ts';
import type { RunNotice, RunNotifier, ThreadRef } from '../../src/outbox/run-notices.ts';
import type { DmRef } from '../../src/store/login-dm.ts';
import { pollUntil } from '../helpers/poll.ts';
import { queuedRun } from '../helpers/store.ts';

/**
 * When Redis loses a run's data its worker says so from what it holds in memory
 * (lifecycle/lost-run.ts): the thread's root message and the DM that shows the sign-in code.
 * These are the moments each becomes known to it.
 */

/** Just what the guard touches: the run's record (as the notifier patches it), the leases, the log. */
function services(read: () => RunRecord | undefined): BotServices {
  const fake: Pick<BotServices, 'runs' | 'log'> = {
    runs: {
      get: async () => read(),
      renewLease: async () => true,
      renewWork: async () => true,
    } as unknown as BotServices['runs'],
    log: { warn: () => undefined } as unknown as BotServices['log'],
  };
  return fake as BotServices;
}

describe("a run's root message placed after its worker took it up (the run already waits for the sign-in)", () => {
  it("reaches the run's voice through the guard's look at the record: its notes know the thread without Redis", async () => {
    const picked: RunRecord = {
      ...queuedRun('staging' as EnvName, { kind: 'slack', userId: 'U0ALICE0001' as SlackUserId }),
      state: 'awaiting_login',
      slack: { channel: 'C0VERIFY001' },
    };
    let record: RunRecord = picked;
    const said: ThreadRef[] = [];
    const notifier: RunNotifier = {
      notify: async (thread: ThreadRef, _notice: RunNotice) => void said.push(thread),
      handOffLogin: async () => {
        throw new Error('no login here');
      },
    };
    const voice = new RunVoice(notifier, { key: picked.id, channel: 'C0VERIFY001', runId: picked.id });
    const control = new RunControl();
    const stop = guardRun(
      services(() => record),
      picked,
      control,
      { leaseMs: 8_000, pollMs: 10 },
      (current) => voice.follow(current),
    );
    try {
      // The notifier posts the root and records where it is, as src/slack/deliver.ts does.
      record = { ...picked, slack: { channel: 'C0VERIFY001', rootTs: '1796616274.568000' } };
      await pollUntil(() => (voice.thread?.rootTs ? true : undefined), {
        timeoutMs: 5_000,
        what: 'the voice to learn the root message',
      });
      await voice.reply('a note after Redis lost the run');
      expect(said.at(-1)?.rootTs).toBe('1796616274.568000');
      expect(control.stopReason()).toBeUndefined();
    } finally {
      stop();
    }
  });
});

describe('a run stopped while its sign-in code is being handed over (the login check does not wait for the handoff)', () => {
  it('knows the DM before the code shows in it, so that the DM can be voided', async () => {
    const run: RunRecord = {
      ...queuedRun('staging' as EnvName, { kind: 'slack', userId: 'U0ALICE0001' as SlackUserId }),
      state: 'phase2',
      slack: { channel: 'C0VERIFY001', rootTs: '1796616274.568000' },
    };
    const dm: DmRef = { channel: 'D0ALICE0001', ts: '1796616274.570000' };
    const remembered: DmRef[] = [];
    // The DM is posted and remembered; the rest of the handoff (the code shown, the thread told)
    // is still under way when the run stops.
    const notifier: RunNotifier = {
      notify: async () => undefined,
      handOffLogin: async (_thread, _login, remember) => {
        await remember(dm);
        return new Promise<DmRef>(() => undefined);
      },
    };
    const s = {
      notifier,
      loginDms: { set: async (_id: unknown, ref: DmRef) => void remembered.push(ref) },
    } as unknown as BotServices;
    const watcher = { dm: undefined, awaitingLogin: async () => undefined } as unknown as RunWatcher;
    const voice = new RunVoice(notifier, { key: run.id, channel: 'C0VERIFY001', runId: run.id });
    void handOff(s, run, voice, watcher, {
      verificationUri: 'https://microsoft.com/devicelogin',
      userCode: 'CDFDVDDTG',
      expiresAt: new Date('2026-12-07T05:00:00Z'),
      message: 'sign in',
    });
    await pollUntil(() => (remembered.length > 0 ? true : undefined), { what: 'the DM to be remembered' });
    expect(watcher.dm).toEqual(dm);
  });
});
