import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import { request } from 'undici';
import type { HunterSim } from '../../../sim/hunter/index.ts';

export interface Ran {
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

/** `docker compose --project-directory DIR …` through the stand-in on PATH, as the compose driver runs it. */
export function compose(sim: HunterSim, args: readonly string[], options: RunOptions = {}): Promise<Ran> {
  return run('docker', ['compose', '--project-directory', sim.projectDir, ...args], sim.projectDir, options);
}

export interface RunOptions {
  readonly input?: string;
  readonly signal?: AbortSignal;
}

export async function run(
  file: string,
  args: readonly string[],
  cwd: string,
  options: RunOptions = {},
): Promise<Ran> {
  const res = await execa(file, args, {
    cwd,
    input: options.input ?? '',
    reject: false,
    timeout: 15_000,
    stripFinalNewline: false,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  return { exitCode: res.exitCode, stdout: String(res.stdout), stderr: String(res.stderr) };
}

export const CELERY = ['exec', '-T', 'worker', 'celery', '-A', 'app.core.celery_app'];
export const SYNC_TASK = 'app.core.tasks.sync_partner_center_referrals_task';

export async function callTask(sim: HunterSim): Promise<string> {
  const res = await compose(sim, [...CELERY, 'call', SYNC_TASK]);
  if (res.exitCode !== 0) throw new Error(`celery call failed: ${res.stderr}`);
  return res.stdout.trim();
}

export type HttpAnswer = { ok: true; status: number; body: string } | { ok: false; code: string };

/** One request over undici; a connection failure comes back as its error code. */
export async function http(sim: HunterSim, method: 'GET' | 'POST', path: string): Promise<HttpAnswer> {
  try {
    const res = await request(`${sim.apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(5_000),
    });
    return { ok: true, status: res.statusCode, body: await res.body.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { ok: false, code: (error as { code?: string }).code ?? cause?.code ?? String(error) };
  }
}

export async function healthFlag(sim: HunterSim): Promise<boolean | undefined> {
  const res = await http(sim, 'GET', '/healthz');
  if (!res.ok || res.status !== 200) return undefined;
  return (JSON.parse(res.body) as { partner_center_enabled: boolean }).partner_center_enabled;
}

export interface CacheOptions {
  readonly clientId: string;
  readonly environment?: string;
  readonly accessToken?: string;
}

/** A token cache in MSAL's unified schema, as `@azure/msal-node` serializes it. */
export function tokenCacheJson({
  clientId,
  environment = 'login.microsoftonline.com',
  accessToken = 'cached-at',
}: CacheOptions) {
  const uid = '00000000-0000-0000-66f3-3332eca7ea81';
  const utid = '9188040d-6c67-4c5b-b112-36a304b66dad';
  const home = `${uid}.${utid}`;
  const now = Math.floor(Date.now() / 1000);
  const base = { home_account_id: home, environment, client_id: clientId };
  return JSON.stringify({
    Account: {
      [`${home}-${environment}-${utid}`]: {
        home_account_id: home,
        environment,
        realm: utid,
        local_account_id: uid,
        username: 'ops@contoso.com',
        authority_type: 'MSSTS',
      },
    },
    IdToken: {
      [`${home}-${environment}-idtoken-${clientId}-${utid}---`]: {
        ...base,
        credential_type: 'IdToken',
        secret: 'e30.e30.',
        realm: utid,
      },
    },
    AccessToken: {
      [`${home}-${environment}-accesstoken-${clientId}-${utid}-scope---`]: {
        ...base,
        credential_type: 'AccessToken',
        secret: accessToken,
        realm: utid,
        target: 'https://api.partnercenter.microsoft.com/user_impersonation',
        cached_at: String(now),
        expires_on: String(now + 3600),
        extended_expires_on: String(now + 7200),
        token_type: 'Bearer',
      },
    },
    RefreshToken: {
      [`${home}-${environment}-refreshtoken-${clientId}----`]: {
        ...base,
        credential_type: 'RefreshToken',
        secret: 'rt-secret',
      },
    },
    AppMetadata: { [`appmetadata-${environment}-${clientId}`]: { client_id: clientId, environment } },
  });
}

export async function installTokenCache(sim: HunterSim, content: string): Promise<Ran> {
  return compose(sim, ['exec', '-T', 'api', 'install', '-m', '600', '/dev/stdin', '.token_cache'], {
    input: content,
  });
}

/** A fake Azure AD token endpoint for the refresh_token grant; records each form it receives. */
export async function startFakeTokenEndpoint(answer: () => { status: number; body: unknown }) {
  const forms: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      forms.push(new URLSearchParams(body));
      const { status, body: json } = answer();
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    forms,
    host: `127.0.0.1:${port}`,
    tokenUrl: (tenant: string) => `http://127.0.0.1:${port}/${tenant}/oauth2/v2.0/token`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The structlog JSON objects in worker log output (Celery prefix and compose prefix stripped). */
export function structlogEvents(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .map((line) => /\] (\{".*\})$/.exec(line)?.[1])
    .filter((json): json is string => json !== undefined)
    .map((json) => JSON.parse(json) as Record<string, unknown>);
}
