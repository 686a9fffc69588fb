import { type AuthenticationResult, LogLevel, PublicClientApplication } from '@azure/msal-node';
import type { Dispatcher } from 'undici';
import { type Translate, translator } from '../i18n/index.ts';
import { createNetworkModule, type ServerErrorBody, type TransportFailure } from './network.ts';
import {
  authHint,
  type FailureEvidence,
  type LoginFailureKind,
  loginFailure,
  maskUsername,
} from './outcome.ts';

/** What the person needs to sign in; goes to the terminal or the requester's DM, nowhere else. */
export interface DeviceCodeHandoff {
  readonly verificationUri: string;
  readonly userCode: string;
  readonly expiresAt: Date;
  readonly message: string;
}

export type LoginOutcome =
  | {
      readonly kind: 'success';
      /** Masked (`o***@c***.example`): for places anyone may read, such as a terminal log. */
      readonly account: string;
      /** Who signed in, in full: approvers and the audit trail must be able to tell two accounts apart. */
      readonly username: string;
      /** The account's object id in its tenant (`oid`). */
      readonly objectId: string;
      readonly cache: string;
      readonly homeAccountId: string;
    }
  | { readonly kind: LoginFailureKind; readonly detail: string; readonly hint: string };

export type SilentOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly detail: string; readonly hint: string };

export interface LoginParams {
  readonly clientId: string;
  readonly tenantId: string;
  /** Full authority URL, `{tenantId}` already filled. */
  readonly authority: string;
  readonly knownAuthorities: readonly string[];
  readonly scope: string;
  /** How long the person has to finish the sign-in. */
  readonly timeoutMs: number;
  /** Deadline of one request to Azure AD. Default 30 s. */
  readonly requestTimeoutMs?: number;
  readonly dispatcher?: Dispatcher;
  /** Wait added after `slow_down` (RFC 8628: 5 s). Tests shorten it. */
  readonly slowDownMs?: number;
  /** Where that wait happens [a real timer]; tests pass one that records it and returns at once. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * The device-code login behind a small interface: msal-js #8836 may drop device code from
 * the next MSAL major, and the phases must not care how the login is done.
 */
export interface Login {
  deviceCode(
    params: LoginParams,
    handoff: (handoff: DeviceCodeHandoff) => Promise<void> | void,
    signal: AbortSignal,
  ): Promise<LoginOutcome>;
  /** A fresh client reads the serialized cache and refreshes a token for the account silently. */
  silent(
    params: LoginParams,
    cache: string,
    homeAccountId: string,
    signal: AbortSignal,
  ): Promise<SilentOutcome>;
}

/** MSAL's device-code and silent flows; what a person reads of a failure is in `t`'s words. */
export function createMsalLogin(t: Translate = translator('en')): Login {
  return {
    deviceCode: (params, handoff, signal) => deviceCodeLogin(params, handoff, signal, t),
    silent: (params, cache, homeAccountId, signal) => silentLogin(params, cache, homeAccountId, signal, t),
  };
}

interface Client {
  readonly pca: PublicClientApplication;
  readonly evidence: (error: unknown, cancelled: boolean) => FailureEvidence;
  readonly stop: AbortController;
}

/** Answers that only mean "keep polling": they explain no failure. */
const NOT_A_FAILURE = new Set(['authorization_pending', 'slow_down']);

/** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
function timerSleep(ms: number, s: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    s.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(s.reason);
      },
      { once: true },
    );
  });
}

function createClient(params: LoginParams, signal: AbortSignal): Client {
  const stop = new AbortController();
  const linked = AbortSignal.any([signal, stop.signal]);
  let lastServerError: ServerErrorBody | undefined;
  let lastTransportError: TransportFailure | undefined;
  const slowDownMs = params.slowDownMs ?? 5_000;
  const networkClient = createNetworkModule({
    timeoutMs: params.requestTimeoutMs ?? 30_000,
    signal: linked,
    ...(params.dispatcher ? { dispatcher: params.dispatcher } : {}),
    onServerError: (_endpoint, error) => {
      if (!NOT_A_FAILURE.has(error.error)) lastServerError = error;
    },
    onTransportError: (failure) => {
      lastTransportError = failure;
    },
    slowDownDelay: (s) => (params.sleep ?? timerSleep)(slowDownMs, s),
  });
  const pca = new PublicClientApplication({
    auth: {
      clientId: params.clientId,
      authority: params.authority,
      knownAuthorities: [...params.knownAuthorities],
    },
    system: {
      networkClient,
      // MSAL's own log stays off: its messages can carry account details, and outcomes are reported by us.
      loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => undefined },
    },
  });
  const evidence = (error: unknown, cancelled: boolean): FailureEvidence => ({
    cancelled,
    serverError: lastServerError,
    transport: lastTransportError,
    msalCode: (error as { errorCode?: string } | null)?.errorCode || 'unknown_error',
  });
  return { pca, evidence, stop };
}

async function deviceCodeLogin(
  params: LoginParams,
  handoff: (handoff: DeviceCodeHandoff) => Promise<void> | void,
  signal: AbortSignal,
  t: Translate,
): Promise<LoginOutcome> {
  // A code nobody received cannot be used: stop polling at once rather than wait for the timeout.
  const undelivered = new AbortController();
  const stopped = AbortSignal.any([signal, undelivered.signal]);
  const client = createClient(params, stopped);
  let handoffDone: Promise<void> = Promise.resolve();
  const request = {
    scopes: [params.scope],
    timeout: Math.ceil(params.timeoutMs / 1000),
    cancel: false,
    deviceCodeCallback: (response: DeviceCodeResponse) => {
      handoffDone = deliver(handoff, toHandoff(response)).catch(() => undelivered.abort());
    },
  };
  // MSAL checks `cancel` only between polls; the abort also stops the request in flight.
  const onStop = () => {
    request.cancel = true;
  };
  stopped.addEventListener('abort', onStop, { once: true });
  try {
    const result = await raceAbort(client.pca.acquireTokenByDeviceCode(request), stopped);
    await handoffDone;
    return success(client.pca, result, t);
  } catch (error) {
    if (undelivered.signal.aborted && !signal.aborted)
      return {
        kind: 'error',
        detail: t('checks.auth.handoffFailed'),
        hint: t('checks.auth.handoffFailedHint'),
      };
    return loginFailure(client.evidence(error, signal.aborted), t);
  } finally {
    stopped.removeEventListener('abort', onStop);
    client.stop.abort();
  }
}

interface DeviceCodeResponse {
  readonly userCode: string;
  readonly verificationUri: string;
  readonly expiresIn: number;
  readonly message: string;
}

function toHandoff(response: DeviceCodeResponse): DeviceCodeHandoff {
  return {
    verificationUri: response.verificationUri,
    userCode: response.userCode,
    expiresAt: new Date(Date.now() + response.expiresIn * 1000),
    message: response.message,
  };
}

/** Runs the caller's handoff so that a synchronous throw is a rejection like any other. */
async function deliver(
  handoff: (handoff: DeviceCodeHandoff) => Promise<void> | void,
  value: DeviceCodeHandoff,
): Promise<void> {
  await handoff(value);
}

async function success(
  pca: PublicClientApplication,
  result: AuthenticationResult | null,
  t: Translate,
): Promise<LoginOutcome> {
  if (!result?.account || !result.accessToken)
    return { kind: 'error', detail: t('checks.auth.noAccount'), hint: authHint('error', t) };
  return {
    kind: 'success',
    account: maskUsername(result.account.username),
    username: result.account.username,
    objectId: result.account.localAccountId || (result.account.homeAccountId.split('.')[0] ?? ''),
    homeAccountId: result.account.homeAccountId,
    cache: pca.getTokenCache().serialize(),
  };
}

async function silentLogin(
  params: LoginParams,
  cache: string,
  homeAccountId: string,
  signal: AbortSignal,
  t: Translate,
): Promise<SilentOutcome> {
  const client = createClient(params, signal);
  const silentHint = t('checks.auth.silentHint');
  try {
    const tokenCache = client.pca.getTokenCache();
    tokenCache.deserialize(cache);
    const account = await tokenCache.getAccountByHomeId(homeAccountId);
    if (!account) return { ok: false, detail: t('checks.auth.noCachedAccount'), hint: silentHint };
    // forceRefresh: prove the refresh token Hunter now holds works, not just that an access token is cached.
    const result = await raceAbort(
      client.pca.acquireTokenSilent({ account, scopes: [params.scope], forceRefresh: true }),
      signal,
    );
    return result?.accessToken
      ? { ok: true }
      : { ok: false, detail: t('checks.auth.noAccessToken'), hint: silentHint };
  } catch (error) {
    const evidence = client.evidence(error, signal.aborted);
    const failure = loginFailure(evidence, t);
    const unreachable = failure.kind === 'error' && !evidence.serverError && evidence.transport !== undefined;
    return { ok: false, detail: failure.detail, hint: unreachable ? failure.hint : silentHint };
  } finally {
    client.stop.abort();
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
