import type { EnvName } from '../domain/ids.ts';
import type { BotServices } from './lifecycle-deps.ts';

/**
 * Every action on an environment, or attempt at one (start, cancel, off, a decision — refusals
 * included), leaves an entry in its audit stream. Look-ups (status, plan, history) do not: they
 * change nothing, and a dashboard polling them would push real events out of the capped stream;
 * the structured log line of each slash command records who looked.
 */
export async function auditCommand(
  deps: Pick<BotServices, 'audit' | 'now'>,
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
