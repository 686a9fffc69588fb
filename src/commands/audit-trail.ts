import type { EnvName } from '../domain/ids.ts';
import type { CommandDeps } from './context.ts';

/** Every command that names a configured environment leaves an entry in its audit stream. */
export async function auditCommand(
  deps: CommandDeps,
  env: EnvName,
  actor: string,
  action: string,
  outcome: 'accepted' | 'refused' | 'info',
  detail: string,
  runId?: string,
): Promise<void> {
  await deps.audit.append(env, {
    at: deps.now().toISOString(),
    actor,
    action,
    outcome,
    detail,
    ...(runId ? { runId } : {}),
  });
}
