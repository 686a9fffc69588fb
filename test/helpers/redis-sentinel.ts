import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { pollUntil } from './poll.ts';
import { freePort } from './redis-cluster.ts';

/** A primary and one Sentinel that monitors it, on loopback, for one test file. */
export interface RedisSentinelUnderTest {
  /** The name Sentinel knows the primary by (`sentinel monitor <name> …`). */
  readonly name: string;
  readonly sentinelPort: number;
  readonly primaryPort: number;
  /** `redis-cli -p <port> <args…>`; its trimmed stdout. */
  cli(port: number, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** `redis-server` twice, the second with `--sentinel`: only redis-server and redis-cli needed. */
export async function startRedisSentinel(name = 'pcv-test'): Promise<RedisSentinelUnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'pcv-sentinel-'));
  const children: ResultPromise[] = [];
  const stop = async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.allSettled(children);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const primaryPort = await freePort();
    children.push(
      execa(
        'redis-server',
        [
          '--port',
          String(primaryPort),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
        ],
        { reject: false, stdout: 'ignore', stderr: 'ignore' },
      ),
    );
    await answersPing(primaryPort);
    const sentinelPort = await freePort();
    // Sentinel rewrites its config file: it must be a file of its own, writable.
    const conf = join(dir, 'sentinel.conf');
    await writeFile(
      conf,
      `port ${sentinelPort}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor ${name} 127.0.0.1 ${primaryPort} 1\n`,
    );
    children.push(
      execa('redis-server', [conf, '--sentinel'], { reject: false, stdout: 'ignore', stderr: 'ignore' }),
    );
    await pollUntil(
      async () => {
        const reply = await cli(sentinelPort, 'sentinel', 'get-master-addr-by-name', name).catch(() => '');
        return reply.includes(String(primaryPort)) ? true : undefined;
      },
      { what: `Sentinel on ${sentinelPort} to know ${name}`, timeoutMs: 10_000, intervalMs: 100 },
    );
    return { name, sentinelPort, primaryPort, cli, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function cli(port: number, ...args: string[]): Promise<string> {
  return String((await execa('redis-cli', ['-p', String(port), ...args], { timeout: 10_000 })).stdout).trim();
}

function answersPing(port: number): Promise<true> {
  return pollUntil(
    () =>
      cli(port, 'ping').then(
        (r) => (r === 'PONG' ? true : undefined),
        () => undefined,
      ),
    {
      what: `redis-server on ${port}`,
      timeoutMs: 10_000,
    },
  );
}
