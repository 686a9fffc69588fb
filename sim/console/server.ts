import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import type { FakeAad } from '../aad/index.ts';
import type { FakeSlackApi } from '../slack/index.ts';
import type { BotDoor } from './door.ts';
import type { ConsoleMemory } from './local-ephemerals.ts';
import { consolePage } from './page.ts';
import { PEOPLE, personById, REQUESTER } from './people.ts';
import { ActionBody, CommandBody, HomeOpenedBody, SigninForm, ViewQuery, ViewSubmitBody } from './schema.ts';
import { signinPage } from './signin-page.ts';
import type { ConsoleView } from './view.ts';

const ASSETS = new Map([
  ['/assets/client.js', 'text/javascript; charset=utf-8'],
  ['/assets/console.css', 'text/css; charset=utf-8'],
  ['/assets/signin.css', 'text/css; charset=utf-8'],
]);
const MAX_BODY = 64 * 1024;
const SSE_CHECK_MS = 150;

export interface ConsoleServerDeps {
  readonly api: FakeSlackApi;
  readonly aad: FakeAad;
  readonly door: BotDoor;
  readonly view: ConsoleView;
  readonly memory: ConsoleMemory;
  readonly log: (line: string) => void;
}

/** The console's own HTTP server on 127.0.0.1: the page, its assets, its API, the sign-in page. */
export async function startConsoleServer(
  deps: ConsoleServerDeps,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    route(deps, req, res).catch((error: unknown) => {
      deps.log(`console: request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'console error; see the terminal');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(deps: ConsoleServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://console.local');
  const key = `${req.method ?? 'GET'} ${url.pathname}`;
  const asset = ASSETS.get(url.pathname);
  if (req.method === 'GET' && asset !== undefined) {
    const file = new URL(`.${url.pathname}`, import.meta.url);
    return send(res, 200, asset, await readFile(file, 'utf8'));
  }
  switch (key) {
    case 'GET /':
      return send(res, 200, 'text/html; charset=utf-8', consolePage(REQUESTER.id));
    case 'GET /api/view': {
      const query = ViewQuery.safeParse(Object.fromEntries(url.searchParams));
      if (!query.success || personById(query.data.user) === undefined) return badRequest(res);
      return sendJson(res, deps.view.render(query.data));
    }
    case 'GET /api/events':
      return events(deps, req, res);
    case 'POST /api/command':
      return withBody(req, res, CommandBody, async (body) => deps.door.command(body.user, body.text));
    case 'POST /api/action':
      return withBody(req, res, ActionBody, async (body) => deps.door.click(body));
    case 'POST /api/view-submit':
      return withBody(req, res, ViewSubmitBody, async (body) => deps.door.submitView(body));
    case 'POST /api/home-opened':
      return withBody(req, res, HomeOpenedBody, async (body) => deps.door.homeOpened(body.user));
    case 'GET /devicelogin':
      return send(res, 200, 'text/html; charset=utf-8', signinPage());
    case 'POST /devicelogin':
      return signin(deps, req, res);
    default:
      return send(res, 404, 'text/plain; charset=utf-8', 'not found');
  }
}

async function withBody<S extends z.ZodType>(
  req: IncomingMessage,
  res: ServerResponse,
  schema: S,
  act: (body: z.infer<S>) => Promise<void>,
): Promise<void> {
  const raw = await readBody(req);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return badRequest(res);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return badRequest(res);
  const person = (parsed.data as { user?: string }).user;
  if (person !== undefined && !PEOPLE.some((p) => p.id === person)) return badRequest(res);
  await act(parsed.data);
  sendJson(res, { ok: true });
}

async function signin(deps: ConsoleServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = SigninForm.safeParse(Object.fromEntries(new URLSearchParams(await readBody(req))));
  if (!form.success)
    return send(res, 400, 'text/html; charset=utf-8', signinPage('Enter the code from your DM.'));
  const { code, decision } = form.data;
  try {
    if (decision === 'approve')
      deps.aad.approve(code, { username: 'alice@contoso.example', name: REQUESTER.realName });
    else deps.aad.deny(code);
  } catch {
    return send(
      res,
      200,
      'text/html; charset=utf-8',
      signinPage('That code was not recognised. Check the code in your DM.'),
    );
  }
  const done =
    decision === 'approve'
      ? 'You have signed in to pc-verify on your device. You may close this window.'
      : 'Sign-in declined. You may close this window.';
  send(res, 200, 'text/html; charset=utf-8', signinPage(done));
}

/** Server-sent events: one message whenever what a person could see may have changed. */
function events(deps: ConsoleServerDeps, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  let last = -1;
  const tick = () => {
    const version = deps.api.calls().length + deps.api.responses().length + deps.memory.size;
    if (version !== last) {
      last = version;
      res.write(`data: ${version}\n\n`);
    }
  };
  tick();
  const timer = setInterval(tick, SSE_CHECK_MS);
  req.on('close', () => clearInterval(timer));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'Content-Security-Policy':
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

function sendJson(res: ServerResponse, value: unknown): void {
  send(res, 200, 'application/json; charset=utf-8', JSON.stringify(value));
}

function badRequest(res: ServerResponse): void {
  send(res, 400, 'application/json; charset=utf-8', JSON.stringify({ ok: false, error: 'invalid_request' }));
}
