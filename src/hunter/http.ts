import { type Dispatcher, request } from 'undici';
import type { Http, HttpRequest, HttpResult } from './port.ts';

const BODY_CAP = 256 * 1024;

export interface HttpOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly dispatcher?: Dispatcher;
}

/** Hunter's HTTP API over undici: a deadline on every request, redirects never followed. */
export function createHttp(options: HttpOptions): Http {
  const base = options.baseUrl.replace(/\/+$/, '');
  const urlOf = (path: string) => `${base}${path}`;
  return {
    urlOf,
    async request(req: HttpRequest): Promise<HttpResult> {
      const started = performance.now();
      const ms = () => Math.round(performance.now() - started);
      const timeoutMs = req.timeoutMs ?? options.timeoutMs;
      const deadline = AbortSignal.timeout(timeoutMs);
      try {
        const response = await request(urlOf(req.path), {
          method: req.method,
          headers: { accept: 'application/json', ...req.headers },
          body: req.body,
          signal: AbortSignal.any([req.signal, deadline]),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        });
        const body = await readCapped(response.body);
        const contentType = String(response.headers['content-type'] ?? '');
        return { ok: true, status: response.statusCode, contentType, body, ms: ms() };
      } catch (error) {
        if (req.signal.aborted)
          return { ok: false, reason: 'cancelled', message: 'request cancelled', ms: ms() };
        if (deadline.aborted) {
          return { ok: false, reason: 'timeout', message: `no answer within ${timeoutMs} ms`, ms: ms() };
        }
        return { ok: false, ...describeNetworkError(error), ms: ms() };
      }
    },
  };
}

async function readCapped(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > BODY_CAP) {
      body.destroy();
      break;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeNetworkError(error: unknown): { reason: 'refused' | 'error'; message: string } {
  const cause = (error as { cause?: { code?: string } }).cause;
  const code = (error as { code?: string }).code ?? cause?.code ?? '';
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return { reason: 'refused', message: `connection failed (${code})` };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { reason: 'error', message: code ? `${code}: ${text}` : text };
}
