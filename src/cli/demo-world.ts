import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { startFakeAad } from '../../sim/aad/index.ts';
import { type HunterFaults, startHunterSim } from '../../sim/hunter/index.ts';
import type { EnvironmentConfig } from '../config/config.ts';
import { parseConfig } from '../config/load.ts';
import type { EnvName } from '../domain/ids.ts';
import type { Language } from '../i18n/index.ts';

const DOCKER_STAND_IN = fileURLToPath(new URL('../../sim/bin/docker', import.meta.url));
/** bash instead of a Node start per command: benchmarks use it to tell the stand-in's cost apart. */
const LIGHT_DOCKER_STAND_IN = fileURLToPath(new URL('../../sim/bin/docker-lite', import.meta.url));
const CLIENT_ID = '6f1c3a52-8d0e-4b7a-9c41-2e5d7f08a913';
const TENANT_ID = 'b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b';
const SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';

export interface DemoWorldOptions {
  readonly databaseUrl: string;
  readonly name?: string;
  readonly faults?: Partial<HunterFaults>;
  readonly taskDelayMs?: number;
  /** Which stand-in `docker` the driver runs. Default 'node' (sim/bin/docker). */
  readonly standIn?: 'node' | 'bash';
  /** The deployment's language (the config's `language`). Default 'en'. */
  readonly language?: Language;
}

export interface DemoWorld {
  readonly env: EnvironmentConfig;
  /** Trusts the fake Azure AD's certificate (added trust; verification stays on). */
  readonly dispatcher: Agent;
  /** The same as a config file's text, and the certificate to trust: for a process of its own. */
  readonly configText: string;
  readonly aadCa: string;
  readonly apiUrl: string;
  readonly projectDir: string;
  /** The stand-in `docker` executable the environment's driver runs (benchmarks time it). */
  readonly dockerCommand: string;
  /** How many docker / compose commands the simulated deployment has answered. */
  commandsAnswered(): number;
  stop(): Promise<void>;
}

/**
 * The simulated outside world of the demo and the benchmarks: a Hunter deployment reached
 * through the stand-in `docker`, and an Azure AD whose simulated person approves every login.
 */
export async function startDemoWorld(options: DemoWorldOptions): Promise<DemoWorld> {
  const aad = await startFakeAad();
  aad.registerClient(CLIENT_ID, { tenantId: TENANT_ID });
  aad.autoApprove({ username: 'demo.operator@contoso.example', name: 'Demo Operator' });
  const hunter = await startHunterSim({
    databaseUrl: options.databaseUrl,
    clientId: CLIENT_ID,
    tenantId: TENANT_ID,
    scope: SCOPE,
    aad: { tokenUrl: (tenant) => aad.tokenUrl(tenant), ca: aad.ca },
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.taskDelayMs === undefined ? {} : { taskDelayMs: options.taskDelayMs }),
  });
  const dispatcher = new Agent({ connect: { ca: [...rootCertificates, aad.ca] } });
  const name = options.name ?? 'demo';
  const docker = options.standIn === 'bash' ? LIGHT_DOCKER_STAND_IN : DOCKER_STAND_IN;
  const configText = JSON.stringify({
    language: options.language ?? 'en',
    environments: {
      [name]: {
        tier: 'staging',
        api: { baseUrl: hunter.apiUrl, readyTimeout: '60s' },
        database: { url: options.databaseUrl },
        driver: {
          kind: 'compose',
          command: [docker, 'compose'],
          projectDir: hunter.projectDir,
          host: hunter.dockerHost,
          commandTimeout: '60s',
        },
        auth: {
          authority: `https://${aad.host}/{tenantId}`,
          knownAuthorities: [aad.host],
          loginTimeout: '2m',
        },
      },
    },
  });
  const config = parseConfig(configText, 'demo', {});
  return {
    env: config.environments.get(name as EnvName)!,
    dispatcher,
    configText,
    aadCa: aad.ca,
    apiUrl: hunter.apiUrl,
    projectDir: hunter.projectDir,
    dockerCommand: docker,
    commandsAnswered: () => hunter.composeCalls().length,
    stop: async () => {
      await Promise.allSettled([hunter.stop(), aad.stop(), dispatcher.close()]);
    },
  };
}
