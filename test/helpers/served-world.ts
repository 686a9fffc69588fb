import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import { afterAll, beforeAll } from 'vitest';
import { type BotWorld, SECRET, startBotWorld, type WorldOptions } from '../slack/bot-world.ts';
import { type Served, type ServeOptions, type SpareServe, startServe, startSpare } from './serve-process.ts';
import { REDIS_URL } from './services.ts';

/**
 * A bot world for one test file whose bot runs as `pc-verify serve` processes (to be killed),
 * with the config and the fake Azure AD's CA written to files the way an operator would.
 */
export function useServedWorld(options: WorldOptions = {}) {
  let world: BotWorld | undefined;
  let configFile: { path: string; remove: () => Promise<void> } | undefined;
  let caFile = '';
  const children: ResultPromise[] = [];
  /**
   * The next plain `serve()`, already loading: a process's start-up is mostly loading code (a
   * few seconds on a busy machine), paid while the test waits on something else. It serves only
   * when taken, so it never competes for a job (see `startSpare`).
   */
  let spare: SpareServe | undefined;
  const serveOptions = (env?: Readonly<Record<string, string>>): ServeOptions => {
    if (!world || !configFile) throw new Error('useServedWorld: not started yet');
    return {
      configPath: configFile.path,
      caFile,
      botToken: world.slack.api.botToken,
      apiUrl: world.slack.api.apiUrl,
      signingSecret: SECRET,
      redisUrl: REDIS_URL,
      ...(env ? { env } : {}),
    };
  };
  const nextSpare = () => {
    spare = startSpare(serveOptions());
    children.push(spare.child);
  };
  beforeAll(async () => {
    world = await startBotWorld({ ...options, bot: false });
    configFile = await world.writeConfig();
    caFile = join(configFile.path, '..', 'aad-ca.pem');
    await writeFile(caFile, world.aad.ca);
    nextSpare();
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.allSettled(children);
    await world?.stop();
    await configFile?.remove();
  });
  return {
    get world(): BotWorld {
      if (!world) throw new Error('useServedWorld: not started yet (use it inside a test)');
      return world;
    },
    /** `pc-verify serve` as its own process against this world's fake Slack and Azure AD; `env` on top. */
    async serve(env?: Readonly<Record<string, string>>): Promise<Served> {
      if (!env && spare) {
        const taken = spare;
        nextSpare();
        return taken.go();
      }
      const served = await startServe(serveOptions(env));
      children.push(served.child);
      return served;
    },
  };
}
