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
    latest: (env: EnvName) => `${p}:latest:${env}`,
    history: (env: EnvName) => `${p}:history:${env}`,
    audit: (env: EnvName) => `${p}:audit:${env}`,
    auditHead: (env: EnvName) => `${p}:audit-head:${env}`,
    envs: `${p}:envs`,
  } as const;
}

export type Keys = ReturnType<typeof keysFor>;
