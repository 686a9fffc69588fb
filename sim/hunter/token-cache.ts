import { z } from 'zod';

/** Where `install … .token_cache` lands: the api's working directory, a volume the worker shares. */
export const APP_DIR = '/app';
export const TOKEN_CACHE_PATH = `${APP_DIR}/.token_cache`;
/** A sign-in waiting for its approval, beside the live cache. */
export const STAGED_TOKEN_CACHE_PATH = `${APP_DIR}/.token_cache.pending`;

export interface ContainerFile {
  readonly content: Buffer;
  readonly mode: number;
}

/** Files written into the containers (the shared `/app` volume). */
export class SharedVolume {
  readonly #files = new Map<string, ContainerFile>();

  write(path: string, content: Buffer, mode: number): void {
    this.#files.set(path, { content, mode });
  }

  read(path: string): ContainerFile | undefined {
    return this.#files.get(path);
  }

  /** unlink(2): false when there was nothing at `path`. */
  remove(path: string): boolean {
    return this.#files.delete(path);
  }

  /** rename(2): the file moves whole, with its mode; false when there is nothing at `from`. */
  rename(from: string, to: string): boolean {
    const file = this.#files.get(from);
    if (!file) return false;
    this.#files.set(to, file);
    this.#files.delete(from);
    return true;
  }
}

/** Resolves a path given inside a container against its working directory. */
export function containerPath(path: string, workdir = APP_DIR): string {
  const joined = path.startsWith('/') ? path : `${workdir.replace(/\/$/, '')}/${path}`;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

// MSAL's unified cache schema: the fields MSAL Python matches entries by.
const Credential = z.looseObject({
  home_account_id: z.string(),
  environment: z.string(),
  credential_type: z.string(),
  client_id: z.string(),
  secret: z.string(),
});
const Account = z.looseObject({
  home_account_id: z.string(),
  environment: z.string(),
  realm: z.string(),
  local_account_id: z.string(),
  username: z.string(),
});
const UnifiedCache = z.looseObject({
  Account: z.record(z.string(), Account),
  IdToken: z.record(z.string(), Credential),
  AccessToken: z.record(z.string(), Credential.extend({ target: z.string(), realm: z.string() })),
  RefreshToken: z.record(z.string(), Credential),
  AppMetadata: z.record(z.string(), z.looseObject({ client_id: z.string(), environment: z.string() })),
});

export type CacheCheck =
  | { readonly ok: true; readonly refreshToken: string; readonly accessToken: string | undefined }
  | { readonly ok: false; readonly why: string };

/**
 * What Hunter's MSAL client needs to acquire a token silently: a unified cache with an account
 * and a refresh token issued to this client id (and, when the authority is known, for its host).
 */
export function checkTokenCache(
  file: ContainerFile | undefined,
  clientId: string,
  authorityHosts: readonly string[] | undefined,
): CacheCheck {
  if (!file) return { ok: false, why: 'no token cache file' };
  let json: unknown;
  try {
    json = JSON.parse(file.content.toString('utf8'));
  } catch {
    return { ok: false, why: 'token cache is not JSON' };
  }
  const parsed = UnifiedCache.safeParse(json);
  if (!parsed.success) return { ok: false, why: 'token cache is not an MSAL unified cache' };
  const cache = parsed.data;
  const hostMatches = (environment: string) =>
    authorityHosts === undefined || authorityHosts.includes(environment);
  const refresh = Object.values(cache.RefreshToken).find(
    (rt) =>
      rt.credential_type === 'RefreshToken' &&
      rt.client_id === clientId &&
      rt.secret !== '' &&
      hostMatches(rt.environment) &&
      Object.values(cache.Account).some((a) => a.home_account_id === rt.home_account_id),
  );
  if (!refresh) return { ok: false, why: 'no account with a refresh token for this client id' };
  const access = Object.values(cache.AccessToken).find(
    (at) => at.home_account_id === refresh.home_account_id && at.client_id === clientId && at.secret !== '',
  );
  return { ok: true, refreshToken: refresh.secret, accessToken: access?.secret };
}

/** The host MSAL keys a cache by, for the authority behind a token URL (with and without port). */
export function authorityHostsOf(tokenUrl: string): string[] {
  const url = new URL(tokenUrl);
  return url.port === '' ? [url.hostname] : [url.host, url.hostname];
}

/** The 'corrupt' fault: what a half-written file looks like. */
export function garble(content: Buffer): Buffer {
  const half = content.subarray(0, Math.floor(content.length / 2));
  return Buffer.concat([half, Buffer.from('\u0000\u0000\ufffd')]);
}
