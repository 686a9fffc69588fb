import { randomBytes } from 'node:crypto';
import type { Config, EnvironmentConfig } from '../config/config.ts';
import type { EnvName } from '../domain/ids.ts';
import { type ProbeFinding, stateKey, type WatchState } from '../domain/watch.ts';
import type { Target } from '../hunter/port.ts';
import type { Logger } from '../observability/logger.ts';
import type { FlagRecord } from '../store/flag-record.ts';
import type { ResultSummary } from '../store/results.ts';
import type { WatchProbeRecord, WatchStore } from '../store/watch.ts';
import type { WatchAnnouncer } from './announcer.ts';
import { probeEnvironment } from './probe.ts';

/** The real adapters of one environment for a probe (and the redactor of its secrets). */
export type ProbeTargetFactory = (
  env: EnvironmentConfig,
  signal: AbortSignal,
) => Promise<{ target: Target; redact: (text: string) => string }>;

export interface WatchDeps {
  readonly config: Config;
  readonly watch: WatchStore;
  readonly flags: { get(env: EnvName): Promise<FlagRecord | undefined> };
  readonly runs: { lockHolder(env: EnvName): Promise<string | undefined | null> };
  /** The latest result: a sign-in renewed since the last probe changes what the probe reads. */
  readonly results: { latest(env: EnvName): Promise<ResultSummary | undefined> };
  readonly announcer: WatchAnnouncer;
  readonly log: Logger;
  readonly now: () => Date;
  readonly openTarget: ProbeTargetFactory;
}

export type ProbeOutcome =
  | 'probed'
  /** Another process holds the environment's probe lease. */
  | 'busy'
  /** This interval's probe already happened (in another process). */
  | 'done_already'
  /** A run or the kill switch holds the environment: it is checking the flag itself. */
  | 'run_going'
  /** Nothing to watch (watch: false, or the flag is not ON by pc-verify). */
  | 'idle';

/**
 * One scheduled probe of one environment: at most one per environment at a time across every
 * process (a Redis lease), at most one per interval, only while the flag is ON by pc-verify
 * and no run holds the environment. A change of state is announced once.
 */
export async function probeOnce(deps: WatchDeps, envName: EnvName): Promise<ProbeOutcome> {
  const env = deps.config.environments.get(envName);
  if (!env || env.watch === false) return 'idle';
  const interval = env.watch.interval;
  const holder = `${process.pid}-${randomBytes(4).toString('hex')}`;
  // The lease outlives the probe's own deadline, so two probes never overlap.
  if (!(await deps.watch.lease(env.name, holder, interval + PROBE_SLACK_MS))) return 'busy';
  try {
    return await probeHeld(deps, env, interval, holder);
  } finally {
    await deps.watch.release(env.name, holder).catch(() => undefined);
  }
}

/** The lease outlasts the probe's own deadline by this much, so its last command ends before another probe starts. */
const PROBE_SLACK_MS = 5_000;

async function probeHeld(
  deps: WatchDeps,
  env: EnvironmentConfig,
  interval: number,
  holder: string,
): Promise<ProbeOutcome> {
  const now = deps.now();
  const prev = await deps.watch.get(env.name);
  if (prev && prev.status !== 'idle' && now.getTime() - Date.parse(prev.lastProbeAt) < interval / 2)
    return 'done_already';
  if (await deps.runs.lockHolder(env.name)) return 'run_going';
  const flag = await deps.flags.get(env.name).catch(() => undefined);
  const idleWhy = whyNotWatched(flag);
  if (idleWhy) {
    if (prev?.status !== 'idle' || prev.idleWhy !== idleWhy)
      await deps.watch.record(env.name, holder, { status: 'idle', idleWhy, lastProbeAt: now.toISOString() });
    return 'idle';
  }
  const watched = flag as FlagRecord;
  const finding = await runProbe(deps, env, interval, watched, prev, now);
  // A run or the kill switch that took the environment meanwhile may have switched the flag on
  // purpose: what this probe saw is not drift, and that run tells its own story.
  if (await tookOver(deps, env.name, watched)) return 'run_going';
  const record = toRecord(finding, now, prev);
  const saved = await deps.watch.record(env.name, holder, record);
  if (!saved) return 'probed';
  deps.log.info({ env: env.name, status: record.status, cause: record.cause?.kind }, 'watch probe');
  await announceChange(deps, env.name, record, saved.announced);
  return 'probed';
}

async function tookOver(deps: WatchDeps, env: EnvName, before: FlagRecord): Promise<boolean> {
  if (await deps.runs.lockHolder(env)) return true;
  const now = await deps.flags.get(env).catch(() => undefined);
  return now?.intentAt !== before.intentAt || now.desired !== before.desired;
}

/** The watch looks after what pc-verify turned ON and verified; anything else it leaves alone. */
function whyNotWatched(flag: FlagRecord | undefined): string | undefined {
  if (!flag) return 'pc-verify has not switched the flag here yet';
  if (flag.unverified) return 'the flag is unverified: /pc-verify off first';
  if (flag.desired !== 'on') return 'the flag is OFF (as pc-verify last set it)';
  if (flag.observed !== 'on') return 'the flag has not been verified ON yet';
  return undefined;
}

async function runProbe(
  deps: WatchDeps,
  env: EnvironmentConfig,
  interval: number,
  flag: FlagRecord,
  prev: WatchState | undefined,
  now: Date,
): Promise<ProbeFinding> {
  const signal = AbortSignal.timeout(interval);
  try {
    const { target, redact } = await deps.openTarget(env, signal);
    const watching = prev && prev.status !== 'idle';
    const renewedAt = watching ? await renewedSince(deps, env.name, prev.lastProbeAt) : undefined;
    const since = renewedAt ?? (watching ? new Date(prev.lastProbeAt) : new Date(now.getTime() - interval));
    return await probeEnvironment({
      target,
      signal,
      redact,
      desired: flag.desired,
      since,
      renewed: renewedAt !== undefined,
      failing: prev?.status === 'failing',
      ...(prev?.lastSyncAt ? { lastSyncAt: new Date(prev.lastSyncAt) } : {}),
      watchingSince: new Date(flag.verifiedAt ?? flag.intentAt),
      intervalMs: interval,
    });
  } catch (error) {
    deps.log.warn({ env: env.name, err: error }, 'watch probe failed inside pc-verify');
    return {
      ok: false,
      cause: { kind: 'probe_failed', detail: 'the probe failed inside pc-verify (see the bot log)' },
    };
  }
}

/** When a sign-in renewal passed after `after`: syncs before it used the old token and are history. */
async function renewedSince(deps: WatchDeps, env: EnvName, after: string): Promise<Date | undefined> {
  const latest = await deps.results.latest(env).catch(() => undefined);
  const report = latest?.report;
  if (report?.purpose !== 'login' || report.verdict !== 'PASS') return undefined;
  return Date.parse(report.finishedAt) > Date.parse(after) ? new Date(report.finishedAt) : undefined;
}

/**
 * Failing → healthy only on evidence: a window with nothing wrong but no whole sync keeps the
 * failure (and its cause) as it was. Healthy → failing takes one failed look.
 */
function toRecord(finding: ProbeFinding, now: Date, prev: WatchState | undefined): WatchProbeRecord {
  const lastSyncAt = finding.syncAt ?? prev?.lastSyncAt;
  if (finding.ok && finding.evidence === 'none' && prev?.status === 'failing') {
    return {
      status: 'failing',
      ...(prev.cause ? { cause: prev.cause } : {}),
      lastProbeAt: now.toISOString(),
      ...(lastSyncAt ? { lastSyncAt } : {}),
    };
  }
  return {
    status: finding.ok ? 'healthy' : 'failing',
    ...(finding.ok ? {} : { cause: finding.cause }),
    lastProbeAt: now.toISOString(),
    ...(lastSyncAt ? { lastSyncAt } : {}),
  };
}

/**
 * Posted once per change: healthy → failing (or another cause), failing → healthy. The first
 * healthy probe after a run says nothing (the run just said it); marking happens after the post,
 * so a post lost to a crash or a Slack outage is made by the next probe.
 */
async function announceChange(
  deps: WatchDeps,
  env: EnvName,
  record: WatchProbeRecord,
  announced: string | undefined,
): Promise<void> {
  const key = stateKey(record);
  if (key === announced) return;
  if (record.status === 'healthy' && announced === undefined) {
    await deps.watch.markAnnounced(env, key);
    return;
  }
  if (record.status === 'idle') return;
  try {
    const posted = await deps.announcer.announce({
      env,
      to: record.status,
      ...(record.cause ? { cause: record.cause } : {}),
      ...(announced ? { from: announced } : {}),
      at: record.lastProbeAt,
    });
    if (!posted)
      deps.log.warn({ env, state: key }, 'watch: nowhere to post the change (no run in Slack yet)');
    await deps.watch.markAnnounced(env, key);
  } catch (error) {
    deps.log.warn(
      { env, state: key, err: error },
      'watch: posting the change failed; the next probe tries again',
    );
  }
}
