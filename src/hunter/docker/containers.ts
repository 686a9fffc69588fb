import type { CallOptions, EngineHttp, EngineResult } from './engine.ts';
import { ContainerInspect, ContainerList, type ContainerSummary } from './schema.ts';

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';

/**
 * The containers of one compose service, found by the labels compose v1 and v2 both set
 * (stopped ones too: a crashed api is still the api). Newest first.
 */
export async function serviceContainers(
  http: EngineHttp,
  project: string,
  service: string,
  options: CallOptions,
): Promise<EngineResult<ContainerSummary[]>> {
  const filters = JSON.stringify({ label: [`${PROJECT_LABEL}=${project}`, `${SERVICE_LABEL}=${service}`] });
  const listed = await http.json(
    { method: 'GET', path: `/containers/json?all=1&filters=${encodeURIComponent(filters)}` },
    ContainerList,
    options,
  );
  if (!listed.ok) return listed;
  return { ok: true, value: [...listed.value].sort((a, b) => b.Created - a.Created) };
}

export function inspectContainer(http: EngineHttp, id: string, options: CallOptions) {
  return http.json(
    { method: 'GET', path: `/containers/${encodeURIComponent(id)}/json` },
    ContainerInspect,
    options,
  );
}

/** `docker restart` with docker's own grace period before SIGKILL (10 s, as compose's). */
export async function restartContainer(
  http: EngineHttp,
  id: string,
  options: CallOptions,
): Promise<EngineResult<true>> {
  const res = await http.bytes(
    { method: 'POST', path: `/containers/${encodeURIComponent(id)}/restart?t=10` },
    options,
  );
  return res.ok ? { ok: true, value: true } : res;
}

/** `KEY=VALUE` lines of a container's create-time environment, as a map. */
export function envOf(inspect: ContainerInspect): Map<string, string> {
  const env = new Map<string, string>();
  for (const pair of inspect.Config.Env ?? []) {
    const at = pair.indexOf('=');
    if (at > 0) env.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return env;
}
