import { randomInt } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { Agent } from 'undici';
import { afterAll, beforeAll } from 'vitest';
import { type FakeAad, startFakeAad } from '../../sim/aad/index.ts';
import { FakePartnerCenter } from '../../sim/hunter/partner-center.ts';
import type { EnvironmentConfig } from '../../src/config/config.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { EnvName } from '../../src/domain/ids.ts';
import type { Deployment } from './docker-hunter.ts';
import { PLANTED } from './evidence.ts';

export type DockerReadiness = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const PROVISION = fileURLToPath(new URL('../../scripts/docker.sh', import.meta.url));

/**
 * Whether the real-docker tests can run: scripts/test.sh provisions docker before vitest starts
 * (PCV_DOCKER=ready); a test file run alone provisions it here (a no-op once the images exist).
 * With PCV_REQUIRE_DOCKER=1 (CI) a daemon that cannot be had fails the run instead of skipping.
 */
export async function dockerReadiness(): Promise<DockerReadiness> {
  useRealDockerBinaries();
  const known = process.env.PCV_DOCKER;
  if (known === 'ready') return { ok: true };
  if (known !== undefined) return notReady(`docker ${known}`);
  const res = await execa('bash', [PROVISION], { reject: false, timeout: 15 * 60_000, all: true });
  if (res.exitCode === 0) {
    process.env.PCV_DOCKER = 'ready';
    return { ok: true };
  }
  const tail = String(res.all).split('\n').slice(-10).join('\n');
  return notReady(`docker could not be provisioned (scripts/docker.sh exit ${res.exitCode}):\n${tail}`);
}

/**
 * The test setup puts the simulator's stand-in `docker` first on PATH; this test file (its own
 * process) and the `pc-verify serve` processes it starts need the real ones.
 */
function useRealDockerBinaries(): void {
  const simBin = fileURLToPath(new URL('../../sim/bin', import.meta.url));
  const path = (process.env.PATH ?? '').split(':').filter((dir) => dir !== simBin && dir !== `${simBin}/`);
  process.env.PATH = path.join(':');
}

function notReady(reason: string): DockerReadiness {
  if (process.env.PCV_REQUIRE_DOCKER === '1') throw new Error(`${reason} (PCV_REQUIRE_DOCKER=1)`);
  console.warn(`skipping the real-docker tests: ${reason}`);
  return { ok: false, reason };
}

export const CLIENT_ID = '6f1c2d3e-4a5b-4c6d-8e7f-90a1b2c3d4e5';
export const TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export interface DockerWorld {
  readonly aad: FakeAad;
  readonly partnerCenter: FakePartnerCenter;
  /** Trusts the fake Azure AD's certificate (added trust: verification stays on). */
  readonly trust: Agent;
  /** Hunter's `.env` lines: the flag, the Partner Center block and a few unrelated secrets. */
  envLines(flag: boolean): string[];
  /** A pc-verify environment naming only the compose command and project dir (plus api, database, auth). */
  environment(deployment: Deployment, tier?: 'staging' | 'prod'): EnvironmentConfig;
}

/**
 * A fake Azure AD on port 443 of a loopback address of its own (MSAL Node keys its token cache by
 * host and port, MSAL Python by host: without a port both agree) and a fake Partner Center API.
 */
export async function startDockerWorld(): Promise<DockerWorld & { stop(): Promise<void> }> {
  const aad = await startAadOnLoopback443();
  aad.registerClient(CLIENT_ID);
  const trust = new Agent({ connect: { ca: [...rootCertificates, aad.ca] } });
  const partnerCenter = new FakePartnerCenter(() => false);
  await partnerCenter.start();
  return {
    aad,
    partnerCenter,
    trust,
    envLines: (flag) => [
      `HUNTER_PARTNER_CENTER_ENABLED=${flag}`,
      `HUNTER_PARTNER_CENTER_CLIENT_ID=${CLIENT_ID}`,
      `HUNTER_PARTNER_CENTER_TENANT_ID=${TENANT_ID}`,
      `HUNTER_PARTNER_CENTER_API_URL=${partnerCenter.baseUrl}`,
      `HUNTER_PARTNER_CENTER_AUTHORITY_HOST=https://${aad.host}`,
      ...PLANTED.envFileLines,
    ],
    environment: (deployment, tier = 'staging') => environmentFor(deployment, aad.host, tier),
    stop: async () => {
      await aad.stop();
      await trust.close();
      await partnerCenter.stop();
    },
  };
}

/** The docker world for one test file. */
export function useDockerWorld(): DockerWorld {
  let world: (DockerWorld & { stop(): Promise<void> }) | undefined;
  beforeAll(async () => {
    world = await startDockerWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });
  const started = () => {
    if (!world) throw new Error('useDockerWorld: not started yet (use it inside a test)');
    return world;
  };
  return {
    get aad() {
      return started().aad;
    },
    get partnerCenter() {
      return started().partnerCenter;
    },
    get trust() {
      return started().trust;
    },
    envLines: (flag) => started().envLines(flag),
    environment: (deployment, tier) => started().environment(deployment, tier),
  };
}

function environmentFor(
  deployment: Deployment,
  aadHost: string,
  tier: 'staging' | 'prod',
): EnvironmentConfig {
  const config = parseConfig(
    JSON.stringify({
      environments: {
        [tier]: {
          tier,
          api: { baseUrl: deployment.apiUrl },
          database: { url: deployment.databaseUrl },
          driver: { kind: 'compose', command: deployment.command, projectDir: deployment.projectDir },
          auth: { authority: `https://${aadHost}/{tenantId}`, knownAuthorities: [aadHost] },
          ...(tier === 'prod' ? { policy: { approvers: ['U0APPROVER1'] } } : {}),
        },
      },
    }),
    'test',
    {},
  );
  return config.environments.get(tier as EnvName)!;
}

/** Port 443 needs root (the tests run as root in CI); another process may hold one address: try others. */
async function startAadOnLoopback443(): Promise<FakeAad> {
  let last: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    const host = `127.${randomInt(20, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`;
    try {
      return await startFakeAad({
        listen: { host, port: 443 },
        pollIntervalSec: 0.05,
        tokenMark: PLANTED.aadTokenMark,
      });
    } catch (error) {
      last = error;
    }
  }
  throw new Error(`the fake Azure AD found no loopback address with port 443 free: ${String(last)}`);
}
