import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type OpsHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HealthReport {
  readonly ok: boolean;
  readonly [part: string]: unknown;
}

export interface OpsSources {
  readonly health: () => Promise<HealthReport>;
  readonly metrics: () => Promise<{ contentType: string; body: string }>;
}

/** `GET /healthz` (200 healthy, 503 not) and `GET /metrics` (Prometheus text). */
export function opsRoutes(sources: OpsSources): { path: string; handler: OpsHandler }[] {
  return [
    {
      path: '/healthz',
      handler: (_req, res) => {
        sources.health().then(
          (report) => send(res, report.ok ? 200 : 503, 'application/json', JSON.stringify(report)),
          (error: unknown) =>
            send(res, 503, 'application/json', JSON.stringify({ ok: false, error: String(error) })),
        );
      },
    },
    {
      path: '/metrics',
      handler: (_req, res) => {
        sources.metrics().then(
          ({ contentType, body }) => send(res, 200, contentType, body),
          () => send(res, 500, 'text/plain', 'metrics unavailable\n'),
        );
      },
    },
  ];
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * The ops endpoints on their own server, never on the port Slack reaches: they list
 * environments and pending approvals. Bound to 127.0.0.1 unless the operator says otherwise.
 */
export async function startOpsServer(
  sources: OpsSources,
  port: number,
  host: string,
): Promise<{ server: Server; url: string }> {
  const routes = new Map(opsRoutes(sources).map((r) => [r.path, r.handler]));
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = req.method === 'GET' ? routes.get(path) : undefined;
    if (handler) handler(req, res);
    else send(res, 404, 'text/plain', 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, url: `http://${host}:${(server.address() as AddressInfo).port}` };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
