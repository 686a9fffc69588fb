import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STDIN_TO_FILE_SCRIPT as SIMULATED_SCRIPT } from '../../sim/hunter/compose/sh.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { EnvName } from '../../src/domain/ids.ts';
import { STDIN_TO_FILE_SCRIPT, stdinToFileArgv } from '../../src/hunter/stdin-to-file.ts';
import { installCache } from '../../src/phases/phase2.ts';
import { simContext } from '../helpers/sim-env.ts';

// The token cache goes to a real file on this machine through a local `commands` driver (a
// systemd host: the api on the same machine, no docker or ssh in between). Node gives such a
// child a socket for stdin, so a command that opens /dev/stdin fails here.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcv-cmd-driver-'));
  await writeFile(join(dir, '.env'), 'HUNTER_PARTNER_CENTER_ENABLED=false\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function localEnvironment(installTokenCache: readonly string[], cachePath: string) {
  const noop = ['true'];
  const config = parseConfig(
    JSON.stringify({
      environments: {
        staging: {
          tier: 'staging',
          api: { baseUrl: 'http://127.0.0.1:9' },
          database: { url: 'postgres://h@127.0.0.1:9/h' },
          driver: {
            kind: 'commands',
            envFile: join(dir, '.env'),
            cwd: dir,
            commandTimeout: '10s',
            commands: {
              migrate: noop,
              apply: noop,
              celeryCall: noop,
              celeryResult: noop,
              logs: noop,
              readEnv: ['printenv'],
              installTokenCache,
              tokenCacheDigest: ['sha256sum', cachePath],
            },
          },
        },
      },
    }),
    'test',
    {},
  );
  return config.environments.get('staging' as EnvName)!;
}

const CACHE = '{"Account": {"k": {"username": "quote \\" and \'single\'"}}, "RefreshToken": {}}\n';

describe('the token-cache handoff through a local commands driver', () => {
  it('writes the cache into a real file, mode 0600, replacing an older file and a stale temp file', async () => {
    const cachePath = join(dir, '.token_cache');
    await writeFile(cachePath, 'an older cache', { mode: 0o644 });
    await writeFile(`${cachePath}.tmp`, 'left by a crash', { mode: 0o666 });
    await chmod(`${cachePath}.tmp`, 0o666);
    const { ctx } = simContext(localEnvironment(stdinToFileArgv(cachePath), cachePath));

    const outcome = await installCache(ctx, CACHE);

    expect(outcome).toMatchObject({ status: 'pass' });
    expect(await readFile(cachePath, 'utf8')).toBe(CACHE);
    expect((await stat(cachePath)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(expect.not.arrayContaining(['.token_cache.tmp']));
    const digest = createHash('sha256').update(CACHE).digest('hex');
    expect(outcome.observed).toContain(digest.slice(0, 12));
  });

  it('explains the fix when the configured command opens /dev/stdin (the socket Node gives it)', async () => {
    const cachePath = join(dir, '.token_cache');
    const { ctx } = simContext(
      localEnvironment(['install', '-m', '600', '/dev/stdin', cachePath], cachePath),
    );

    const outcome = await installCache(ctx, CACHE);

    expect(outcome.status).toBe('fail');
    expect(outcome.observed).toContain("cannot open '/dev/stdin'");
    expect(outcome.status === 'fail' && outcome.hint).toContain(STDIN_TO_FILE_SCRIPT);
    expect(outcome.observed).not.toContain('single');
  });

  it('leaves the old cache whole when stdin cannot be written into the file', async () => {
    const cachePath = join(dir, 'no-such-dir', '.token_cache');
    const { ctx } = simContext(localEnvironment(stdinToFileArgv(cachePath), cachePath));

    const outcome = await installCache(ctx, CACHE);

    expect(outcome.status).toBe('fail');
    expect(await readdir(dir)).toEqual(['.env']);
  });
});

describe('the handoff script', () => {
  it('is the one the simulator accepts, so the compose driver is tested with what it sends', () => {
    expect(SIMULATED_SCRIPT).toBe(STDIN_TO_FILE_SCRIPT);
  });

  it('is what the example config shows, and nothing there opens /dev/stdin', () => {
    const text = readFileSync(fileURLToPath(new URL('../../pc-verify.example.yml', import.meta.url)), 'utf8');
    expect(text).not.toMatch(/^\s+installTokenCache:.*\/dev\/stdin/m);
    const config = parseConfig(text, 'pc-verify.example.yml', {
      HUNTER_STAGING_DATABASE_URL: 'postgres://h@db/h',
      HUNTER_PROD_DATABASE_URL: 'postgres://h@db/h',
    });
    const prod = config.environments.get('prod' as EnvName)!;
    const argv = prod.driver.kind === 'commands' ? prod.driver.commands.installTokenCache : [];
    expect(argv.join(' ')).toContain(`sh -c '${STDIN_TO_FILE_SCRIPT}' sh .token_cache`);
  });
});
