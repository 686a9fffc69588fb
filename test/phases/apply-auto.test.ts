import { describe, expect, it } from 'vitest';
import { applyModeFor } from '../../src/hunter/compose/containers.ts';
import type { Containers, Observed, ServiceState } from '../../src/hunter/port.ts';
import { runPhase1 } from '../../src/phases/phase1.ts';
import { setFlagAndApply } from '../../src/phases/shared/flag.ts';
import { fakeEnv, fakeRun, json } from '../helpers/fake-target.ts';

const state = (service: 'api' | 'worker', over: Partial<ServiceState> = {}): ServiceState => ({
  service,
  name: `hunter-${service}-1`,
  status: 'running',
  exitCode: 0,
  restartCount: 0,
  startedAt: '2026-12-07T01:00:00Z',
  flagAtCreate: undefined,
  fileVarsAtCreate: [],
  ...over,
});

/** Containers whose answers follow a script: each call to `states` takes the next (the last repeats). */
function scripted(
  sequence: readonly (readonly ServiceState[])[],
  mode: 'auto' | 'restart' | 'recreate' = 'auto',
): Containers & { calls: number } {
  const self = {
    calls: 0,
    async states(): Promise<Observed<readonly ServiceState[]>> {
      const value = sequence[Math.min(self.calls++, sequence.length - 1)]!;
      return { ok: true, value };
    },
    async applyMode() {
      if (mode !== 'auto') return { ok: true as const, value: { mode, why: `driver.apply: ${mode}` } };
      const seen = await self.states();
      return { ok: true as const, value: applyModeFor(seen.ok ? seen.value : []) };
    },
    async lastLines(service: string) {
      return `Traceback (most recent call last):\n  File "/app/main.py", line 3\nSyntaxError: invalid syntax (${service})`;
    },
  };
  return self;
}

const ENV = 'HUNTER_PARTNER_CENTER_ENABLED=false\n';
const healthz = (on: boolean) => json(200, { partner_center_enabled: on });

describe('apply: auto', () => {
  it('recreates when the flag is in a container’s create-time environment (env_file:), naming which', () => {
    const decided = applyModeFor([state('api'), state('worker', { flagAtCreate: 'false' })]);
    expect(decided.mode).toBe('recreate');
    expect(decided.why).toContain('hunter-worker-1');
  });

  it('restarts when neither container has it (the app reads a mounted .env)', () => {
    expect(applyModeFor([state('api'), state('worker')]).mode).toBe('restart');
  });

  it('recreates when the file has no flag line yet but env_file: delivers its other variables', () => {
    const decided = applyModeFor([
      state('api', { fileVarsAtCreate: ['HUNTER_DATABASE_URL'] }),
      state('worker', { fileVarsAtCreate: ['HUNTER_DATABASE_URL'] }),
    ]);
    expect(decided.mode).toBe('recreate');
    expect(decided.why).toContain('hunter-api-1 (HUNTER_DATABASE_URL)');
  });

  it('writes nothing when the containers cannot be looked at before the write', async () => {
    const containers: Containers = {
      states: async () => ({ ok: false, message: 'no container of service api', hint: 'is the project up?' }),
      applyMode: async () => ({
        ok: false,
        message: 'no container of service api',
        hint: 'is the project up?',
      }),
      lastLines: async () => '',
    };
    const run = fakeRun({ envText: ENV, containers });
    const outcome = await setFlagAndApply(run.ctx, true);
    expect(outcome).toMatchObject({ status: 'fail', hint: 'is the project up?' });
    expect(run.envWrites).toEqual([]);
    expect(run.actions).toEqual([]);
  });
});

describe('after an apply, containers and /healthz must agree with the file', () => {
  it('fails naming the container that kept the old value through a restart, and says to recreate', async () => {
    const stale = [state('api', { flagAtCreate: 'false' }), state('worker', { flagAtCreate: 'false' })];
    const run = fakeRun({
      envText: ENV,
      containers: scripted([stale], 'restart'),
      http: () => healthz(false),
    });
    const outcome = await setFlagAndApply(run.ctx, true);
    expect(outcome.status).toBe('fail');
    if (outcome.status !== 'fail') return;
    expect(outcome.observed).toContain('hunter-api-1 was created with HUNTER_PARTNER_CENTER_ENABLED=false');
    expect(outcome.observed).toContain('restart keeps it');
    expect(outcome.hint).toMatch(/driver\.apply: recreate or auto/);
  });

  it('passes under auto on the same deployment: it recreated, and says why', async () => {
    const before = [state('api', { flagAtCreate: 'false' }), state('worker', { flagAtCreate: 'false' })];
    const after = [state('api', { flagAtCreate: 'true' }), state('worker', { flagAtCreate: 'true' })];
    const run = fakeRun({ envText: ENV, containers: scripted([before, after]), http: () => healthz(true) });
    const outcome = await setFlagAndApply(run.ctx, true);
    expect(outcome.status).toBe('pass');
    if (outcome.status !== 'pass') return;
    expect(outcome.observed).toContain('api and worker recreated');
    expect(outcome.observed).toContain('create-time environment of hunter-api-1 and hunter-worker-1');
  });

  it('fails when /healthz reports the other value, with the driver’s words for a restart that kept it', async () => {
    const run = fakeRun({
      envText: ENV,
      containers: scripted([[state('api'), state('worker')]]),
      http: () => healthz(false),
    });
    const outcome = await setFlagAndApply(run.ctx, true);
    expect(outcome).toMatchObject({ status: 'fail' });
    if (outcome.status !== 'fail') return;
    expect(outcome.observed).toContain('/healthz says partner_center_enabled: false');
    expect(outcome.hint).toContain('env_file:');
  });
});

describe('a container that dies while /healthz is awaited', () => {
  it('fails the check on the next poll with its exit code and last lines, not after readyTimeout', async () => {
    const up = [state('api'), state('worker')];
    const crashed = [state('api', { status: 'exited', exitCode: 1 }), state('worker')];
    let polls = 0;
    const run = fakeRun(
      {
        envText: ENV,
        containers: scripted([up, up, up, crashed]),
        http: () => {
          polls++;
          return { ok: false, reason: 'refused', message: 'connection refused', ms: 1 };
        },
      },
      fakeEnv(),
    );
    const outcome = await setFlagAndApply(run.ctx, true);
    expect(outcome.status).toBe('fail');
    if (outcome.status !== 'fail') return;
    expect(outcome.observed).toContain('hunter-api-1 is exited (exit code 1)');
    expect(outcome.observed).toContain('SyntaxError: invalid syntax');
    // readyTimeout is 5 s and /healthz is polled every 100 ms: waiting it out would be ~50 polls;
    // the containers are looked at once a second, so the death is seen about a second in.
    expect(polls).toBeLessThanOrEqual(15);
  });

  it('keeps the error line of a long traceback: the observed text is clipped at its head', async () => {
    const up = [state('api'), state('worker')];
    const crashed = [state('api', { status: 'exited', exitCode: 1 }), state('worker')];
    const frames = Array.from(
      { length: 14 },
      (_, i) =>
        `  File "/usr/local/lib/python3.11/site-packages/uvicorn/importer.py", line ${i}, in import_from_string`,
    );
    const containers = {
      ...scripted([up, up, up, crashed]),
      lastLines: async () => [...frames, "SyntaxError: '(' was never closed"].join('\n'),
    };
    const run = fakeRun({
      envText: ENV,
      containers,
      http: () => ({ ok: false, reason: 'refused', message: 'connection refused', ms: 1 }),
    });
    const { checks } = await runPhase1(run.ctx);
    expect(checks[0]?.status).toBe('fail');
    expect(checks[0]?.observed).toContain('hunter-api-1 is exited (exit code 1)');
    expect(checks[0]?.observed).toContain("SyntaxError: '(' was never closed");
  });

  it('sees a restart loop (RestartCount going up) as a death too', async () => {
    const up = [state('api'), state('worker')];
    const looping = [state('api'), state('worker', { restartCount: 2, exitCode: 137 })];
    const run = fakeRun({
      envText: ENV,
      containers: scripted([up, up, looping]),
      http: () => ({ ok: false, reason: 'refused', message: 'connection refused', ms: 1 }),
    });
    const outcome = await setFlagAndApply(run.ctx, true);
    expect(outcome.status).toBe('fail');
    if (outcome.status !== 'fail') return;
    expect(outcome.observed).toContain('hunter-worker-1 restarted by itself (2×, last exit code 137)');
  });
});
