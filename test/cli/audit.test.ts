import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditVerifyCommand } from '../../src/cli/audit.ts';
import type { EnvName } from '../../src/domain/ids.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { keysFor } from '../../src/store/keys.ts';
import { REDIS_URL, uniqueName } from '../helpers/services.ts';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const env = 'staging' as EnvName;
const deployment = uniqueName('audit').replaceAll('_', '-');
const keys = keysFor(deployment);
let redis: Redis;
let dir: string;
let config: string;

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  dir = await mkdtemp(join(tmpdir(), 'pcv-audit-'));
  config = join(dir, 'pc-verify.yml');
  await writeFile(
    config,
    `deployment: ${deployment}
environments:
  staging:
    tier: staging
    api: { baseUrl: "http://127.0.0.1:1" }
    database: { url: "postgres://x@127.0.0.1/x" }
    driver: { kind: compose, projectDir: /tmp }
`,
  );
});
afterAll(async () => {
  const found = await redis.keys(`${keys.prefix}*`);
  if (found.length > 0) await redis.del(...found);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

async function verify(): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await auditVerifyCommand(
    { env: 'staging', config },
    { out: (t) => out.push(t), err: (t) => out.push(t) },
  );
  return { code, out: out.join('\n') };
}

describe('pc-verify audit verify <env>', () => {
  it('exits 0 on an intact chain and 1, naming the entry, once an entry was removed', async () => {
    const audit = new AuditLog(redis, keys);
    for (const action of ['run.start', 'flag.off', 'run.finished'])
      await audit.append(env, {
        at: new Date().toISOString(),
        actor: 'U0ALICE0001',
        action,
        outcome: 'info',
      });
    expect(await verify()).toEqual({ code: 0, out: 'audit staging: 3 entries, chain intact' });

    const [, middle] = await audit.entries(env);
    await redis.xdel(keys.audit(env), middle!.id);
    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('audit staging: BROKEN at');
    expect(broken.out).toContain('missing or was changed');
  });
});

/** A port nothing listens on: bound once by this process, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('pc-verify audit verify <env> with Redis unreachable', () => {
  it('says in one line what failed, what it expected and what to do, and exits 2, not 1 ("broken")', async () => {
    const port = await closedPort();
    // A real process: ioredis' unhandled error events would reach its stderr, not a test's io.
    const res = await execa(
      'node',
      ['--import', 'tsx', CLI, 'audit', 'verify', 'staging', '--config', config],
      {
        reject: false,
        timeout: 60_000,
        env: { REDIS_URL: `redis://:not-to-be-shown@127.0.0.1:${port}` },
      },
    );
    expect(res.exitCode).toBe(2);
    expect(res.stdout).toBe('');
    const lines = String(res.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`audit staging: NOT CHECKED: Redis at 127.0.0.1:${port} did not answer`);
    expect(lines[0]).toContain('ECONNREFUSED');
    expect(lines[0]).toContain('point the config or REDIS_URL at it');
    expect(lines[0]).not.toContain('not-to-be-shown');
  });

  it('names the cluster nodes when no node of a configured Cluster answers', async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const file = join(dir, 'cluster.yml');
    await writeFile(
      file,
      `redis: { cluster: ["redis://127.0.0.1:${a}", "redis://127.0.0.1:${b}"] }\n${await readFile(config, 'utf8')}`,
    );
    const lines: string[] = [];
    const code = await auditVerifyCommand(
      { env: 'staging', config: file },
      { out: (t) => lines.push(t), err: (t) => lines.push(t) },
      {},
    );
    expect(code).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `NOT CHECKED: Redis Cluster (nodes 127.0.0.1:${a}, 127.0.0.1:${b}) did not answer`,
    );
    // ioredis says no more than this for a cluster none of whose nodes accepts a connection.
    expect(lines[0]).toContain('Failed to refresh slots cache');
  });
});
