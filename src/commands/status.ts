import { selectEnvironment } from '../config/select.ts';
import type { EnvName } from '../domain/ids.ts';
import type { CommandDeps, Reply } from './context.ts';

/** `/pc-verify status [env]`: the latest result and any run going, per environment. */
export async function showStatus(deps: CommandDeps, envName?: string): Promise<Reply> {
  let names: EnvName[] = [...deps.config.environments.keys()];
  if (envName !== undefined) {
    const found = selectEnvironment(deps.config, envName);
    if (!found.ok) return { text: found.message };
    names = [found.env.name];
  }
  const lines = await Promise.all(names.map((name) => statusLine(deps, name)));
  return { text: lines.join('\n') };
}

async function statusLine(deps: CommandDeps, env: EnvName): Promise<string> {
  const [latest, holder] = await Promise.all([deps.results.latest(env), deps.runs.lockHolder(env)]);
  const running = holder ? await deps.runs.get(holder) : undefined;
  const last = latest
    ? `last: *${latest.report.verdict}* (${latest.report.state}) at ${latest.report.finishedAt}, can be turned ON: ${latest.report.canTurnOn ? 'YES' : 'NO'}`
    : 'never verified';
  const now = running ? ` · now: run \`${running.id}\` ${running.state}` : '';
  return `*${env}* — ${last}${now}`;
}
