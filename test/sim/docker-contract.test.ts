/**
 * The compose stand-in's contract: each fact pc-verify relies on about `docker compose` (v2)
 * and `docker-compose` (1.29), asked of the simulator always and of the real daemon when one
 * runs here, with the same assertions. A fact the simulator gets wrong fails here first.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../helpers/poll.ts';
import {
  type Cli,
  dropSimDatabase,
  FLAG,
  realWorld,
  simWorld,
  type World,
} from './helpers/contract-worlds.ts';
import { engineContract } from './helpers/engine-contract.ts';
import { realCompose } from './helpers/real-compose.ts';

const ESC = '\u001b';
const ERASE_LINE = `${ESC}[2K`;
/** v1's prefix: a colour, the name padded to "postgres" + 3, the reset. */
const V1_COLOURED_PREFIX = new RegExp(`^${ESC}\\[3\\dm(worker_1 {4}\\|)${ESC}\\[0m `);

async function setFlag(w: World, value: string): Promise<void> {
  const path = join(w.dir, '.env');
  const text = await readFile(path, 'utf8');
  await writeFile(path, text.replace(new RegExp(`^${FLAG}=.*$`, 'm'), `${FLAG}=${value}`));
}

/**
 * Log lines without compose 2.26's erase-line code (it writes `ESC[2K` before every line even
 * off a terminal; the simulator, answering as 2.29, does not): a reader must accept both.
 */
function logLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (l.startsWith(ERASE_LINE) ? l.slice(ERASE_LINE.length) : l));
}

const NOT_FOUND =
  'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": ' +
  'executable file not found in $PATH: unknown\r\n';

const V1_LOGS_USAGE = 'View output from containers.\n\nUsage: logs [options] [--] [SERVICE...]\n';

function contract(label: string, cli: Cli, open: () => Promise<World>): void {
  describe(`${label}, compose ${cli}`, { timeout: 60_000 }, () => {
    let w: World;
    beforeAll(async () => {
      w = await open();
    }, 120_000);
    afterAll(async () => {
      await w?.close();
    });

    it(`names the worker's container ${cli === 'v1' ? '<project>_worker_1' : '<project>-worker-1'}`, async () => {
      if (cli === 'v1') {
        const res = await w.compose(['logs', '--no-color', 'worker']);
        expect(res.stdout.split('\n')[0]).toBe(`Attaching to ${w.project}_worker_1`);
      } else {
        const res = await w.compose(['ps', '--format', 'json', 'worker']);
        expect(JSON.parse(res.stdout.trim()).Name).toBe(`${w.project}-worker-1`);
      }
    });

    it('prefixes log lines with the service, padded to the longest name', async () => {
      const res = await w.compose(['logs', 'worker']);
      expect(res.exitCode).toBe(0);
      const lines = logLines(res.stdout);
      if (cli === 'v1') {
        expect(lines[0]).toBe(`Attaching to ${w.project}_worker_1`);
        // Coloured although stdout is a pipe; the width is "postgres" + 3.
        const prefixed = lines.slice(1);
        expect(prefixed.length).toBeGreaterThan(0);
        for (const line of prefixed) expect(line).toMatch(V1_COLOURED_PREFIX);
      } else {
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) expect(line).toMatch(/^worker-1 {2}\| /);
      }
    });

    it('answers a lone exec -T with stdin passed through intact (5 MB)', async () => {
      const input = randomBytes(2_500_000).toString('hex');
      const res = await w.compose(['exec', '-T', 'api', 'sha256sum'], input);
      expect(res).toMatchObject({
        exitCode: 0,
        stdout: `${createHash('sha256').update(input).digest('hex')}  -\n`,
      });
    });

    it(
      cli === 'v1'
        ? 'refuses exec without -T on a piped stdin: "the input device is not a TTY", exit 1'
        : 'runs exec without -T on a piped stdin',
      async () => {
        const res = await w.compose(['exec', 'api', 'printenv', FLAG], 'x');
        if (cli === 'v1')
          expect(res).toEqual({ exitCode: 1, stdout: '', stderr: 'the input device is not a TTY\n' });
        else expect(res).toMatchObject({ exitCode: 0, stdout: 'false\n' });
      },
    );

    it("passes the command's exit code through, 137 after SIGKILL", async () => {
      expect((await w.compose(['exec', '-T', 'api', 'sh', '-c', 'exit 3'])).exitCode).toBe(3);
      expect((await w.compose(['exec', '-T', 'api', 'sh', '-c', 'kill -9 $$'])).exitCode).toBe(137);
    });

    it("answers a missing executable with exit 126 and runc's message on stdout", async () => {
      expect(await w.compose(['exec', '-T', 'api', 'nosuch', 'arg'])).toEqual({
        exitCode: 126,
        stdout: NOT_FOUND,
        stderr: '',
      });
    });

    it(`answers exec on an unknown service with exit 1 and ${cli === 'v1' ? 'no message' : '"not running"'}`, async () => {
      expect(await w.compose(['exec', '-T', 'nosuch', 'true'])).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: cli === 'v1' ? '' : 'service "nosuch" is not running\n',
      });
    });

    it(`answers exec on a stopped container with exit 1 and ${cli === 'v1' ? 'no message' : '"not running"'}`, async () => {
      await w.stop('worker');
      try {
        const res = await pollUntil(
          async () => {
            const ran = await w.compose(['exec', '-T', 'worker', 'printenv', FLAG]);
            return ran.exitCode === 0 ? undefined : ran;
          },
          { what: 'the worker to stop' },
        );
        expect(res).toEqual({
          exitCode: 1,
          stdout: '',
          stderr: cli === 'v1' ? '' : 'service "worker" is not running\n',
        });
      } finally {
        await w.resume('worker');
        await pollUntil(
          async () =>
            (await w.compose(['exec', '-T', 'worker', 'printenv', FLAG])).exitCode === 0 ? true : undefined,
          { timeoutMs: 20_000, what: 'the worker to run again' },
        );
      }
    });

    it('fixes env_file values at create: restart keeps them, up -d (recreate) reads the file again', async () => {
      const flagIn = async (service: string) =>
        (await w.compose(['exec', '-T', service, 'printenv', FLAG])).stdout;
      await setFlag(w, 'true');
      try {
        // Progress goes to stderr: stdout stays empty.
        expect(await w.compose(['restart', 'api', 'worker'])).toMatchObject({ exitCode: 0, stdout: '' });
        expect(await flagIn('api')).toBe('false\n');
        expect(await flagIn('worker')).toBe('false\n');
        expect(
          (await w.compose(['up', '-d', '--no-deps', '--force-recreate', 'api', 'worker'])).exitCode,
        ).toBe(0);
        expect(await flagIn('api')).toBe('true\n');
        expect(await flagIn('worker')).toBe('true\n');
      } finally {
        await setFlag(w, 'false');
        await w.compose(['up', '-d', '--no-deps', '--force-recreate', 'api', 'worker']);
      }
    });

    // What `apply: auto` reads when the file has no flag line yet (src/hunter/compose/containers.ts).
    it("puts the env file's other variables into a recreated container's environment, the flag absent", async () => {
      const path = join(w.dir, '.env');
      const text = await readFile(path, 'utf8');
      const withoutFlag = text.replace(new RegExp(`^${FLAG}=.*\\n`, 'm'), '');
      await writeFile(path, `${withoutFlag}PCV_CONTRACT_MARK=from-the-file\n`);
      try {
        expect((await w.compose(['up', '-d', '--no-deps', '--force-recreate', 'api'])).exitCode).toBe(0);
        const mark = await w.compose(['exec', '-T', 'api', 'printenv', 'PCV_CONTRACT_MARK']);
        expect(mark).toMatchObject({ exitCode: 0, stdout: 'from-the-file\n' });
        expect((await w.compose(['exec', '-T', 'api', 'printenv', FLAG])).exitCode).toBe(1);
      } finally {
        await writeFile(path, text);
        await w.compose(['up', '-d', '--no-deps', '--force-recreate', 'api']);
      }
    });

    it('up -d recreates a container whose env_file changed, and leaves it alone when not', async () => {
      await setFlag(w, 'true');
      try {
        const changed = await w.compose(['up', '-d', '--no-deps', 'api']);
        expect(changed).toMatchObject({ exitCode: 0, stdout: '' });
        expect((await w.compose(['exec', '-T', 'api', 'printenv', FLAG])).stdout).toBe('true\n');
        const same = await w.compose(['up', '-d', '--no-deps', 'api']);
        expect(same).toMatchObject({ exitCode: 0, stdout: '' });
        const name = cli === 'v1' ? `${w.project}_api_1` : `${w.project}-api-1`;
        expect(same.stderr).toContain(cli === 'v1' ? `${name} is up-to-date` : ` Container ${name}  Running`);
      } finally {
        await setFlag(w, 'false');
        await w.compose(['up', '-d', '--no-deps', 'api']);
      }
    });

    it(
      cli === 'v1'
        ? 'fails every command but version without the env file; exec says nothing'
        : 'needs the env file only to create a container (exit 14)',
      async () => {
        const envFile = join(w.dir, '.env');
        await rename(envFile, `${envFile}.away`);
        try {
          const missing = `Couldn't find env file: ${envFile}\n`;
          if (cli === 'v1') {
            expect(await w.compose(['exec', '-T', 'api', 'printenv', FLAG])).toEqual({
              exitCode: 1,
              stdout: '',
              stderr: '',
            });
            for (const args of [['logs', 'api'], ['ps'], ['restart', 'api']]) {
              expect(await w.compose(args)).toEqual({ exitCode: 1, stdout: '', stderr: missing });
            }
            expect((await w.compose(['version', '--short'])).exitCode).toBe(0);
          } else {
            expect((await w.compose(['exec', '-T', 'api', 'printenv', FLAG])).exitCode).toBe(0);
            expect((await w.compose(['logs', 'api'])).exitCode).toBe(0);
            expect(await w.compose(['up', '-d', '--no-deps', '--force-recreate', 'api'])).toEqual({
              exitCode: 14,
              stdout: '',
              stderr: `env file ${envFile} not found: stat ${envFile}: no such file or directory\n`,
            });
          }
        } finally {
          await rename(`${envFile}.away`, envFile);
        }
      },
    );

    // The Engine API is the daemon's, whichever compose made the containers: asked once.
    if (cli === 'v2') describe('Engine API', () => engineContract(() => w));

    if (cli === 'v1') {
      it('has no logs --since, --until or -n: usage on stderr, empty stdout, exit 0', async () => {
        for (const option of [
          ['--since', '2020-01-01T00:00:00Z'],
          ['--until', '2030-01-01T00:00:00Z'],
          ['-n', '1'],
        ]) {
          const res = await w.compose(['logs', ...option, 'worker']);
          expect(res.exitCode).toBe(0);
          expect(res.stdout).toBe('');
          expect(res.stderr.startsWith(V1_LOGS_USAGE)).toBe(true);
        }
      });

      it('has logs --no-color, --no-log-prefix, --tail and -t', async () => {
        const plain = await w.compose(['logs', '--no-color', 'worker']);
        expect(plain.stdout).not.toContain(ESC);
        for (const line of logLines(plain.stdout).slice(1)) expect(line).toMatch(/^worker_1 {4}\| /);
        const last = await w.compose([
          'logs',
          '--no-color',
          '--no-log-prefix',
          '--tail',
          '1',
          '-t',
          'worker',
        ]);
        const lines = logLines(last.stdout);
        expect(lines).toHaveLength(2);
        expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \S/);
      });

      it('reports version 1.29', async () => {
        expect((await w.compose(['version', '--short'])).stdout).toBe('1.29.2\n');
      });
    } else {
      it('has logs --since (RFC 3339)', async () => {
        const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
        const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
        const past = await w.compose(['logs', '--since', hourAgo, 'worker']);
        expect(past.exitCode).toBe(0);
        expect(logLines(past.stdout).length).toBeGreaterThan(0);
        expect(await w.compose(['logs', '--since', inAnHour, 'worker'])).toEqual({
          exitCode: 0,
          stdout: '',
          stderr: '',
        });
      });

      it('reports a version 2', async () => {
        expect((await w.compose(['version'])).stdout).toMatch(/^Docker Compose version v?2\.\d+/);
      });
    }
  });
}

afterAll(async () => {
  await dropSimDatabase();
});

for (const cli of ['v2', 'v1'] as const) {
  contract('simulator', cli, () => simWorld(cli));
  const real = await realCompose(cli);
  if (real.ok) contract('real daemon', cli, () => realWorld(cli));
  else if (process.env.PCV_REQUIRE_DOCKER === '1')
    // CI promised a daemon: without one the contract would hold the simulator to nothing.
    describe(`real daemon, compose ${cli}`, () =>
      it('is required (PCV_REQUIRE_DOCKER=1)', () => {
        throw new Error(`${real.reason} (PCV_REQUIRE_DOCKER=1)`);
      }));
  else
    describe.skip(`real daemon, compose ${cli} — skipped: ${real.reason}`, () =>
      it('needs a docker daemon and this compose', () => undefined));
}

describe('simulator only: a v1 host', { timeout: 60_000 }, () => {
  it('has no `docker compose`: the docker CLI calls it an unknown command', async () => {
    const w = await simWorld('v1');
    try {
      const res = await execa('docker', ['compose', 'version'], { cwd: w.dir, input: '', reject: false });
      expect(res.exitCode).toBe(1);
      expect(String(res.stderr)).toMatch(/^docker: unknown command: docker compose\n/);
    } finally {
      await w.close();
    }
  });
});
