import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { pollUntil } from './poll.ts';

/** A real Redis Cluster of three masters (no replicas) on loopback, for one test file. */
export interface RedisClusterUnderTest {
  /** `redis://127.0.0.1:P` of every master: the seed nodes a client is given. */
  readonly nodes: readonly string[];
  readonly ports: readonly number[];
  /** `redis-cli -p <port> <args…>` against one node; its trimmed stdout. */
  cli(port: number, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

const MASTERS = 3;

/**
 * Starts `redis-server --cluster-enabled yes` three times in a temp dir, joins them with
 * `redis-cli --cluster create … --cluster-yes` and waits until every node says
 * `cluster_state:ok`. Needs only redis-server and redis-cli on PATH (scripts/services.sh).
 */
export async function startRedisCluster(): Promise<RedisClusterUnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'pcv-cluster-'));
  const children: ResultPromise[] = [];
  const ports: number[] = [];
  const cli = async (port: number, ...args: string[]) =>
    String((await execa('redis-cli', ['-p', String(port), ...args], { timeout: 10_000 })).stdout).trim();
  const stop = async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.allSettled(children);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < MASTERS; i++) {
      const port = await clusterPort(ports);
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir);
      ports.push(port);
      children.push(
        execa(
          'redis-server',
          [
            ...['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'],
            ...['--cluster-config-file', join(nodeDir, 'nodes.conf'), '--dir', nodeDir],
            ...['--save', '', '--appendonly', 'no'],
          ],
          { reject: false, stdout: 'ignore', stderr: 'ignore' },
        ),
      );
    }
    for (const port of ports) {
      await pollUntil(
        () =>
          cli(port, 'ping').then(
            (r) => (r === 'PONG' ? true : undefined),
            () => undefined,
          ),
        {
          what: `redis-server --cluster-enabled on ${port}`,
          timeoutMs: 10_000,
        },
      );
    }
    await execa(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { timeout: 30_000 },
    );
    for (const port of ports) {
      await pollUntil(
        async () => {
          const info = await cli(port, 'cluster', 'info');
          return info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${MASTERS}`)
            ? true
            : undefined;
        },
        { what: `cluster_state:ok on ${port}`, timeoutMs: 20_000, intervalMs: 100 },
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes: ports.map((p) => `redis://127.0.0.1:${p}`), ports, cli, stop };
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function clusterPort(taken: readonly number[]): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await listenOnce(0);
    if (port + 10_000 > 65_535 || taken.includes(port)) continue;
    if ((await listenOnce(port + 10_000).catch(() => undefined)) !== undefined) return port;
  }
  throw new Error('no free port pair (P, P+10000) for a cluster node');
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return listenOnce(0);
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as { port: number }).port;
      server.close(() => resolve(bound));
    });
  });
}
