import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUESTER } from '../../sim/console/people.ts';
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

/** The README's command line that starts with `prefix` (its arguments after it included), comment dropped. */
function readmeCommandStarting(prefix: string): string[] {
  for (const block of README.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of (block[1] ?? '').split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command.startsWith(`${prefix} `)) return command.split(/\s+/);
    }
  }
  throw new Error(`the README has no command starting \`${prefix}\``);
}

/** A newcomer's environment: nothing pointing at a Redis or a PostgreSQL already running. */
function newcomerEnv(): NodeJS.ProcessEnv {
  const { REDIS_URL: _redis, DATABASE_URL: _db, ...env } = process.env;
  return { ...env, PATH: `${env.PATH ?? ''}:/usr/bin:/usr/sbin` };
}

/** A port nothing on 127.0.0.1 listens on now: `port` itself when free, else one the system picks. */
async function freePort(port = 0): Promise<number> {
  const server = createServer();
  const bound = await new Promise<number | undefined>((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return bound ?? freePort(0);
}

/** `demo --chat` started as typed, until it prints the page's address; `stop` is Ctrl-C. */
interface RunningConsole {
  readonly url: string;
  err(): string;
  stop(): Promise<number | 'hung' | null>;
}

async function startConsole(argv: readonly string[], label: string): Promise<RunningConsole> {
  const [bin, ...args] = argv;
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
  const stop = async () => {
    // The whole group: npm, its shell and the console under it.
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
    const code = await Promise.race([
      exited,
      new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 30_000).unref()),
    ]);
    if (code === 'hung' && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    return code;
  };
  try {
    const url = await pollUntil(
      () => {
        if (child.exitCode !== null) throw new Error(`${label} exited ${child.exitCode}:\n${err}`);
        return /pc-verify chat console: (http:\/\/\S+)/.exec(out)?.[1];
      },
      { timeoutMs: 90_000, intervalMs: 50, what: `${label} to print the page's address` },
    );
    return { url, err: () => err, stop };
  } catch (error) {
    await stop();
    throw error;
  }
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
    for (let i = 1; i <= STARTS; i++) {
      const started = await startConsole(readmeCommand('npm run demo -- --chat'), `start ${i}`);
      let code: Awaited<ReturnType<RunningConsole['stop']>> | undefined;
      try {
        const page = await fetch(started.url);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('pc-verify');
        expect(started.err()).toContain('private, redis://127.0.0.1:');
        expect(started.err()).not.toMatch(/Unhandled error event|Connection is closed/);
      } finally {
        code = await started.stop();
      }
      expect(code, `start ${i} did not stop on Ctrl-C:\n${started.err()}`).not.toBe('hung');
    }
  }, 900_000);
});

describe('`npm run demo -- --chat --auto-login --port <port>` as the README writes it', () => {
  it('serves the page on that port, and a staging run signs in with no one at the sign-in page', async () => {
    const argv = readmeCommandStarting('npm run demo -- --chat --auto-login --port');
    expect(argv.slice(0, -1)).toEqual(['npm', 'run', 'demo', '--', '--chat', '--auto-login', '--port']);
    // The README's port when nothing listens there; another one only when it is taken.
    const port = await freePort(Number(argv.at(-1)));
    const started = await startConsole([...argv.slice(0, -1), String(port)], 'the auto-login console');
    let code: Awaited<ReturnType<RunningConsole['stop']>> | undefined;
    try {
      expect(started.url).toBe(`http://127.0.0.1:${port}/`);
      const page = await fetch(started.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('pc-verify');

      const user = REQUESTER.id;
      const sent = await fetch(new URL('/api/command', started.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, text: '/pc-verify staging' }),
      });
      expect(sent.status).toBe(200);
      const channel = async () => {
        const res = await fetch(new URL(`/api/view?user=${user}&pane=channel`, started.url));
        const view = (await res.json()) as { main: string };
        return view.main.replace(/<[^>]+>/g, '');
      };
      // Nobody types the code: the sign-in is approved at once, and the run goes on to its verdict.
      await pollUntil(async () => ((await channel()).includes('Can be turned ON: YES') ? true : undefined), {
        timeoutMs: 240_000,
        intervalMs: 250,
        what: 'the staging run to pass on the auto-login console',
      }).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${started.err()}`);
      });
    } finally {
      code = await started.stop();
    }
    expect(code, started.err()).not.toBe('hung');
  }, 300_000);
});
