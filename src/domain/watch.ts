/**
 * The day-2 watch (docs/architecture.md#the-day-2-watch): what a probe found, and the state a change of which is posted.
 * `healthy` and `failing` are the states people hear about; `idle` means nothing is watched
 * (the flag is not ON by pc-verify, a run holds the environment, or `watch: false`).
 */

/** Why a probe failed; each kind has its own next step. */
export type WatchCauseKind =
  /** The delegated token is refused (revoked, expired) or missing: sign in again. */
  | 'token'
  /** Hunter could not reach Partner Center. */
  | 'unreachable'
  /** The sync raised something else: the traceback's last line says what. */
  | 'exception'
  /** /healthz shows another flag than pc-verify last verified (someone edited the env file). */
  | 'drift'
  /** Hunter's api does not answer /healthz. */
  | 'api_down'
  /** The probe itself could not read what it needs (the logs command failed). */
  | 'probe_failed';

export interface WatchCause {
  readonly kind: WatchCauseKind;
  /** One redacted line: what was seen. */
  readonly detail: string;
}

export type ProbeFinding =
  | {
      readonly ok: true;
      /** What was checked, in a few words. */
      readonly detail: string;
      /**
       * `clean_sync`: a sync that started inside the window finished without an exception — the
       * only thing that may end a failure. `none`: nothing failed, but no sync ran either.
       */
      readonly evidence: 'clean_sync' | 'none';
      /** The periodic sync was seen (in the logs, or asked for) at this time. */
      readonly syncAt?: string;
    }
  | { readonly ok: false; readonly cause: WatchCause; readonly syncAt?: string };

export type WatchStatus = 'healthy' | 'failing' | 'idle';

/** What the watch knows about one environment, as kept in Redis. */
export interface WatchState {
  readonly status: WatchStatus;
  readonly cause?: WatchCause;
  /** Why nothing is watched (status idle). */
  readonly idleWhy?: string;
  /** When the status (and cause) last changed. */
  readonly since: string;
  readonly lastProbeAt: string;
  readonly lastSyncAt?: string;
  /** Probes recorded so far. */
  readonly probes: number;
  /** The state key (`healthy`, `failing:<kind>`) last posted in the channel. */
  readonly announced?: string;
}

/** The key a post is about: a change of it is posted once, nothing while it holds. */
export function stateKey(state: Pick<WatchState, 'status' | 'cause'>): string {
  return state.status === 'failing' ? `failing:${state.cause?.kind ?? 'unknown'}` : state.status;
}
