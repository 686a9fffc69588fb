import { type Dispatcher, request } from 'undici';
import type { PyError } from './tracebacks.ts';

/** Each outbound call of the worker gives up after this long, like Hunter's httpx timeout. */
const CALL_TIMEOUT_MS = 5_000;

export type Call<T> = { ok: true; value: T } | { ok: false; error: PyError; detail: string };

const CLIENT_FRAME = [
  '/app/app/core/partner_center/client.py',
  88,
  'get_referrals',
  'response = await client.get(url, headers=self._headers(token))',
] as const;
const HTTPX_FRAME = [
  '/usr/local/lib/python3.11/site-packages/httpx/_transports/default.py',
  69,
  'map_httpcore_exceptions',
  'raise mapped_exc(message) from exc',
] as const;
const AUTH_FRAME = [
  '/app/app/core/partner_center/auth.py',
  54,
  'get_access_token',
  'raise TokenAcquisitionError(f"Token acquisition failed: {result.get(\'error\')}")',
] as const;

export interface RefreshRequest {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly scope: string;
  readonly refreshToken: string;
  readonly dispatcher: Dispatcher | undefined;
  readonly signal: AbortSignal;
}

/** MSAL's `acquire_token_silent` when the access token must be renewed: a refresh_token grant. */
export async function refreshAccessToken(req: RefreshRequest): Promise<Call<string>> {
  const form = new URLSearchParams({
    client_id: req.clientId,
    grant_type: 'refresh_token',
    refresh_token: req.refreshToken,
    scope: `${req.scope} offline_access openid profile`,
    client_info: '1',
  });
  try {
    const res = await request(req.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal: AbortSignal.any([req.signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]),
      ...(req.dispatcher ? { dispatcher: req.dispatcher } : {}),
    });
    const body = (await res.body.json().catch(() => ({}))) as {
      access_token?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    if (res.statusCode === 200 && typeof body.access_token === 'string' && body.access_token !== '') {
      return { ok: true, value: body.access_token };
    }
    const code = typeof body.error === 'string' ? body.error : `http_${res.statusCode}`;
    // Hunter logs MSAL's error_description too (its first line: the AADSTS code and why).
    const why = typeof body.error_description === 'string' ? body.error_description.split(/\r?\n/)[0] : '';
    return { ok: false, error: tokenError(code), detail: why ? `${code}: ${why}` : code };
  } catch (error) {
    return { ok: false, error: tokenError('network_error'), detail: networkCode(error) };
  }
}

function tokenError(code: string): PyError {
  return {
    type: 'app.core.partner_center.auth.TokenAcquisitionError',
    message: `Token acquisition failed: ${code}`,
    frames: [AUTH_FRAME],
  };
}

/** GET the referrals list with the bearer token; failures read as httpx would raise them. */
export async function fetchReferrals(
  apiUrl: string,
  accessToken: string,
  signal: AbortSignal,
): Promise<Call<readonly unknown[]>> {
  const url = `${apiUrl.replace(/\/+$/, '')}/v1/referrals`;
  if (!/^https?:\/\//.test(url)) {
    const message = "Request URL is missing an 'http://' or 'https://' protocol.";
    return {
      ok: false,
      error: { type: 'httpx.UnsupportedProtocol', message, frames: [CLIENT_FRAME] },
      detail: message,
    };
  }
  try {
    const res = await request(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]),
    });
    const body = (await res.body.json().catch(() => undefined)) as { value?: unknown } | undefined;
    if (res.statusCode !== 200) {
      const kind = res.statusCode < 500 ? 'Client' : 'Server';
      const reason = STATUS_REASONS[res.statusCode];
      // httpx's raise_for_status(): "Client error '401 Unauthorized' for url '…'".
      const message = `${kind} error '${res.statusCode}${reason ? ` ${reason}` : ''}' for url '${url}'`;
      return {
        ok: false,
        error: { type: 'httpx.HTTPStatusError', message, frames: [CLIENT_FRAME] },
        detail: message,
      };
    }
    return { ok: true, value: Array.isArray(body?.value) ? body.value : [] };
  } catch (error) {
    const code = networkCode(error);
    return { ok: false, error: networkError(code), detail: code };
  }
}

const STATUS_REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = (error as { code?: unknown }).code ?? cause?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown';
}

function networkError(code: string): PyError {
  const frames = [CLIENT_FRAME, HTTPX_FRAME];
  if (code === 'ECONNREFUSED')
    return { type: 'httpx.ConnectError', message: '[Errno 111] Connection refused', frames };
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return { type: 'httpx.ConnectTimeout', message: 'timed out', frames };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { type: 'httpx.ConnectError', message: '[Errno -2] Name or service not known', frames };
  }
  return {
    type: 'httpx.RemoteProtocolError',
    message: 'Server disconnected without sending a response.',
    frames,
  };
}
