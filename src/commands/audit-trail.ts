import type { EnvName } from '../domain/ids.ts';
import type { CommandDeps } from './context.ts';

/**
 * Every command that acts on an environment, or tries to (start, cancel, off — refusals
 * included), leaves an entry in its audit stream. Look-ups (status, plan, history) do not: they
 * change nothing, and a dashboard polling them would push real events out of the capped stream;
 * the structured log line of each slash command records who looked.
 */
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
