import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the bot posted to one response_url, and when it arrived (performance.now()). */
export interface SunkAnswer {
  readonly body: Record<string, unknown>;
  readonly atMs: number;
}

/**
 * A bare response_url receiver: each URL it hands out resolves once with the first answer
 * posted to it. For callers that have no fake Slack (processes under test, benchmarks) and
 * must time an answer to the millisecond.
 */
export interface ResponseSink {
  newUrl(): string;
  answer(url: string, timeoutMs?: number): Promise<SunkAnswer>;
  close(): Promise<void>;
}

export async function startResponseSink(): Promise<ResponseSink> {
  const arrived = new Map<string, SunkAnswer>();
  const waiting = new Map<string, (answer: SunkAnswer) => void>();
  const server = createServer((req, res) => {
    void readJson(req).then((body) => {
      const atMs = performance.now();
      const path = req.url ?? '/';
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      if (arrived.has(path)) return;
      arrived.set(path, { body, atMs });
      waiting.get(path)?.({ body, atMs });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let counter = 0;
  return {
    newUrl: () => `${origin}/commands/${++counter}/${randomBytes(6).toString('hex')}`,
    answer: (url, timeoutMs = 15_000) => {
      const path = new URL(url).pathname;
      const done = arrived.get(path);
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no answer on ${url} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiting.set(path, (answer) => {
          clearTimeout(timer);
          waiting.delete(path);
          resolve(answer);
        });
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
