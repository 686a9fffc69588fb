import { selectEnvironment } from '../config/select.ts';
import type { EnvName } from '../domain/ids.ts';
import { isTerminal } from '../domain/run.ts';
import { mayOperate } from '../gates/permissions.ts';
import { reapEnvironment } from '../lifecycle/reaper.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { refuseReader } from './read-access.ts';
import { windowStatus } from './window-status.ts';

/** A typed reason is shown as text: no mention, link or markup of its own. */
function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * `/pc-verify status [env]`: the run going (with a link), the latest result and the flag, per
 * environment — of the environments the person may look at from this channel.
 */
export async function showStatus(deps: CommandDeps, who: Invocation, envName?: string): Promise<Reply> {
  let names: EnvName[];
  if (envName !== undefined) {
    const found = selectEnvironment(deps.config, envName);
    if (!found.ok)
      return { text: `${found.message} Type \`/pc-verify help\` for the commands.`, outcome: 'refused' };
    const refused = await refuseReader(deps, who, found.env, 'status');
    if (refused) return refused;
    names = [found.env.name];
  } else {
    const envs = [...deps.config.environments.values()];
    const allowed = await Promise.all(envs.map((env) => mayOperate(deps.groups, env, who, 'read')));
    names = envs.filter((_, i) => allowed[i]?.ok).map((env) => env.name);
    if (names.length === 0)
      return {
        text: 'No environment you may look at from here: status answers the requesters and approvers of an environment, in its channels.',
        outcome: 'refused',
      };
  }
  const lines = await Promise.all(names.map((name) => statusLine(deps, name)));
  return {
    text: lines.join('\n'),
    outcome: 'answered',
    // Looking is also when a run whose worker died is noticed and ended.
    after: async () => {
      await Promise.all(names.map((name) => reapEnvironment(deps, name)));
    },
  };
}

async function statusLine(deps: CommandDeps, env: EnvName): Promise<string> {
  const [latest, currentId, flag, watch, glasses] = await Promise.all([
    deps.results.latest(env),
    deps.runs.currentRunId(env),
    deps.flags.get(env),
    deps.watch.get(env),
    deps.breakGlass.unreviewed(env),
  ]);
  const current = currentId ? await deps.runs.get(currentId) : undefined;
  const parts = [`*${env}*`];
  if (current && !isTerminal(current.state)) {
    const by = current.requester.kind === 'slack' ? ` by <@${current.requester.userId}>` : '';
    const link = await deps.words.link(current.slack, `run ${current.id}`);
    parts.push(
      `now: ${link} — ${deps.words.state(current.state)} (started${by} ${deps.words.date(current.createdAt)})`,
    );
  }
  if (latest) {
    const by = latest.requester.kind === 'slack' ? ` by <@${latest.requester.userId}>` : '';
    parts.push(
      latest.report.purpose === 'login'
        ? `last: sign-in renewal *${latest.report.verdict}* ${deps.words.date(latest.report.finishedAt)}${by} (the flag not touched)`
        : `last: *${latest.report.verdict}* (${latest.report.state}) ${deps.words.date(latest.report.finishedAt)}${by}, can be turned ON: ${latest.report.canTurnOn ? 'YES' : 'NO'}`,
    );
  } else {
    parts.push('never verified');
  }
  parts.push(deps.words.flag(flag, env));
  const watchConfig = deps.config.environments.get(env)?.watch ?? false;
  parts.push(deps.words.watch(watch, watchConfig, env));
  const envConfig = deps.config.environments.get(env);
  const window = envConfig && windowStatus(envConfig, deps.now(), deps.config.language);
  if (window) parts.push(window);
  // A change made around the approval gate stays in view until an approver reviewed it.
  for (const glass of glasses)
    parts.push(
      `:rotating_light: break-glass NOT REVIEWED: \`${escapeText(glass.by).replaceAll('`', "'")}\` ${glass.action === 'run' ? 'ran the verification' : 'signed in again'} from a terminal ${deps.words.date(glass.at)}, reason: ${escapeText(glass.reason)}`,
    );
  return parts.join(' · ');
}
