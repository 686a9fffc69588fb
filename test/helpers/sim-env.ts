import type { HunterSim } from '../../sim/hunter/index.ts';
import type { EnvironmentConfig } from '../../src/config/config.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { EnvName } from '../../src/domain/ids.ts';
import type { PhaseResult } from '../../src/domain/phase.ts';
import type { RunEvent } from '../../src/engine/run-events.ts';
import { createTarget } from '../../src/hunter/create.ts';
import { memoryLedger, type PhaseContext } from '../../src/phases/context.ts';

/** The config a person would write for the simulated deployment, compose driver and all. */
export function simEnvironment(
  sim: HunterSim,
  databaseUrl: string,
  extra: {
    apply?: 'auto' | 'restart' | 'recreate';
    readyTimeout?: string;
    requestTimeout?: string;
    commandTimeout?: string;
    tier?: string;
  } = {},
): EnvironmentConfig {
  const config = parseConfig(
    JSON.stringify({
      environments: {
        staging: {
          tier: extra.tier ?? 'staging',
          api: {
            baseUrl: sim.apiUrl,
            readyTimeout: extra.readyTimeout ?? '10s',
            requestTimeout: extra.requestTimeout ?? '3s',
          },
          database: { url: databaseUrl, timeout: '3s' },
          driver: {
            kind: 'compose',
            projectDir: sim.projectDir,
            host: sim.dockerHost,
            ...(extra.apply ? { apply: extra.apply } : {}),
            commandTimeout: extra.commandTimeout ?? '10s',
          },
          // A prod gate needs someone who may open it and a channel where it is seen (config errors otherwise).
          ...(extra.tier === 'prod' ? { policy: { approvers: ['U0APPROVER1'], channels: ['C0OPS'] } } : {}),
        },
      },
    }),
    'test',
    {},
  );
  return config.environments.get('staging' as EnvName)!;
}

export function simContext(env: EnvironmentConfig, signal = new AbortController().signal) {
  const events: RunEvent[] = [];
  const ctx: PhaseContext = {
    flag: memoryLedger(),
    target: createTarget(env, { redact: (t) => t }),
    env,
    signal,
    observer: (e) => {
      events.push(e);
    },
    redact: (t) => t,
  };
  return { ctx, events };
}

/** For engine tests that run Phases 0, 1 and 3 only: Phase 2 (a login) is tested in test/phases. */
export const phase2NotCalled = async (): Promise<PhaseResult> => {
  throw new Error('Phase 2 is not part of this test');
};
