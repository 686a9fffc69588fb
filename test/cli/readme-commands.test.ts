import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../helpers/poll.ts';

/**
 * The README's first commands, run as a newcomer types them: no REDIS_URL, no DATABASE_URL,
 * `redis-server` on PATH (Debian's package). `npm ci` is left out — it would reinstall this
 * checkout's dependencies — and `npm test` is the suite itself: that one is checked to be the
 * command the README names and a script package.json has.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(`${ROOT}README.md`, 'utf8');
const STARTS = 10;

/** The first word-for-word command line of the README that starts with `prefix`, comment dropped. */
function readmeCommand(prefix: string): string[] {
  for (const block of README.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of (block[1] ?? '').split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      for (const part of command.split('&&').map((p) => p.trim())) {
        if (part === prefix) return part.split(/\s+/);
      }
    }
  }
  throw new Error(`the README has no command \`${prefix}\``);
}

/** A newcomer's environment: nothing pointing at a Redis or a PostgreSQL already running. */
function newcomerEnv(): NodeJS.ProcessEnv {
  const { REDIS_URL: _redis, DATABASE_URL: _db, ...env } = process.env;
  return { ...env, PATH: `${env.PATH ?? ''}:/usr/bin:/usr/sbin` };
}

describe("the README's first commands", () => {
  it('names `npm test`, and package.json runs the suite with it', () => {
    const [npm, test] = readmeCommand('npm test');
    expect([npm, test]).toEqual(['npm', 'test']);
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.test).toBeTruthy();
  });

  it('`npm run demo` verifies all four phases against the simulator', async () => {
    const [bin, ...args] = readmeCommand('npm run demo');
    const res = await execa(bin!, args, {
      cwd: ROOT,
      env: newcomerEnv(),
      extendEnv: false,
      reject: false,
      timeout: 180_000,
    });
    expect(res.exitCode, String(res.stderr)).toBe(0);
    expect(String(res.stdout)).toMatch(/PASS/);
  }, 200_000);
});

describe('`npm run demo -- --chat` on a busy machine', () => {
  let hog: ChildProcess;
  beforeAll(() => {
    // A process spinning on a core, as on a shared CI runner: redis-server starts slower.
    hog = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  });
  afterAll(() => {
    hog?.kill('SIGKILL');
  });

  it(`reaches the page ${STARTS} times in a row with a private redis-server`, async () => {
    const [bin, ...args] = readmeCommand('npm run demo -- --chat');
    for (let i = 1; i <= STARTS; i++) {
      const child = spawn(bin!, args, { cwd: ROOT, env: newcomerEnv(), detached: true });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const url = await pollUntil(
          () => {
            if (child.exitCode !== null) throw new Error(`start ${i} exited ${child.exitCode}:\n${err}`);
            return /pc-verify chat console: (http:\/\/\S+)/.exec(out)?.[1];
          },
          { timeoutMs: 90_000, intervalMs: 50, what: `start ${i} to print the page's address` },
        );
        const page = await fetch(url);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('pc-verify');
        expect(err).toContain('private, redis://127.0.0.1:');
        expect(err).not.toMatch(/Unhandled error event|Connection is closed/);
      } finally {
        // The whole group: npm, its shell and the console under it.
        if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
      }
      const code = await Promise.race([
        exited,
        new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 30_000).unref()),
      ]);
      if (code === 'hung' && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      expect(code, `start ${i} did not stop on Ctrl-C:\n${err}`).not.toBe('hung');
    }
  }, 900_000);
});
