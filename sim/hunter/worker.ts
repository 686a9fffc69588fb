import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { celeryPrefix, SHUTDOWN_LINES, startupBanner, structlogLine } from './celery-output.ts';
import type { LogStore } from './log-store.ts';
import { type PyValue, pyRepr } from './python.ts';
import type { HunterSettings } from './settings.ts';
import { SYNC_TASK_NAME, type TaskContext, type TaskOutcome } from './sync-task.ts';
import { type PyError, pyErrorRepr, workerTraceback } from './tracebacks.ts';

/** The result backend's view of one task id. Unknown ids are PENDING, as in Celery. */
export type TaskState =
  | { readonly state: 'PENDING' }
  | { readonly state: 'SUCCESS'; readonly value: PyValue }
  | { readonly state: 'FAILURE'; readonly error: PyError };

/** Runs the task body with the worker's settings; the worker adds Celery's framing around it. */
export type TaskRunner = (
  settings: HunterSettings,
  ctx: Pick<TaskContext, 'taskId' | 'signal' | 'log'>,
) => Promise<TaskOutcome>;

const POOL = 'ForkPoolWorker-1';

/**
 * A Celery worker with concurrency 1 and its broker and result backend: messages wait in the
 * queue while the worker is stopped, results outlive restarts, `waitFor` is `AsyncResult.get()`.
 */
export class CeleryWorker {
  readonly #logs: LogStore;
  readonly #run: TaskRunner;
  readonly #queue: { id: string; name: string }[] = [];
  readonly #results = new Map<string, TaskState>();
  readonly #settled = new EventEmitter().setMaxListeners(0);
  readonly #closing = new AbortController();
  #settings: HunterSettings | undefined;
  #busy: Promise<void> | undefined;

  constructor(logs: LogStore, run: TaskRunner) {
    this.#logs = logs;
    this.#run = run;
  }

  get running(): boolean {
    return this.#settings !== undefined;
  }

  start(settings: HunterSettings, hostname: string): void {
    this.#logs.append('worker', startupBanner(new Date(), hostname).join('\n'));
    this.#settings = settings;
    this.#pump();
  }

  /** Warm shutdown: the task in flight finishes first. */
  async stop(): Promise<void> {
    if (!this.#settings) return;
    this.#settings = undefined;
    await this.#busy;
    this.#logs.append('worker', SHUTDOWN_LINES.join('\n'));
  }

  /** The sim is going away: abandon the task in flight. */
  close(): void {
    this.#settings = undefined;
    this.#closing.abort();
  }

  /** `apply_async`: the message goes to the broker whether or not a worker is up. */
  send(name: string): string {
    const id = randomUUID();
    this.#queue.push({ id, name });
    this.#pump();
    return id;
  }

  state(id: string): TaskState {
    return this.#results.get(id) ?? { state: 'PENDING' };
  }

  /** Resolves when the task is done; rejects when `signal` aborts first (the caller went away). */
  waitFor(id: string, signal: AbortSignal): Promise<TaskState> {
    const now = this.state(id);
    if (now.state !== 'PENDING') return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const onSettled = (state: TaskState) => {
        signal.removeEventListener('abort', onAbort);
        resolve(state);
      };
      const onAbort = () => {
        this.#settled.off(id, onSettled);
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      this.#settled.once(id, onSettled);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #pump(): void {
    if (this.#busy || !this.#settings || this.#queue.length === 0) return;
    const message = this.#queue.shift()!;
    this.#busy = this.#handle(message, this.#settings).finally(() => {
      this.#busy = undefined;
      this.#pump();
    });
  }

  async #handle(message: { id: string; name: string }, settings: HunterSettings): Promise<void> {
    const label = `${message.name}[${message.id}]`;
    if (message.name !== SYNC_TASK_NAME) {
      this.#line(
        `${celeryPrefix(new Date(), 'ERROR', 'MainProcess')}Received unregistered task of type '${message.name}'.`,
      );
      this.#line('The message has been ignored and discarded.');
      return;
    }
    this.#line(`${celeryPrefix(new Date(), 'INFO', 'MainProcess')}Task ${label} received`);
    const started = performance.now();
    const outcome = await this.#run(settings, {
      taskId: message.id,
      signal: this.#closing.signal,
      log: (level, event, fields) => this.#line(structlogLine(new Date(), level, event, fields)),
    });
    const seconds = (performance.now() - started) / 1000;
    if (outcome.ok) {
      this.#line(
        `${celeryPrefix(new Date(), 'INFO', POOL)}Task ${label} succeeded in ${seconds}s: ${pyRepr(outcome.value)}`,
      );
      this.#settle(message.id, { state: 'SUCCESS', value: outcome.value });
      return;
    }
    const head = `${celeryPrefix(new Date(), 'ERROR', POOL)}Task ${label} raised unexpected: ${pyErrorRepr(outcome.error)}`;
    this.#line([head, ...workerTraceback(outcome.error)].join('\n'));
    this.#settle(message.id, { state: 'FAILURE', error: outcome.error });
  }

  #settle(id: string, state: TaskState): void {
    this.#results.set(id, state);
    this.#settled.emit(id, state);
  }

  #line(text: string): void {
    this.#logs.append('worker', text);
  }
}
