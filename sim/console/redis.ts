import { spawn } from 'node:child_process';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';

export const NO_REDIS_MESSAGE =
  'pc-verify demo --chat needs Redis: install one (apt-get install redis-server) or point REDIS_URL at one (REDIS_URL=redis://host:6379).';

export type RedisChoice =
  | {
      readonly kind: 'ok';
      readonly url: string;
      readonly source: 'REDIS_URL' | 'private';
      stop(): Promise<void>;
    }
  | { readonly kind: 'missing'; readonly message: string };

/** REDIS_URL when set; else a private redis-server on a free port when one is on PATH; else how to get one. */
export async function chooseRedis(env: Readonly<Record<string, string | undefined>>): Promise<RedisChoice> {
  if (env.REDIS_URL)
    return { kind: 'ok', url: env.REDIS_URL, source: 'REDIS_URL', stop: async () => undefined };
  const binary = await onPath('redis-server', env.PATH ?? '');
  if (binary === undefined) return { kind: 'missing', message: NO_REDIS_MESSAGE };
  return startPrivateRedis(binary);
}

async function onPath(name: string, path: string): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter((d) => d.length > 0)) {
    const candidate = join(dir, name);
    const found = await access(candidate, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (found) return candidate;
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A port picked free can be taken before redis-server binds it: then it starts again on another. */
const START_TRIES = 3;

async function startPrivateRedis(binary: string): Promise<RedisChoice> {
  let last: unknown;
  for (let i = 0; i < START_TRIES; i++) {
    try {
      return await startOnce(binary, await freePort());
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

async function startOnce(binary: string, port: number): Promise<RedisChoice> {
  const dir = await mkdtemp(join(tmpdir(), 'pcv-console-redis-'));
  const argv = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  // Its own process group: Ctrl-C in the terminal goes to the console, which stops the bot
  // while Redis is still there and then this server; a crash still takes it down (on exit).
  const child = spawn(binary, argv, { stdio: 'ignore', detached: true });
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `redis-server exited (${signal ?? `code ${code}`}) before it answered on port ${port}`;
  });
  child.once('error', (error) => {
    exited = `redis-server could not be started: ${error.message}`;
  });
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPing(url, READY_TIMEOUT_MS, () => exited);
  } catch (error) {
    await stop();
    throw error;
  }
  return { kind: 'ok', url, source: 'private', stop };
}

/** A loaded machine can take seconds to start a process; a refused connection until then is expected. */
const READY_TIMEOUT_MS = 20_000;
const READY_POLL_MS = 50;

/**
 * Polls until the private redis-server answers PING, against a deadline. Each attempt is one
 * connection that does not retry on its own and whose errors are handled: a refused connection
 * (the server still starting) is the normal first answer, not a crash. A server that exited
 * stops the wait at once.
 */
async function waitForPing(url: string, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  for (;;) {
    const gone = exited();
    if (gone) throw new Error(gone);
    const answer = await pingOnce(url, Math.max(100, deadline - Date.now()));
    if (answer === true) return;
    lastError = answer;
    if (Date.now() >= deadline)
      throw new Error(
        `the private redis-server at ${url} did not answer within ${timeoutMs} ms: ${lastError}`,
      );
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

async function pingOnce(url: string, timeoutMs: number): Promise<true | string> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.min(timeoutMs, 2_000),
    retryStrategy: () => null,
  });
  let seen = '';
  redis.on('error', (error: Error) => {
    seen = error.message;
  });
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch (error) {
    return seen || (error instanceof Error ? error.message : String(error));
  } finally {
    redis.disconnect();
  }
}
