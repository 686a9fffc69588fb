import type { RunRecord } from '../domain/run.ts';
import type { RunEvent } from '../engine/run-events.ts';
import {
  type LivePhase,
  type NoteTone,
  type RunNotice,
  type RunNotifier,
  type ThreadRef,
  threadOf,
} from './run-notices.ts';

/**
 * A run's side of its conversation: what the lifecycle says about one run, handed to the
 * notifier. A run with no channel (started off the chat) says nothing.
 */
export class RunVoice {
  constructor(
    private readonly notifier: RunNotifier,
    public thread: ThreadRef | undefined,
  ) {}

  /** The run's record moved on (it may have learnt where its root message is). */
  follow(run: Pick<RunRecord, 'id' | 'slack'>): void {
    this.thread = threadOf(run) ?? this.thread;
  }

  async say(notice: RunNotice): Promise<void> {
    if (this.thread) await this.notifier.notify(this.thread, notice);
  }

  event(event: RunEvent): Promise<void> {
    return this.say({ kind: 'event', event });
  }

  reply(text: string, tone?: NoteTone): Promise<void> {
    return this.say(tone ? { kind: 'note', text, tone } : { kind: 'note', text });
  }

  refresh(run: RunRecord, live?: LivePhase): Promise<void> {
    return this.say(live ? { kind: 'root', run, live } : { kind: 'root', run });
  }
}

export function voiceOf(
  s: { readonly notifier: RunNotifier },
  run: Pick<RunRecord, 'id' | 'slack'>,
): RunVoice {
  return new RunVoice(s.notifier, threadOf(run));
}
