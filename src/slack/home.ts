import { windowStatus } from '../commands/window-status.ts';
import { isTerminal } from '../domain/run.ts';
import { isListed } from '../gates/directory.ts';
import type { BotServices } from '../lifecycle/lifecycle-deps.ts';
import { wordsOf } from './language.ts';
import type { SlackServices } from './slack-deps.ts';
import { type HomeRow, homeView } from './views/home.ts';
import { stateWords } from './views/run-message.ts';
import { watchWords } from './views/watch.ts';

/**
 * App Home: the per-environment dashboard, rebuilt from Redis each time it is opened — of the
 * environments whose requesters or approvers the person is among, as `status` answers.
 */
export async function publishHome(s: BotServices & Pick<SlackServices, 'chat'>, user: string): Promise<void> {
  const t = wordsOf(s.config);
  const envs = [...s.config.environments.values()];
  const listed = await Promise.all(
    envs.map((env) =>
      isListed([...env.policy.requesters, ...env.policy.approvers], user, s.groups).catch(() => false),
    ),
  );
  const rows = await Promise.all(
    envs
      .filter((_, i) => listed[i])
      .map(async (env): Promise<HomeRow> => {
        const [latest, currentId, flag, watch] = await Promise.all([
          s.results.latest(env.name),
          s.runs.currentRunId(env.name),
          s.flags.get(env.name),
          s.watch.get(env.name),
        ]);
        const current = currentId ? await s.runs.get(currentId) : undefined;
        const running = current && !isTerminal(current.state) ? stateWords(t, current.state) : undefined;
        const window = windowStatus(env, s.now(), s.config.language);
        return {
          env: env.name,
          tier: env.tier,
          ...(latest ? { latest } : {}),
          ...(running ? { running } : {}),
          ...(flag ? { flag } : {}),
          watch: watchWords(t, watch, env.watch, env.name),
          ...(window ? { window } : {}),
        };
      }),
  );
  await s.chat.publishHome(user, homeView(t, rows));
}
