import type { Dispatcher } from 'undici';
import { fetchReferrals, refreshAccessToken } from './pc-client.ts';
import type { PyValue } from './python.ts';
import type { HunterSettings } from './settings.ts';
import { authorityHostsOf, type ContainerFile, checkTokenCache } from './token-cache.ts';
import type { PyError } from './tracebacks.ts';
import type { HunterAadOptions, HunterFaults } from './types.ts';

export const SYNC_TASK_NAME = 'app.core.tasks.sync_partner_center_referrals_task';

export type LogLevel = 'info' | 'warning' | 'error';

export interface TaskContext {
  readonly taskId: string;
  /** The worker's settings, read when the worker started. */
  readonly settings: HunterSettings;
  readonly faults: HunterFaults;
  readonly tokenCache: ContainerFile | undefined;
  readonly aad: HunterAadOptions | undefined;
  readonly aadDispatcher: Dispatcher | undefined;
  readonly delayMs: number;
  readonly signal: AbortSignal;
  /** One structlog event (the worker prints it as a JSON line). */
  readonly log: (level: LogLevel, event: string, fields?: Record<string, PyValue>) => void;
}

export type TaskOutcome = { ok: true; value: PyValue } | { ok: false; error: PyError };

const counts = (success: number) => ({ success_count: success, failure_count: 0, skipped_count: 0 });

/** `app.core.tasks.sync_partner_center_referrals_task`: skip when OFF, fetch referrals when ON. */
export async function runSyncTask(ctx: TaskContext): Promise<TaskOutcome> {
  const { settings, faults } = ctx;
  if (!settings.enabled && !faults.taskRunsWhileOff) return skip(ctx);
  ctx.log('info', 'partner_center_sync_task_started', { task_id: ctx.taskId });
  ctx.log('info', 'partner_center_sync_started');
  ctx.log('info', 'partner_center_fetching_referrals');
  const token = await accessToken(ctx);
  if (!token.ok) {
    // The broken OFF path still "succeeds": it never needed a token to do its wrong work.
    if (!settings.enabled) {
      ctx.log('warning', 'partner_center_no_token', { reason: 'token_cache_unusable' });
      return { ok: true, value: { status: 'success', ...counts(0) } };
    }
    return raise(ctx, token.error, 'partner_center_token_acquisition_failed', token.detail);
  }
  const fetched = await fetchReferrals(settings.apiUrl, token.value, ctx.signal);
  if (!fetched.ok) return raise(ctx, fetched.error, 'partner_center_fetch_failed', fetched.detail);
  await sleep(ctx.delayMs, ctx.signal);
  if (faults.workerExceptionWhenOn) {
    const error: PyError = {
      type: 'AttributeError',
      message: faults.workerExceptionMessage ?? "'NoneType' object has no attribute 'get'",
      frames: [
        ['/app/app/core/partner_center/sync.py', 131, 'map_referral', "domain = profile.get('domain')"],
      ],
    };
    return raise(ctx, error, 'partner_center_sync_failed', error.message);
  }
  const count = fetched.value.length;
  if (count === 0) ctx.log('info', 'partner_center_no_referrals');
  else ctx.log('info', 'partner_center_referrals_fetched', { count });
  ctx.log('info', 'partner_center_sync_completed', counts(count));
  return { ok: true, value: { status: 'success', ...counts(count) } };
}

async function skip(ctx: TaskContext): Promise<TaskOutcome> {
  if (ctx.faults.enabledInOffLogs) {
    ctx.log('info', 'partner_center_sync_started', { feature_flag: 'enabled', feature_flag_state: true });
  }
  ctx.log('info', 'partner_center_sync_skipped', {
    reason: 'feature_flag_disabled',
    feature_flag_state: false,
  });
  await sleep(Math.min(ctx.delayMs, 5), ctx.signal);
  return { ok: true, value: { status: 'skipped', reason: 'Feature flag disabled', ...counts(0) } };
}

type Token = { ok: true; value: string } | { ok: false; error: PyError; detail: string };

/** The cached token when there is no authority to refresh against; else a refresh_token grant. */
async function accessToken(ctx: TaskContext): Promise<Token> {
  const { settings, aad } = ctx;
  const hosts = aad ? authorityHostsOf(aad.tokenUrl(settings.tenantId)) : undefined;
  const cache = checkTokenCache(ctx.tokenCache, settings.clientId, hosts);
  const failed: PyError = {
    type: 'app.core.partner_center.auth.TokenAcquisitionError',
    message: 'Token acquisition failed. Run setup script to authenticate.',
    frames: [
      ['/app/app/core/partner_center/auth.py', 47, 'get_access_token', 'raise TokenAcquisitionError('],
    ],
  };
  if (!cache.ok) return { ok: false, error: failed, detail: cache.why };
  if (!aad) {
    return cache.accessToken
      ? { ok: true, value: cache.accessToken }
      : { ok: false, error: failed, detail: 'no access token' };
  }
  // MSAL's acquire_token_silent: the cached access token while its hour lasts, whatever
  // happened to the sign-in since; a refresh only once it expired.
  const cached = refreshed.get(cache.refreshToken) ?? cache.accessToken;
  if (cached && aad.accessTokenState && aad.accessTokenState(cached) !== 'expired') {
    return { ok: true, value: cached };
  }
  const renewed = await refreshAccessToken({
    tokenUrl: aad.tokenUrl(settings.tenantId),
    clientId: settings.clientId,
    scope: settings.scope,
    refreshToken: cache.refreshToken,
    dispatcher: ctx.aadDispatcher,
    signal: ctx.signal,
  });
  if (renewed.ok) refreshed.set(cache.refreshToken, renewed.value);
  return renewed;
}

/**
 * The access tokens the worker's MSAL refreshed, by the refresh token they came from (Hunter
 * writes them back to its cache): a new sign-in brings a new refresh token, so a new entry.
 */
const refreshed = new Map<string, string>();

function raise(ctx: TaskContext, error: PyError, event: string, detail: string): TaskOutcome {
  ctx.log('error', event, { error: detail, error_type: error.type.split('.').at(-1) ?? error.type });
  return { ok: false, error };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
