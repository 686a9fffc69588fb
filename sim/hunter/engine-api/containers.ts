import { frame } from '../../../src/hunter/docker/frames.ts';
import { containerName, type Project } from '../compose/context.ts';
import type { Container } from '../deployment.ts';
import { dockerTimestamp } from '../log-store.ts';
import { SERVICE_NAMES } from '../types.ts';

/** The Engine API's view of the simulated project's containers, as docker 20.10 shows them. */

export function findContainer(project: Project, id: string): Container | undefined {
  for (const service of SERVICE_NAMES) {
    const container = project.deployment.container(service);
    // Docker accepts the full id, a unique prefix, or the name.
    if (
      container.id === id ||
      (id.length >= 12 && container.id.startsWith(id)) ||
      containerName(project.name, service, project.cli) === id
    )
      return container;
  }
  return undefined;
}

function labels(project: Project, container: Container): Record<string, string> {
  return {
    'com.docker.compose.project': project.name,
    'com.docker.compose.service': container.service,
    'com.docker.compose.project.working_dir': project.dir,
    'com.docker.compose.container-number': '1',
  };
}

/** `GET /containers/json?all=1&filters={"label":[…]}`: every label given must match. */
export function listContainers(project: Project, query: URLSearchParams): unknown[] {
  const wanted = labelFilters(query.get('filters'));
  const all = query.get('all') === '1' || query.get('all') === 'true';
  return SERVICE_NAMES.map((s) => project.deployment.container(s))
    .filter((c) => all || c.running)
    .filter((c) => {
      const own = labels(project, c);
      return wanted.every(([key, value]) => (value === undefined ? key in own : own[key] === value));
    })
    .map((c) => ({
      Id: c.id,
      Names: [`/${containerName(project.name, c.service, project.cli)}`],
      Image: 'dyn365hunter:latest',
      State: c.running ? 'running' : 'exited',
      Status: c.running ? 'Up' : `Exited (${c.exitCode})`,
      Created: Math.floor(c.createdAt.getTime() / 1000),
      Labels: labels(project, c),
    }));
}

function labelFilters(text: string | null): [string, string | undefined][] {
  if (!text) return [];
  const parsed = JSON.parse(text) as { label?: string[] | Record<string, boolean> };
  const raw = Array.isArray(parsed.label) ? parsed.label : Object.keys(parsed.label ?? {});
  return raw.map((l) => {
    const at = l.indexOf('=');
    return at < 0 ? [l, undefined] : [l.slice(0, at), l.slice(at + 1)];
  });
}

/** `GET /containers/{id}/json`: state, restarts, and the create-time environment. */
export function inspect(project: Project, c: Container): unknown {
  return {
    Id: c.id,
    Name: `/${containerName(project.name, c.service, project.cli)}`,
    Created: c.createdAt.toISOString(),
    RestartCount: c.restartCount,
    State: {
      Status: c.running ? 'running' : 'exited',
      Running: c.running,
      Restarting: false,
      ExitCode: c.running ? 0 : c.exitCode,
      Error: '',
      StartedAt: c.startedAt.toISOString(),
    },
    Config: { Env: Object.entries(c.createEnv).map(([k, v]) => `${k}=${v}`), Labels: labels(project, c) },
  };
}

/** `GET /containers/{id}/logs?timestamps=1&since=…`: the lines as stdout frames. */
export function logFrames(project: Project, c: Container, query: URLSearchParams): Buffer {
  const since = query.get('since');
  const at = since ? new Date(Number(since) * 1000) : undefined;
  const stamps = query.get('timestamps') === '1' || query.get('timestamps') === 'true';
  const lines = project.logs.query({ services: [c.service], ...(at ? { since: at } : {}) });
  return Buffer.concat(
    lines.map((line) => frame(1, `${stamps ? `${dockerTimestamp(line)} ` : ''}${line.text}\n`)),
  );
}
