import { selectEnvironment } from '../config/select.ts';
import type { EnvName } from '../domain/ids.ts';
import { isTerminal } from '../domain/run.ts';
import { mayOperate } from '../gates/permissions.ts';
import type { Translate } from '../i18n/index.ts';
import { reapEnvironment } from '../lifecycle/reaper.ts';
import type { ResultSummary } from '../store/results.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { seeHelp, wordsFor } from './language.ts';
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
    if (!found.ok) return { text: seeHelp(wordsFor(deps), found.message), outcome: 'refused' };
    const refused = await refuseReader(deps, who, found.env, 'status');
    if (refused) return refused;
    names = [found.env.name];
  } else {
    const envs = [...deps.config.environments.values()];
    const allowed = await Promise.all(envs.map((env) => mayOperate(deps.groups, env, who, 'read')));
    names = envs.filter((_, i) => allowed[i]?.ok).map((env) => env.name);
    if (names.length === 0)
      return {
        text: wordsFor(deps)('commands.status.nothingToSee'),
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
  const t = wordsFor(deps);
  const parts = [`*${env}*`];
  if (current && !isTerminal(current.state)) {
    const by =
      current.requester.kind === 'slack'
        ? t('commands.start.by', { who: `<@${current.requester.userId}>` })
        : '';
    const link = await deps.words.link(current.slack, t('commands.start.runLabel', { id: current.id }));
    const [state, when] = [deps.words.state(current.state), deps.words.date(current.createdAt)];
    parts.push(t('commands.status.now', { link, state, by, when }));
  }
  parts.push(latest ? lastLine(deps, t, latest) : t('commands.status.neverVerified'));
  parts.push(deps.words.flag(flag, env));
  const watchConfig = deps.config.environments.get(env)?.watch ?? false;
  parts.push(deps.words.watch(watch, watchConfig, env));
  const envConfig = deps.config.environments.get(env);
  const window = envConfig && windowStatus(envConfig, deps.now(), deps.config.language);
  if (window) parts.push(window);
  // A change made around the approval gate stays in view until an approver reviewed it.
  for (const glass of glasses) {
    const who = `\`${escapeText(glass.by).replaceAll('`', "'")}\``;
    const what = glass.action === 'run' ? t('commands.status.ranRun') : t('commands.status.signedIn');
    const words = t('commands.status.breakGlass', {
      who,
      what,
      when: deps.words.date(glass.at),
      reason: escapeText(glass.reason),
    });
    parts.push(`:rotating_light: ${words}`);
  }
  return parts.join(' · ');
}

/** The latest result: its verdict, when and by whom, and whether the flag may be ON. */
function lastLine(deps: CommandDeps, t: Translate, latest: ResultSummary): string {
  const by =
    latest.requester.kind === 'slack' ? t('commands.start.by', { who: `<@${latest.requester.userId}>` }) : '';
  const when = deps.words.date(latest.report.finishedAt);
  const { verdict, state, canTurnOn } = latest.report;
  if (latest.report.purpose === 'login') return t('commands.status.lastLogin', { verdict, when, by });
  const yes = canTurnOn ? t('commands.status.yes') : t('commands.status.no');
  return t('commands.status.last', { verdict, state, when, by, yes });
}
