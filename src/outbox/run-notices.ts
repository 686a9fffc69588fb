import type { DeviceCodeHandoff } from '../auth/login.ts';
import type { ApprovalRule } from '../domain/approvals.ts';
import type { CheckResult } from '../domain/check.ts';
import type { RunId } from '../domain/ids.ts';
import type { PhaseNumber, PhaseStatus, Stage } from '../domain/phase.ts';
import type { RunRecord } from '../domain/run.ts';
import type { WindowNote } from '../domain/window.ts';
import type { RunEvent } from '../engine/run-events.ts';
import type { DmRef } from '../store/login-dm.ts';
import type { OutboxAppend } from '../store/outbox.ts';

/** The phase in progress, for the checklist: the checks that finished so far. */
export interface LivePhase {
  readonly phase: PhaseNumber;
  readonly checks: readonly CheckResult[];
}

/** What a phase reply lists, in the order it happened. */
export type PhaseStep =
  | { readonly kind: 'check'; readonly result: CheckResult }
  | { readonly kind: 'flag'; readonly enabled: boolean; readonly why: string };

/** How the kill switch stands, for its root message. */
export type KillSwitchOutcome = 'working' | 'off' | 'not_confirmed';

/** How a note reads at a glance; each adapter picks its own sign for it. */
export type NoteTone =
  | 'stopped'
  | 'warning'
  | 'failed'
  | 'paused'
  | 'resumed'
  | 'flag_off'
  | 'alarm'
  | 'identity';

/** A line in a run's thread: plain words, and their tone. */
export interface ThreadNote {
  readonly text: string;
  readonly tone?: NoteTone;
}

/**
 * What the lifecycle tells the people following a run (docs/architecture.md#the-outbox). Data, not messages: the
 * chat adapter decides how each looks. `root` is the checklist (only the newest one matters).
 */
export type RunNotice =
  | { readonly kind: 'root'; readonly run: RunRecord; readonly live?: LivePhase }
  | { readonly kind: 'event'; readonly event: RunEvent }
  /**
   * A phase's one reply (only the newest per key matters): its checks and flag changes so far,
   * and its result once it ended. `key` names this attempt at the phase.
   */
  | {
      readonly kind: 'phase';
      readonly key: string;
      readonly stage: Stage;
      readonly title: string;
      readonly steps: readonly PhaseStep[];
      readonly result?: PhaseStatus;
    }
  | {
      readonly kind: 'note';
      readonly text: string;
      readonly tone?: NoteTone;
      /** Slack ids (people or user groups) the note calls by name. */
      readonly people?: readonly string[];
    }
  /** Nobody knows where the flag is: the people who asked for it and could approve it are called by name. */
  | { readonly kind: 'flag_unverified'; readonly env: string; readonly people: readonly string[] }
  /** A run picked up again by another worker (or the same one after a Redis outage). */
  | {
      readonly kind: 'run_resumed';
      readonly phase: PhaseNumber;
      /** Phase 3 had ended before: the flag is settled from that result. */
      readonly phase3Ended?: PhaseStatus;
      /** The sign-in starts over: the new code goes to this person's DM. */
      readonly newCodeTo?: string;
    }
  /** The requester confirmed the outage question: Phase 1 may switch the live flag OFF. */
  | { readonly kind: 'outage_go_ahead'; readonly by: string }
  | {
      readonly kind: 'approval_requested';
      readonly run: RunRecord;
      /** Users and user groups who may decide, as configured. */
      readonly approvers: readonly string[];
      readonly expiresAt: string;
      /** Outside the change window or in a freeze: when Phase 3 may start. */
      readonly window?: WindowNote;
      /** How many must approve, and from which groups (absent: one approver). */
      readonly rule?: ApprovalRule;
    }
  /** One more person approved, the count not reached yet: the request shows who and how many more. */
  | {
      readonly kind: 'approval_given';
      readonly run: RunRecord;
      readonly approvers: readonly string[];
      readonly expiresAt: string;
      readonly rule: ApprovalRule;
      /** Outside the change window or in a freeze: when Phase 3 may start. */
      readonly window?: WindowNote;
    }
  /** Phase 3 waits for the change window (`window`), or it opened (no `window`): Phase 3 starts. */
  | { readonly kind: 'change_window'; readonly env: string; readonly window?: WindowNote }
  | {
      readonly kind: 'approval_decided';
      readonly env: string;
      readonly decision: 'approved' | 'rejected';
      readonly by: string;
      /** Everyone who approved, in order, when more than one had to. */
      readonly approvedBy?: readonly string[];
      readonly purpose?: 'login';
      /** Why, as the person typed it (Reject's modal): untrusted text, shown as text. */
      readonly reason?: string;
      /** Approved while the change window is closed: Phase 3 waits for it. */
      readonly window?: WindowNote;
    }
  | { readonly kind: 'outage_confirmation'; readonly run: RunRecord }
  /** The requester answered the outage question: its buttons go, who answered stays. */
  | { readonly kind: 'outage_confirmed'; readonly env: string; readonly by: string }
  /**
   * The run ended: no message of it keeps a live button. An undecided approval request or an
   * unanswered outage question says how the run ended instead (docs/architecture.md#the-outbox).
   */
  | { readonly kind: 'run_closed'; readonly run: RunRecord }
  /** The sign-in code went to the requester's DM; the thread learns only that, and until when. */
  | { readonly kind: 'login_handed_off'; readonly requester: string; readonly expiresAt: string }
  | { readonly kind: 'login_ended'; readonly env: string; readonly dm?: DmRef; readonly outcome: string }
  | { readonly kind: 'login_void'; readonly env: string; readonly dm: DmRef; readonly why: string }
  | {
      readonly kind: 'kill_switch';
      readonly env: string;
      readonly by: string;
      readonly outcome: KillSwitchOutcome;
      /** Names the switch for its "Add a reason" button. */
      readonly offId?: string;
    }
  /** A direct message to one person (the requester of a run that could not be shown in its channel). */
  | { readonly kind: 'requester_dm'; readonly user: string; readonly text: string }
  /** A terminal changed a `requireApproval` environment with `--break-glass`: the approvers review it. */
  | {
      readonly kind: 'break_glass';
      readonly env: string;
      readonly id: string;
      /** The OS user at the terminal (not a Slack user). */
      readonly by: string;
      readonly reason: string;
      readonly action: 'run' | 'login';
      readonly approvers: readonly string[];
      readonly reviewedBy?: string;
    };

/**
 * One conversation the notifier keeps: a run's (root message + thread) or a kill switch's.
 * `runId` is set for a run, whose record learns where its messages are.
 */
export interface ThreadRef {
  readonly key: string;
  readonly channel: string;
  readonly runId?: RunId;
  /**
   * The root message, when the lifecycle knows it: the notifier keeps its own copy in Redis, and
   * this one lets a thread go on after Redis lost its data mid-run.
   */
  readonly rootTs?: string;
}

/** A kill switch's conversation: its root message and the checks in its thread. */
export function killSwitchThread(offId: string, channel: string): ThreadRef {
  return { key: killSwitchKey(offId), channel };
}

/** The outbox key of a kill switch's conversation. */
export function killSwitchKey(offId: string): string {
  return `off-${offId}`;
}

/** A break-glass's conversation: one message in the environment's channel, updated when reviewed. */
export function breakGlassThread(id: string, channel: string): ThreadRef {
  return { key: `break-glass-${id}`, channel };
}

/** The thread of a run that has a channel; undefined for a run started off Slack. */
export function threadOf(run: Pick<RunRecord, 'id' | 'slack'>): ThreadRef | undefined {
  const channel = run.slack?.channel;
  if (!channel) return undefined;
  const rootTs = run.slack?.rootTs;
  return { key: run.id, channel, runId: run.id, ...(rootTs ? { rootTs } : {}) };
}

/** One outbox entry (docs/architecture.md#the-outbox): the conversation and the notice, stored as JSON. */
export interface OutboxNotice {
  readonly thread: ThreadRef;
  readonly notice: RunNotice;
}

/** The entry as a store appends it: to the conversation's stream (its key), as JSON. */
export function encodeOutboxNotice(entry: OutboxNotice): OutboxAppend {
  return { key: entry.thread.key, body: JSON.stringify(entry) };
}

/**
 * Events out of the lifecycle (docs/architecture.md#the-pieces, #the-outbox). `notify` records the notice and returns: it
 * never throws for the chat being slow or down and never waits for a message to be posted.
 * The sign-in handoff is the one exception: a code nobody received cannot be used, so it
 * throws when the DM cannot be sent.
 */
export interface RunNotifier {
  /**
   * Set when a notice is an outbox entry (`encodeOutboxNotice`) in the run store's Redis: the
   * lifecycle then has the store append the notices that report a state change in the same
   * step as the change, so a process that dies right after it loses none. Unset: they are
   * told through `notify` once the change is made.
   */
  readonly outbox?: true;
  notify(thread: ThreadRef, notice: RunNotice): Promise<void>;
  handOffLogin(
    thread: ThreadRef,
    login: { readonly env: string; readonly requester: string; readonly handoff: DeviceCodeHandoff },
    remember: (dm: DmRef) => Promise<void>,
  ): Promise<DmRef>;
}

/** For runs that report to nobody (the terminal, tests that need no chat). */
export const silentNotifier: RunNotifier = {
  notify: async () => undefined,
  handOffLogin: async () => {
    throw new Error('this run has no chat to hand the login to');
  },
};
