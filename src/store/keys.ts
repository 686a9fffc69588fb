import type { EnvName, RunId } from '../domain/ids.ts';

/**
 * Every key shares one hash tag (`{pcv}`), so all of them live in one Redis Cluster slot and
 * multi-key scripts (claim a lock and write the run) stay atomic there too.
 */
export function keysFor(deployment: string) {
  const p = `{${deployment}}`;
  return {
    prefix: p,
    run: (id: RunId) => `${p}:run:${id}`,
    lock: (env: EnvName) => `${p}:lock:${env}`,
    /** Held by the one job execution working on a run now (a token per execution, not per run). */
    working: (id: RunId) => `${p}:working:${id}`,
    latest: (env: EnvName) => `${p}:latest:${env}`,
    history: (env: EnvName) => `${p}:history:${env}`,
    audit: (env: EnvName) => `${p}:audit:${env}`,
    auditHead: (env: EnvName) => `${p}:audit-head:${env}`,
    /** Where a trim by age cut the audit chain: the hash of the newest entry it removed. */
    auditCheckpoint: (env: EnvName) => `${p}:audit-checkpoint:${env}`,
    /** Refusals of people not on an environment's lists: apart from its audit trail, one entry per person a minute. */
    auditRefusals: (env: EnvName) => `${p}:audit-refusals:${env}`,
    /** This minute's refusal entry of one person, and its count. */
    auditRefusalWindow: (env: EnvName, actor: string) => `${p}:audit-refusal-window:${env}:${actor}`,
    envs: `${p}:envs`,
    /** The newest run of an environment (terminal or not): where a stale run is found. */
    current: (env: EnvName) => `${p}:current:${env}`,
    /** The DM that carries a run's sign-in code (channel and ts, never the code). */
    loginDm: (id: RunId) => `${p}:login-dm:${id}`,
    /** The flag as pc-verify last set it (a run or the kill switch). */
    flag: (env: EnvName) => `${p}:flag:${env}`,
    /** Set once when a run's result is recorded: a run ends in the history exactly once. */
    recorded: (id: RunId) => `${p}:recorded:${id}`,
    /** Set when a start that was refused to its requester is taken back: its claim may no longer land. */
    withdrawn: (id: RunId) => `${p}:withdrawn:${id}`,
    /** Audit entries written with a state change (a run's end), waiting to join the hash chain. */
    auditPending: (env: EnvName) => `${p}:audit-pending:${env}`,
    /** What the day-2 watch last found for an environment. */
    watch: (env: EnvName) => `${p}:watch:${env}`,
    /** Held by the one process probing an environment right now. */
    watchLease: (env: EnvName) => `${p}:watch-lease:${env}`,
    /** Signatures of signed Slack requests seen inside the replay window. */
    seenRequest: (signature: string) => `${p}:seen-request:${signature}`,
    /** A conversation's outbox: its notices in order, a Redis stream. */
    outbox: (thread: string) => `${p}:outbox:${thread}`,
    /** How far a conversation's outbox was delivered, and where its root message is. */
    outboxState: (thread: string) => `${p}:outbox-state:${thread}`,
    /** Which notifier drains a conversation now (a lease). */
    outboxLease: (thread: string) => `${p}:outbox-lease:${thread}`,
    /** Conversations whose outbox may hold notices not yet delivered. */
    outboxThreads: `${p}:outbox-threads`,
  } as const;
}

export type Keys = ReturnType<typeof keysFor>;
