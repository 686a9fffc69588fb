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

async function startPrivateRedis(binary: string): Promise<RedisChoice> {
  const port = await freePort();
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
  const child = spawn(binary, argv, { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPing(url, 10_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { kind: 'ok', url, source: 'private', stop };
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    retryStrategy: (times) => (times * 50 > timeoutMs ? null : 50),
  });
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}
