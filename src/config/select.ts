import { isEnvName } from '../domain/ids.ts';
import type { Config, EnvironmentConfig } from './config.ts';

export type EnvLookup = { ok: true; env: EnvironmentConfig } | { ok: false; message: string };

/** User input becomes an environment only through this lookup: validated name, configured env. */
export function selectEnvironment(config: Config, name: string): EnvLookup {
  const known = [...config.environments.keys()].join(', ');
  if (!isEnvName(name)) {
    return { ok: false, message: `"${clipName(name)}" is not an environment name. Configured: ${known}.` };
  }
  const env = config.environments.get(name);
  if (!env) return { ok: false, message: `Unknown environment "${name}". Configured: ${known}.` };
  return { ok: true, env };
}

function clipName(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}
