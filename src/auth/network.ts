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
  /**
   * Why Azure AD could not be reached: MSAL reports only `endpoints_resolution_error` or its own
   * wrapper, which tells a person nothing about a firewall or an untrusted certificate.
   */
  readonly onTransportError?: (failure: TransportFailure) => void;
}

/** A failed request to Azure AD, by cause; `code` is the system or TLS error code, never a URL or body. */
export interface TransportFailure {
  readonly kind: 'tls' | 'refused' | 'dns' | 'timeout' | 'cancelled' | 'other';
  readonly code: string;
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
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(url, {
        method,
        headers: init?.headers ?? {},
        body: init?.body,
        signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]),
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
      text = await response.body.text();
    } catch (error) {
      options.onTransportError?.(classifyTransportError(error, options.signal.aborted));
      throw error;
    }
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

const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS|SSL|ALTNAME/i;

export function classifyTransportError(error: unknown, cancelled: boolean): TransportFailure {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = errorCode(error) ?? errorCode(cause) ?? (error as { name?: string } | null)?.name ?? 'unknown';
  if (cancelled) return { kind: 'cancelled', code };
  if (TLS_CODE.test(code)) return { kind: 'tls', code };
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return { kind: 'refused', code };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', code };
  if (/TIMEOUT|TimeoutError|ETIMEDOUT/i.test(code)) return { kind: 'timeout', code };
  return { kind: 'other', code };
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(code) ? code : undefined;
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
