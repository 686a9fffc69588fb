import type { DeviceCodeHandoff } from '../auth/login.ts';
import type { RunRecord } from '../domain/run.ts';
import type { RunEvent } from '../runs/events.ts';
import type { DmRef } from '../store/login-dm.ts';
import type { Chat } from './chat.ts';
import { approvalClosed } from './views/approval.ts';
import { slackDate } from './views/home.ts';
import { loginDm, loginDmDone, loginDmPreparing } from './views/login-dm.ts';
import { outageConfirmationClosed } from './views/outage-confirmation.ts';
import { type LivePhase, runMessage } from './views/run-message.ts';
import { threadText } from './views/thread.ts';

/** How a run ended, as the rest of a sentence ("the run …"). */
const ENDED_HOW: Partial<Record<RunRecord['state'], string>> = {
  expired: 'expired',
  cancelled: 'was cancelled',
  failed: 'failed',
  rolled_back: 'was rolled back',
  passed: 'passed',
};

export interface SlackPlaceOfRun {
  readonly channel: string;
  readonly rootTs: string;
  /** The Slack user who asked for the run: the verdict mentions them. */
  readonly requester?: string;
}

/**
 * Where a run shows up in Slack: one root message (the checklist, updated in place), a thread
 * reply per event under it, and the sign-in code in the requester's DM. Slack being slow or
 * down never fails a check: a message that cannot be posted is reported to `onSlackError` and
 * the run goes on. The DM is the one exception: a code nobody received cannot be used, so a
 * failed handoff throws (Phase 2 then stops the login at once).
 */
export class SlackRunReporter {
  constructor(
    private readonly chat: Chat,
    readonly place: SlackPlaceOfRun,
    private readonly onSlackError: (what: string, error: unknown) => void,
  ) {}

  async event(event: RunEvent): Promise<void> {
    const text = threadText(event);
    if (text === undefined) return;
    // The requester may have left the thread hours ago: the verdict notifies them.
    const to = event.kind === 'finished' && this.place.requester ? `<@${this.place.requester}> ` : '';
    await this.reply(`${to}${text}`);
  }

  /**
   * A run ended: no message of it keeps a live button. An undecided approval request or an
   * unanswered outage question says how the run ended instead; an approval whose Phase 3 never
   * ran (voided, cancelled after the click) says that too.
   */
  async closeButtons(run: RunRecord): Promise<void> {
    const how = ENDED_HOW[run.state] ?? `ended (${run.state})`;
    const reason = run.report?.reason ?? run.reason ?? '';
    const approvalTs = run.approval?.messageTs;
    const phase3Ran = run.phases.some((p) => p.phase === 3 && p.status !== 'not_run');
    if (approvalTs && (!run.decision || (run.decision.decision === 'approved' && !phase3Ran))) {
      const closed = run.decision
        ? approvalClosed(run.env, `was approved by <@${run.decision.by}> but ${how} before Phase 3`, reason)
        : approvalClosed(run.env, how, reason);
      await this.safely('approval update', () =>
        this.chat.update(this.place.channel, approvalTs, closed.text, closed.blocks),
      );
    }
    if (run.confirmationTs && !run.outageConfirmedBy) {
      await this.answerConfirmation(run, `the run ${how}. ${reason}`);
    }
  }

  /** The outage question is answered or moot: its buttons go, what happened stays. */
  async answerConfirmation(run: RunRecord, what: string): Promise<void> {
    const ts = run.confirmationTs;
    if (!ts) return;
    const { text, blocks } = outageConfirmationClosed(run.env, what);
    await this.safely('confirmation update', () => this.chat.update(this.place.channel, ts, text, blocks));
  }

  async reply(text: string): Promise<void> {
    await this.safely('thread reply', () =>
      this.chat.post(this.place.channel, text, undefined, this.place.rootTs),
    );
  }

  async refresh(run: RunRecord, live?: LivePhase): Promise<void> {
    const { text, blocks } = runMessage(run, live);
    await this.safely('root update', () =>
      this.chat.update(this.place.channel, this.place.rootTs, text, blocks),
    );
  }

  /**
   * The code goes to the requester's DM; the thread only learns that it was handed over. The
   * DM is posted without the code first and `remember`ed, and only then shows the code: every
   * code a person can see is in a DM some process can find again and void.
   */
  async handOff(
    env: string,
    requester: string,
    handoff: DeviceCodeHandoff,
    remember: (dm: DmRef) => Promise<void>,
  ): Promise<DmRef> {
    const channel = await this.chat.openDm(requester);
    const preparing = loginDmPreparing(env);
    const dm = { channel, ts: await this.chat.post(channel, preparing.text, preparing.blocks) };
    await remember(dm);
    const { text, blocks } = loginDm(env, handoff);
    await this.chat.update(dm.channel, dm.ts, text, blocks);
    await this.reply(
      `:closed_lock_with_key: Login handed to <@${requester}> in DM (the code expires ${slackDate(handoff.expiresAt.toISOString())}).`,
    );
    return dm;
  }

  /** Replaces the DM (and its code) with how the login ended, and says so in the thread. */
  async loginEnded(dm: DmRef | undefined, env: string, outcome: string): Promise<void> {
    if (dm) {
      const { text, blocks } = loginDmDone(env, outcome);
      await this.safely('DM update', () => this.chat.update(dm.channel, dm.ts, text, blocks));
    }
    await this.reply(`:closed_lock_with_key: Login ${outcome}.`);
  }

  /** A DM whose code died with a worker: the code goes, a note takes its place. */
  async voidDm(dm: DmRef, env: string, why: string): Promise<void> {
    const { text, blocks } = loginDmDone(env, why);
    await this.safely('DM update', () => this.chat.update(dm.channel, dm.ts, text, blocks));
  }

  private async safely(what: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.onSlackError(what, error);
    }
  }
}
