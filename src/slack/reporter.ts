import type { DeviceCodeHandoff } from '../auth/login.ts';
import type { RunRecord } from '../domain/run.ts';
import type { RunEvent } from '../runs/events.ts';
import type { Chat } from './chat.ts';
import { loginDm, loginDmDone } from './views/login-dm.ts';
import { runMessage } from './views/run-message.ts';
import { threadText } from './views/thread.ts';

/**
 * Where a run shows up in Slack: one root message (the checklist, updated in place), a thread
 * reply per event under it, and the login in the requester's DM. Slack being slow or down
 * never fails a check: a message that cannot be posted is logged and the run goes on.
 */
export class SlackRunReporter {
  #dm: { channel: string; ts: string } | undefined;

  constructor(
    private readonly chat: Chat,
    private readonly channel: string,
    private readonly rootTs: string,
    private readonly onSlackError: (what: string, error: unknown) => void,
  ) {}

  /** Posts the root message of a new run; returns its ts (the thread). */
  static async postRoot(chat: Chat, run: RunRecord, channel: string): Promise<string> {
    const { text, blocks } = runMessage(run);
    return chat.post(channel, text, blocks);
  }

  async event(event: RunEvent): Promise<void> {
    const text = threadText(event);
    if (text !== undefined) await this.reply(text);
  }

  async reply(text: string): Promise<void> {
    await this.safely('thread reply', () => this.chat.post(this.channel, text, undefined, this.rootTs));
  }

  async refresh(run: RunRecord): Promise<void> {
    const { text, blocks } = runMessage(run);
    await this.safely('root update', () => this.chat.update(this.channel, this.rootTs, text, blocks));
  }

  /** The code goes to the requester's DM; the thread only learns that it was handed over. */
  async handOff(env: string, requester: string, handoff: DeviceCodeHandoff): Promise<void> {
    const dmChannel = await this.chat.openDm(requester);
    const { text, blocks } = loginDm(env, handoff);
    const ts = await this.chat.post(dmChannel, text, blocks);
    this.#dm = { channel: dmChannel, ts };
    await this.reply(
      `:closed_lock_with_key: Login handed to <@${requester}> in DM (the code expires ${handoff.expiresAt.toISOString()}).`,
    );
  }

  /** Replaces the DM (and its code) with how the login ended. */
  async loginEnded(env: string, outcome: string): Promise<void> {
    const dm = this.#dm;
    if (!dm) return;
    this.#dm = undefined;
    const { text, blocks } = loginDmDone(env, outcome);
    await this.safely('DM update', () => this.chat.update(dm.channel, dm.ts, text, blocks));
    await this.reply(`:closed_lock_with_key: Login ${outcome}.`);
  }

  private async safely(what: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.onSlackError(what, error);
    }
  }
}
