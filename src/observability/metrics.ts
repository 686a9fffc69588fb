import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The bot's Prometheus metrics (GET /metrics). */
export function createMetrics() {
  const registry = new Registry();
  const runsFinished = new Counter({
    name: 'pcv_runs_finished_total',
    help: 'Runs that reached a terminal state, by environment and verdict',
    labelNames: ['env', 'verdict', 'state'] as const,
    registers: [registry],
  });
  const checkSeconds = new Histogram({
    name: 'pcv_check_duration_seconds',
    help: 'Duration of each check',
    labelNames: ['check', 'status'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const phaseSeconds = new Histogram({
    name: 'pcv_phase_duration_seconds',
    help: 'Duration of each phase',
    labelNames: ['phase', 'status'] as const,
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
    registers: [registry],
  });
  const ackSeconds = new Histogram({
    name: 'pcv_slash_command_ack_seconds',
    help: 'Time from receiving a slash command to acknowledging it',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'pcv_queue_jobs',
    help: 'Jobs in the run queue by state',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const waitingRuns = new Gauge({
    name: 'pcv_runs_waiting_for_person',
    help: 'Runs waiting for a login or an approval',
    registers: [registry],
  });
  return { registry, runsFinished, checkSeconds, phaseSeconds, ackSeconds, queueDepth, waitingRuns };
}

export type Metrics = ReturnType<typeof createMetrics>;
