import type { Dispatcher } from 'undici';
import type { Login } from '../auth/login.ts';
import type { LeaseSettings } from '../lifecycle/lifecycle-deps.ts';
import { startReaper } from '../lifecycle/reaper.ts';
import type { JobData } from '../lifecycle/run-queue.ts';
import type { RunWorker } from '../lifecycle/run-worker.ts';
import type { SlackServices } from '../slack/slack-deps.ts';
import { slackWatchAnnouncer } from '../slack/watch-announcer.ts';
import type { RedisConnection } from '../store/connection.ts';
import { type RunningWatch, startWatch } from '../watch/scheduler.ts';
import { probeTargets } from '../watch/targets.ts';
import type { BotTuning } from './bot-options.ts';

/** What the worker role needs from the process: its stores, the queue's connection, the timings. */
export interface WorkerParts {
  readonly services: SlackServices;
  readonly bull: RedisConnection;
  readonly tuning: BotTuning;
  readonly lease: LeaseSettings;
  readonly enqueue: (job: JobData) => Promise<void>;
  /** Adds a job only when none with its id exists: the reaper's re-queue of a claimed run. */
  readonly requeue: (job: JobData) => Promise<boolean>;
  readonly login?: Login;
  readonly dispatcher?: Dispatcher;
}

export interface RunningWorker {
  readonly worker: RunWorker;
  stop(): Promise<void>;
}

/**
 * The worker role: the run worker (phases over the target), the reaper (runs nobody runs any
 * more) and, when asked, the day-2 watch. Loaded only in a process that has this role: a web
 * process never loads the phases, drivers and MSAL behind the worker.
 */
export async function startWorkerRole(p: WorkerParts): Promise<RunningWorker> {
  const { RunWorker } = await import('../lifecycle/run-worker.ts');
  const worker = new RunWorker(
    p.services,
    {
      lease: p.lease,
      cancelPollMs: p.tuning.cancelPollMs,
      jobLockMs: p.tuning.lockDurationMs,
      ...(p.login ? { login: p.login } : {}),
      ...(p.dispatcher ? { dispatcher: p.dispatcher } : {}),
    },
    p.bull,
    p.tuning,
  );
  const stopReaper = startReaper(p.services, p.tuning.reapIntervalMs, {
    enqueue: p.enqueue,
    requeue: p.requeue,
    leaseMs: p.lease.workingMs,
  });
  const watch: RunningWatch | undefined = p.tuning.watch
    ? startWatch(
        {
          ...p.services,
          announcer: slackWatchAnnouncer(p.services),
          openTarget: probeTargets(p.dispatcher),
        },
        p.bull,
      )
    : undefined;
  return {
    worker,
    stop: async () => {
      stopReaper();
      await watch?.stop();
      await worker.close();
    },
  };
}
