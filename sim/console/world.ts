import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { type DemoDatabase, openDemoDatabase } from '../../src/cli/demo-database.ts';
import type { Config } from '../../src/config/config.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { Language } from '../../src/i18n/index.ts';
import { type FakeAad, startFakeAad } from '../aad/index.ts';
import { type HunterSim, startHunterSim } from '../hunter/index.ts';
import { type FakeSlack, startFakeSlack } from '../slack/index.ts';
import { APPROVER, CHANNEL, PEOPLE, REQUESTER } from './people.ts';

const DOCKER_STAND_IN = fileURLToPath(new URL('../bin/docker', import.meta.url));
const CLIENT_ID = '6f1c3a52-8d0e-4b7a-9c41-2e5d7f08a913';
const TENANT_ID = 'b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b';
const SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';
const ENVIRONMENTS = [
  { name: 'staging', tier: 'staging' },
  { name: 'prod', tier: 'prod' },
] as const;

/** The console's outside world: fake Slack and Azure AD, one Hunter (and database) per environment. */
export interface ConsoleWorld {
  readonly slack: FakeSlack;
  readonly aad: FakeAad;
  readonly config: Config;
  /** Trusts the fake Azure AD's certificate (added trust; verification stays on). */
  readonly dispatcher: Agent;
  stop(): Promise<void>;
}

export async function startConsoleWorld(options: {
  autoLogin: boolean;
  language: Language;
}): Promise<ConsoleWorld> {
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const slack = await startFakeSlack();
    stops.push(() => slack.close());
    for (const person of PEOPLE) slack.api.addUser(person);
    slack.api.addChannel(CHANNEL.id, { name: CHANNEL.name });
    const aad = await startFakeAad({ pollIntervalSec: 1 });
    stops.push(() => aad.stop());
    aad.registerClient(CLIENT_ID, { tenantId: TENANT_ID });
    if (options.autoLogin) aad.autoApprove({ username: 'alice@contoso.example', name: REQUESTER.realName });
    const environments: Record<string, unknown> = {};
    for (const env of ENVIRONMENTS) {
      const database: DemoDatabase = await openDemoDatabase(process.env);
      stops.push(() => database.close());
      const hunter: HunterSim = await startHunterSim({
        databaseUrl: database.url,
        clientId: CLIENT_ID,
        tenantId: TENANT_ID,
        scope: SCOPE,
        aad: {
          tokenUrl: (tenant) => aad.tokenUrl(tenant),
          ca: aad.ca,
          accessTokenState: (token) => aad.accessTokenState(token),
        },
      });
      stops.push(() => hunter.stop());
      environments[env.name] = {
        tier: env.tier,
        api: { baseUrl: hunter.apiUrl, readyTimeout: '60s' },
        database: { url: database.url },
        driver: {
          kind: 'compose',
          command: [DOCKER_STAND_IN, 'compose'],
          projectDir: hunter.projectDir,
          host: hunter.dockerHost,
          commandTimeout: '60s',
        },
        auth: {
          authority: `https://${aad.host}/{tenantId}`,
          knownAuthorities: [aad.host],
          loginTimeout: '10m',
        },
        policy: { requesters: [REQUESTER.id], approvers: [APPROVER.id], channels: [CHANNEL.id] },
      };
    }
    const deployment = `console-${Date.now().toString(36)}`;
    const config = parseConfig(
      JSON.stringify({ deployment, language: options.language, environments }),
      'chat console',
      {},
    );
    const dispatcher = new Agent({ connect: { ca: [...rootCertificates, aad.ca] } });
    stops.push(() => dispatcher.close());
    return { slack, aad, config, dispatcher, stop: () => stopAll(stops) };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

async function stopAll(stops: readonly (() => Promise<unknown>)[]): Promise<void> {
  for (const stop of [...stops].reverse()) await stop().catch(() => undefined);
}
