import type { CommandDeps } from '../commands/context.ts';
import type { Chat } from './chat.ts';
import { homeView } from './views/home.ts';

/** App Home: the per-environment dashboard, rebuilt from Redis each time it is opened. */
export async function publishHome(chat: Chat, deps: CommandDeps, user: string): Promise<void> {
  const rows = await Promise.all(
    [...deps.config.environments.values()].map(async (env) => {
      const [latest, holder] = await Promise.all([
        deps.results.latest(env.name),
        deps.runs.lockHolder(env.name),
      ]);
      const running = holder ? (await deps.runs.get(holder))?.state : undefined;
      return {
        env: env.name,
        tier: env.tier,
        ...(latest ? { latest } : {}),
        ...(running ? { running } : {}),
      };
    }),
  );
  await chat.publishHome(user, homeView(rows));
}
