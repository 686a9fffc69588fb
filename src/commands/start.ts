import { selectEnvironment } from '../config/select.ts';
import type { RunRecord } from '../domain/run.ts';
import { mayOperate } from './authz.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';

/** `/pc-verify <env>`: validate, claim the environment, enqueue. The work happens in a worker. */
export async function startRun(deps: CommandDeps, who: Invocation, envName: string): Promise<Reply> {
  const found = selectEnvironment(deps.config, envName);
  if (!found.ok) return { text: `${found.message} Try \`/pc-verify help\`.` };
  const env = found.env;
  const permission = await mayOperate(deps, env, who, 'start');
  if (!permission.ok) {
    await audit(deps, env.name, who.userId, 'run.start', 'refused', permission.why);
    return { text: permission.why };
  }
  const now = deps.now().toISOString();
  const run: RunRecord = {
    id: deps.newRunId(),
    env: env.name,
    state: 'queued',
    version: 1,
    requester: { kind: 'slack', userId: who.userId },
    slack: { channel: who.channelId },
    createdAt: now,
    updatedAt: now,
    phases: [],
  };
  const claim = await deps.runs.claimEnvironment(run, deps.leaseMs);
  if (!claim.ok) {
    const holder = await deps.runs.get(claim.holder);
    const where = holder?.slack?.channel ? ` — follow it in <#${holder.slack.channel}>` : '';
    await audit(deps, env.name, who.userId, 'run.start', 'refused', `run ${claim.holder} is going`);
    return {
      text: `A run for *${env.name}* is already going (run \`${claim.holder}\`, ${holder?.state ?? 'starting'})${where}. One run per environment at a time: wait for it, or \`/pc-verify cancel ${env.name}\`.`,
    };
  }
  await deps.enqueue({ kind: 'run', runId: run.id });
  await audit(deps, env.name, who.userId, 'run.start', 'accepted', run.id);
  const stale = claim.staleRunFailed
    ? ` (the previous run \`${claim.staleRunFailed}\` had lost its worker and was ended)`
    : '';
  return {
    text: `Queued run \`${run.id}\` for *${env.name}*${stale}. Every step lands in the thread in this channel.`,
  };
}

export async function audit(
  deps: CommandDeps,
  env: string,
  actor: string,
  action: string,
  outcome: 'accepted' | 'refused',
  detail: string,
): Promise<void> {
  await deps.audit.append(env as never, { at: deps.now().toISOString(), actor, action, outcome, detail });
}
