import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import { afterAll, beforeAll } from 'vitest';
import { type BotWorld, SECRET, STAGING, startBotWorld } from '../slack/bot-world.ts';
import { type ComposeVersion, type Deployment, type EnvDelivery, startDeployment } from './docker-hunter.ts';
import type { DockerWorld } from './docker-world.ts';
import { pollUntil } from './poll.ts';
import { type Served, startServe } from './serve-process.ts';
import { REDIS_URL } from './services.ts';

export interface DockerBotOptions {
  readonly compose: ComposeVersion;
  readonly env: EnvDelivery;
  readonly tier: 'staging' | 'prod';
  /** The flag in `.env` when the deployment starts. */
  readonly flag: boolean;
}

export interface DockerBot {
  readonly world: BotWorld;
  readonly deployment: Deployment;
  /** `pc-verify serve` as its own process (to be killed) against the fake Slack and this deployment. */
  serve(): Promise<Served>;
}

/**
 * The bot world of test/slack/bot-world.ts (fake Slack, Redis, the fake Azure AD of `docker`) with
 * its environment `staging` pointing at a real deployment: only the compose command and project
 * dir in `driver`.
 */
export function useDockerBot(docker: DockerWorld, options: DockerBotOptions): DockerBot {
  let world: BotWorld | undefined;
  let deployment: Deployment | undefined;
  let config: { path: string; remove: () => Promise<void> } | undefined;
  let caFile = '';
  const children: ResultPromise[] = [];
  beforeAll(async () => {
    deployment = await startDeployment({
      compose: options.compose,
      env: options.env,
      envLines: docker.envLines(options.flag),
      caPem: docker.aad.ca,
    });
    world = await startBotWorld({
      bot: false,
      tier: options.tier,
      aad: docker.aad,
      target: {
        api: { baseUrl: deployment.apiUrl },
        database: { url: deployment.databaseUrl },
        driver: { kind: 'compose', command: deployment.command, projectDir: deployment.projectDir },
      },
    });
    config = await world.writeConfig();
    caFile = join(config.path, '..', 'aad-ca.pem');
    await writeFile(caFile, docker.aad.ca);
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.allSettled(children);
    await world?.stop();
    await config?.remove();
    await deployment?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useDockerBot: not started yet (use it inside a test)');
    return value;
  };
  return {
    get world() {
      return started(world);
    },
    get deployment() {
      return started(deployment);
    },
    async serve() {
      const served = await startServe({
        configPath: started(config).path,
        caFile,
        botToken: started(world).slack.api.botToken,
        apiUrl: started(world).slack.api.apiUrl,
        signingSecret: SECRET,
        redisUrl: REDIS_URL,
      });
      children.push(served.child);
      return served;
    },
  };
}

/** The flag as `.env` has it. */
export async function envFileFlag(deployment: Deployment): Promise<boolean> {
  return /^HUNTER_PARTNER_CENTER_ENABLED=true$/m.test(
    await readFile(join(deployment.projectDir, '.env'), 'utf8'),
  );
}

/** The flag in a service's running container, as its process sees it (`env_file:` fixes it at create). */
export async function containerFlag(deployment: Deployment, service: 'api' | 'worker'): Promise<string> {
  const res = await deployment.compose(['exec', '-T', service, 'printenv', 'HUNTER_PARTNER_CENTER_ENABLED']);
  return res.stdout.trim();
}

/** The flag record says `flag`, verified by the bot. */
export async function flagRecordVerified(world: BotWorld, flag: 'on' | 'off'): Promise<void> {
  await pollUntil(
    async () => {
      const record = await world.flags.get(STAGING);
      return record?.observed === flag && record.unverified === undefined ? true : undefined;
    },
    { timeoutMs: 60_000, what: `the flag record to say ${flag}, verified` },
  );
}

/** SIGKILL, as an OOM killer or a node failure would stop the process. */
export async function killServe(served: Served): Promise<void> {
  served.child.kill('SIGKILL');
  await served.child.catch(() => undefined);
}
