import type { RequiredEnvVar } from './types.ts';

export const FLAG_VAR = 'HUNTER_PARTNER_CENTER_ENABLED';
export const DEFAULT_CLIENT_ID = '0f9e3c7a-5b1d-4e2f-8a6c-3d7b9e1f2a4c';
export const DEFAULT_TENANT_ID = 'b7c1d2e3-4f5a-4b6c-9d8e-7f6a5b4c3d2e';
export const DEFAULT_SCOPE = 'https://api.partnercenter.microsoft.com/user_impersonation';

export interface InitialEnv {
  flag: boolean;
  clientId: string;
  tenantId: string;
  scope: string;
  apiUrl: string;
  emptyVar: RequiredEnvVar | null;
  /** More `NAME=value` lines, as a real `.env` has (tests plant secrets there). */
  extra?: readonly string[];
}

/** The project's `.env`: the Partner Center block plus the unrelated lines a real one has. */
export function initialEnvText(env: InitialEnv): string {
  const value = (name: RequiredEnvVar, v: string) => (env.emptyVar === name ? '' : v);
  return [
    '# Dyn365Hunter settings, read by api and worker at start-up (pydantic settings, prefix HUNTER_)',
    'ENVIRONMENT=development',
    'LOG_LEVEL=INFO',
    'DATABASE_URL=postgresql+psycopg2://dyn365hunter@postgres:5432/dyn365hunter',
    'REDIS_URL=redis://redis:6379/0',
    '',
    '# Partner Center integration (feature flag; see the activation plan before turning it on)',
    `${FLAG_VAR}=${env.flag ? 'true' : 'false'}`,
    `HUNTER_PARTNER_CENTER_CLIENT_ID=${value('HUNTER_PARTNER_CENTER_CLIENT_ID', env.clientId)}`,
    `HUNTER_PARTNER_CENTER_TENANT_ID=${value('HUNTER_PARTNER_CENTER_TENANT_ID', env.tenantId)}`,
    `HUNTER_PARTNER_CENTER_API_URL=${value('HUNTER_PARTNER_CENTER_API_URL', env.apiUrl)}`,
    `HUNTER_PARTNER_CENTER_SCOPE=${env.scope}`,
    ...(env.extra && env.extra.length > 0 ? ['', ...env.extra] : []),
    '',
  ].join('\n');
}

/**
 * Reads a `.env` the way compose and python-dotenv do for the cases that matter: comments,
 * blank lines, `export `, single or double quotes, and ` #` comments after unquoted values.
 * Lines that are not assignments are skipped (compose would complain; Hunter's loader ignores them).
 */
export function parseDotenv(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    entries.set(match[1]!, unquote(match[2]!));
  }
  return entries;
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
    const inner = value.slice(1, value.lastIndexOf(quote));
    return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : inner;
  }
  return value.replace(/\s+#.*$/, '').trim();
}

export type BoolSetting = { ok: true; value: boolean } | { ok: false; input: string };

/** Pydantic's bool parsing: unset means the default (false); anything unrecognised fails start-up. */
export function parseBoolSetting(value: string | undefined): BoolSetting {
  if (value === undefined) return { ok: true, value: false };
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on', 't', 'y'].includes(v)) return { ok: true, value: true };
  if (['false', '0', 'no', 'off', 'f', 'n'].includes(v)) return { ok: true, value: false };
  return { ok: false, input: value };
}
