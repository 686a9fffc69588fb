import type { Dispatcher } from 'undici';
import type { EnvironmentConfig } from '../config/config.ts';
import { DEFAULT_SCOPE, SCOPE_VAR } from '../config/expect.ts';
import type { LoginParams } from './login.ts';

export type ParamsResult = { ok: true; params: LoginParams } | { ok: false; problem: string };

/**
 * The login as Hunter itself would do it (runbook Phase 2): client and tenant from Hunter's env
 * file, the authority from the config with `{tenantId}` filled, the scope from the env file or
 * the Partner Center default. The same authority matters: MSAL keys the cache by its host.
 */
export function loginParamsFor(
  env: EnvironmentConfig,
  envEntries: ReadonlyMap<string, string>,
  dispatcher?: Dispatcher,
): ParamsResult {
  const clientId = envEntries.get('HUNTER_PARTNER_CENTER_CLIENT_ID')?.trim() ?? '';
  const tenantId = envEntries.get('HUNTER_PARTNER_CENTER_TENANT_ID')?.trim() ?? '';
  if (!clientId || !tenantId) {
    return {
      ok: false,
      problem: 'HUNTER_PARTNER_CENTER_CLIENT_ID and _TENANT_ID must be set in the env file',
    };
  }
  if (!/^[A-Za-z0-9.-]+$/.test(tenantId))
    return { ok: false, problem: 'HUNTER_PARTNER_CENTER_TENANT_ID is not a tenant id' };
  const scope = env.auth.scope ?? (envEntries.get(SCOPE_VAR)?.trim() || DEFAULT_SCOPE);
  return {
    ok: true,
    params: {
      clientId,
      tenantId,
      authority: env.auth.authority.replaceAll('{tenantId}', tenantId),
      knownAuthorities: env.auth.knownAuthorities,
      scope,
      timeoutMs: env.auth.loginTimeout,
      ...(dispatcher ? { dispatcher } : {}),
    },
  };
}
