import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A gauge's current values, read at scrape time (queue depth, waiting runs). */
export type GaugeSource = () => Promise<readonly { labels: Record<string, string>; value: number }[]>;

/**
 * The bot's Prometheus metrics (`GET /metrics`), in a registry of its own so two bots in one
 * process (tests) do not share counters. Labels are environment names, states, phases and
 * check ids: all bounded by the config.
 */
export class BotMetrics {
  readonly registry = new Registry();
  readonly runs = this.#counter('pcv_runs_total', 'Finished runs by environment, verdict and final state', [
    'env',
    'verdict',
    'state',
  ]);
  readonly phaseSeconds = this.#histogram(
    'pcv_phase_duration_seconds',
    'How long each runbook phase took (Phase 2 includes the person signing in)',
    ['env', 'phase', 'status'],
    [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
  );
  readonly checkSeconds = this.#histogram(
    'pcv_check_duration_seconds',
    'How long each check took',
    ['env', 'check', 'status'],
    [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 120],
  );
  /** The ack itself goes out first, before any I/O; this is how long the person waits for the answer. */
  readonly answerSeconds = this.#histogram(
    'pcv_command_answer_seconds',
    'Time from a slash command arriving to its answer on the response_url (acked at once)',
    ['command'],
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
  );
  readonly commands = this.#counter(
    'pcv_commands_total',
    'Slash commands by subcommand and outcome (accepted, refused, answered)',
    ['command', 'outcome'],
  );
  /** Every attempt of a kill switch that did not end with the flag verified OFF (it is tried again). */
  readonly killSwitchFailures = this.#counter(
    'pcv_kill_switch_failures_total',
    'Kill-switch attempts that did not verify the flag OFF (each is retried until it does)',
    ['env'],
  );

  /** Wires the gauges read at scrape time; call once, when the queue and the store exist. */
  observe(sources: {
    queueDepth: GaugeSource;
    waitingRuns: GaugeSource;
    flagUnverified?: GaugeSource;
    watchOk?: GaugeSource;
    watchLastProbe?: GaugeSource;
  }): void {
    this.#gauge('pcv_queue_jobs', 'Jobs in the run queue by state', ['state'], sources.queueDepth);
    this.#gauge(
      'pcv_waiting_runs',
      'Runs waiting for a person (sign-in or approval) or a change window, by environment and state',
      ['env', 'state'],
      sources.waitingRuns,
    );
    if (sources.flagUnverified) {
      this.#gauge(
        'pcv_flag_unverified',
        'The flag could not be verified after an interruption (1): only the kill switch may act',
        ['env'],
        sources.flagUnverified,
      );
    }
  }

  /** The day-2 watch's gauges (docs/architecture.md#the-day-2-watch); call once beside `observe`. */
  observeWatch(sources: { ok: GaugeSource; lastProbe: GaugeSource }): void {
    this.#gauge(
      'pcv_watch_ok',
      'The last watch probe found the environment healthy (1) or failing (0); absent when not watched',
      ['env'],
      sources.ok,
    );
    this.#gauge(
      'pcv_watch_last_probe_timestamp_seconds',
      'When the watch last probed the environment (Unix time)',
      ['env'],
      sources.lastProbe,
    );
  }

  #counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  #histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** A gauge whose values `source` reads at scrape time. */
  #gauge(name: string, help: string, labelNames: readonly string[], source: GaugeSource): Gauge {
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const { labels, value } of await source()) this.set(labels, value);
      },
    });
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
