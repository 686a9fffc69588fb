import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { type Dispatcher, request } from 'undici';

export interface NetworkOptions {
  /** Deadline of one request to Azure AD. */
  readonly timeoutMs: number;
  /** Extra TLS trust (a private CA, the test's fake Azure AD); never a switch that turns checking off. */
  readonly dispatcher?: Dispatcher;
  /** Aborts every request in flight and refuses new ones: a cancelled login stops at once. */
  readonly signal: AbortSignal;
  /** What Azure AD answered with an `error`, so outcomes can be mapped from data, not message text. */
  readonly onServerError?: (endpoint: 'devicecode' | 'token', error: ServerErrorBody) => void;
  /** Waits before a `slow_down` is retried (RFC 8628 §3.5: add 5 s to the interval). */
  readonly slowDownDelay?: (signal: AbortSignal) => Promise<void>;
}

export interface ServerErrorBody {
  readonly error: string;
  readonly codes: readonly number[];
}

/**
 * MSAL's HTTP layer on undici: a deadline per request, cancellation, optional extra trust.
 *
 * MSAL polls on `authorization_pending` but throws on `slow_down`; RFC 8628 says to keep
 * polling the same code, slower. So a `slow_down` answer is held back for the extra wait
 * and handed to MSAL as `authorization_pending`: the same device code keeps polling.
 */
export function createNetworkModule(options: NetworkOptions): INetworkModule {
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    init?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    options.signal.throwIfAborted();
    const response = await request(url, {
      method,
      headers: init?.headers ?? {},
      body: init?.body,
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    const text = await response.body.text();
    const headers = Object.fromEntries(
      Object.entries(response.headers).map(([k, v]) => [
        k.toLowerCase(),
        Array.isArray(v) ? v.join(', ') : String(v),
      ]),
    );
    const body = parseBody(text);
    const status = response.statusCode;
    const serverError = readServerError(body);
    if (serverError && method === 'POST') {
      const endpoint = url.includes('/devicecode') ? 'devicecode' : 'token';
      options.onServerError?.(endpoint, serverError);
      // MSAL reads a refused device-code request as a code of `undefined` and starts polling with
      // it; stop here instead, so the refusal itself (AADSTS…) is what gets reported.
      if (endpoint === 'devicecode') throw new Error(`device code refused by Azure AD: ${serverError.error}`);
      if (serverError.error === 'slow_down' && endpoint === 'token') {
        await (options.slowDownDelay ?? defaultSlowDown)(options.signal);
        return { headers, status, body: { ...(body as object), error: 'authorization_pending' } as T };
      }
    }
    return { headers, status, body: body as T };
  };
  return {
    sendGetRequestAsync: (url, init) => send('GET', url, init),
    sendPostRequestAsync: (url, init) => send('POST', url, init),
  };
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

function readServerError(body: unknown): ServerErrorBody | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body) || typeof body.error !== 'string')
    return undefined;
  const codes =
    'error_codes' in body && Array.isArray(body.error_codes) ? body.error_codes.filter(Number.isInteger) : [];
  return { error: body.error, codes };
}

function defaultSlowDown(signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, 5_000);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
