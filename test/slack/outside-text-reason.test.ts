import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunId, SlackUserId } from '../../src/domain/ids.ts';
import { buildReport } from '../../src/engine/build-report.ts';
import { coded, message } from '../../src/i18n/index.ts';
import { ALICE, BOB, type BotWorld, CHANNEL, STAGING, startBotWorld } from './bot-world.ts';

// What Hunter's worker wrote is outside text: wherever a failed run's reason reaches Slack (the
// root message, the verdict in the thread, history) it is shown as text — escaped, in code —
// never as the bot's own markup, so a log line cannot ping the channel or pass for a link.
const HOSTILE = '<!channel> *bold* <https://evil.example/login|Sign in again here>';
let world: BotWorld;

beforeAll(async () => {
  world = await startBotWorld({ watch: false });
  world.aad.autoApprove();
});
afterAll(async () => {
  await world?.stop();
});

/** Every `<!channel>` and `<https://evil` in a text, outside code spans and code blocks. */
function rawMarkup(text: string): string[] {
  const outsideCode = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...outsideCode.matchAll(/<!channel>|<https:\/\/evil|\*bold\*/g)].map((m) => m[0]);
}

describe('a run that fails on a worker line carrying Slack markup', () => {
  it('shows that line as text in the root message, the thread and history', async () => {
    world.sim.setFaults({ workerExceptionWhenOn: true, workerExceptionMessage: HOSTILE });
    let id: Awaited<ReturnType<BotWorld['start']>>;
    try {
      id = await world.start();
      const run = await world.finished(id, 60_000);
      expect(run.state).toBe('failed');
      expect(run.report?.phases[3]?.checks.some((c) => c.observed.includes('<!channel>'))).toBe(true);
    } finally {
      world.sim.setFaults({ workerExceptionWhenOn: false, workerExceptionMessage: null });
    }
    const root = await world.root(id);
    const everything = [
      root.message.text ?? '',
      JSON.stringify(root.message.blocks ?? []),
      ...root.thread,
      (await world.slash('history staging')).text,
      (await world.slash('status staging')).text,
    ];
    expect(everything.flatMap(rawMarkup)).toEqual([]);
    // The line is there to read: escaped, in code.
    expect(root.thread.join('\n')).toContain('&lt;!channel&gt;');
    expect(world.slack.api.messages(CHANNEL).some((m) => (m.text ?? '').includes('<!channel>'))).toBe(false);
  }, 120_000);

  it('shows a command message quoted in a stored reason as code in history, and a long reason whole in words', async () => {
    const said = `sha256sum: ${HOSTILE}: No such file or directory`;
    const gone = coded(message('thread.note.phase3NotStarted'), {
      why: coded(message('thread.note.staged.gone', { quoted: said })),
    });
    const typed = `not our account ${'and not our change window either '.repeat(5)}`;
    const rejected = coded(message('thread.note.runRejectedWhy', { who: BOB, reason: typed }));
    for (const [id, reason] of [
      ['rgonecache01', gone],
      ['rrejected001', rejected],
    ] as const) {
      const at = new Date();
      const report = buildReport({
        env: STAGING,
        runId: id as RunId,
        startedAt: at,
        finishedAt: at,
        ran: [],
        state: 'failed',
        reason,
      });
      await world.results.record({ report, requester: { kind: 'slack', userId: ALICE as SlackUserId } });
    }
    const history = (await world.slash('history staging')).text;
    expect(rawMarkup(history)).toEqual([]);
    expect(history).toContain(
      "the approved sign-in's staged cache is gone (`sha256sum: &lt;!channel&gt; *bold*",
    );
    expect(history).toContain(`Phase 3 was rejected by <@${BOB}>. Reason: not our account`);
    expect(history).not.toContain('⟦');
  }, 60_000);
});
