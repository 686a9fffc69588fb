import type { ComposeDriverConfig } from '../../config/schema.ts';
import { serviceContainers } from '../docker/containers.ts';
import type { CallOptions, EngineHttp, EngineResult } from '../docker/engine.ts';
import { derivedProjectNames } from '../docker/project-name.ts';
import type { ContainerSummary } from '../docker/schema.ts';
import type { DockerHints } from './hints.ts';

export type Located =
  | { readonly ok: true; readonly container: ContainerSummary; readonly name: string }
  | {
      readonly ok: false;
      readonly reason: 'missing' | 'engine';
      readonly message: string;
      readonly hint: string;
    };

/**
 * The newest container of a compose service, found by compose's labels under the configured
 * project name or the names v2 and v1 derive from the project directory. Looked up on every
 * call: a recreate gives the service a new container.
 */
export async function locateService(
  http: EngineHttp,
  config: ComposeDriverConfig,
  service: string,
  options: CallOptions,
  hints: DockerHints,
): Promise<Located> {
  const names =
    config.projectName === undefined ? derivedProjectNames(config.projectDir) : [config.projectName];
  for (const project of names) {
    const found: EngineResult<ContainerSummary[]> = await serviceContainers(http, project, service, options);
    if (!found.ok) {
      return {
        ok: false,
        reason: 'engine',
        message: found.message,
        hint: hints.engine(found.reason),
      };
    }
    const [newest] = found.value;
    if (newest)
      return { ok: true, container: newest, name: (newest.Names[0] ?? newest.Id).replace(/^\//, '') };
  }
  const labels = names.map((p) => `com.docker.compose.project=${p}`).join(' or ');
  return {
    ok: false,
    reason: 'missing',
    message: `no container of service ${service} (labels ${labels}, com.docker.compose.service=${service}) on ${http.host.text}`,
    hint: hints.noContainer(),
  };
}
