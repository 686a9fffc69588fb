import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { startFakeAad } from '../../sim/aad/index.ts';
import { startHunterSim } from '../../sim/hunter/index.ts';
import { parseConfig } from '../config/load.ts';
import type { EnvName } from '../domain/ids.ts';
import { PHASE_NUMBERS } from '../domain/phase.ts';
import { renderJson, renderResultsTemplate } from '../runs/render-text.ts';
import { openDemoDatabase } from './demo-database.ts';
import { EXIT } from './exit-codes.ts';
import { type Io, verifyInTerminal } from './run.ts';

const DOCKER_STAND_IN = fileURLToPath(new URL('../../sim/bin/docker', import.meta.url));
const CLIENT_ID = '6f1c3a52-8d0e-4b7a-9c41-2e5d7f08a913';
const TENANT_ID = 'b2c4e6f8-1a3c-4e5f-8a9b-0c1d2e3f4a5b';
const SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';

/**
 * `pc-verify demo`: the whole verification against the bundled simulators — Hunter (with a
 * stand-in `docker`), Azure AD (the login is approved automatically) and PostgreSQL (PGlite
 * when DATABASE_URL is not set). No accounts, no Docker, no network.
 */
export async function demoCommand(options: { json?: boolean }, io: Io): Promise<number> {
  io.err('Starting the simulated world: PostgreSQL, Azure AD and the Hunter deployment…');
  const database = await openDemoDatabase(process.env);
  const aad = await startFakeAad();
  aad.registerClient(CLIENT_ID, { tenantId: TENANT_ID });
  aad.autoApprove({ username: 'demo.operator@contoso.example', name: 'Demo Operator' });
  const hunter = await startHunterSim({
    databaseUrl: database.url,
    clientId: CLIENT_ID,
    tenantId: TENANT_ID,
    scope: SCOPE,
    aad: { tokenUrl: (tenant) => aad.tokenUrl(tenant), ca: aad.ca },
  });
  const trustAad = new Agent({ connect: { ca: [...rootCertificates, aad.ca] } });
  try {
    const config = parseConfig(
      demoConfig(hunter.apiUrl, hunter.projectDir, database.url, aad.host),
      'demo',
      {},
    );
    const env = config.environments.get('demo' as EnvName)!;
    io.err(`Hunter simulator: ${hunter.apiUrl} (project ${hunter.projectDir}); database: ${database.kind}\n`);
    const report = await verifyInTerminal(env, PHASE_NUMBERS, io, {
      dispatcher: trustAad,
      onHandoff: () => io.err('  (demo: the simulated person signs in and approves the login)'),
    });
    io.out(options.json ? renderJson(report) : renderResultsTemplate(report));
    return report.verdict === 'PASS' ? EXIT.pass : EXIT.fail;
  } finally {
    await Promise.allSettled([hunter.stop(), aad.stop(), trustAad.close()]);
    await database.close();
  }
}

function demoConfig(apiUrl: string, projectDir: string, databaseUrl: string, aadHost: string): string {
  return JSON.stringify({
    environments: {
      demo: {
        tier: 'staging',
        api: { baseUrl: apiUrl, readyTimeout: '30s' },
        database: { url: databaseUrl },
        driver: { kind: 'compose', command: [DOCKER_STAND_IN, 'compose'], projectDir, commandTimeout: '30s' },
        auth: { authority: `https://${aadHost}/{tenantId}`, knownAuthorities: [aadHost], loginTimeout: '2m' },
      },
    },
  });
}
