import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// One npm cache for the pack and the install: dependencies come from it, not the network.
const NPM = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

describe('the packed tarball', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('installs into an empty folder, where `npx pc-verify demo` passes without a TypeScript loader', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pcv-pack-'));
    // `npm pack` runs `prepack` (the build); the tarball lands in dir.
    await execa('npm', ['pack', '--pack-destination', dir, ...NPM], { cwd: ROOT, timeout: 240_000 });
    const tarball = (await readdir(dir)).find((f) => /^pc-verify-.*\.tgz$/.test(f));
    expect(tarball).toBeDefined();
    const app = join(dir, 'app');
    await execa('mkdir', [app]);
    await execa('npm', ['init', '-y'], { cwd: app, timeout: 60_000 });
    await execa('npm', ['install', join(dir, tarball ?? ''), '--omit=dev', ...NPM], {
      cwd: app,
      timeout: 240_000,
    });
    const installed = await readdir(join(app, 'node_modules'));
    expect(installed).not.toContain('tsx');

    const version = await execa('npx', ['--no-install', 'pc-verify', '--version'], {
      cwd: app,
      timeout: 60_000,
    });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const { DATABASE_URL: _db, ...env } = process.env;
    const demo = await execa('npx', ['--no-install', 'pc-verify', 'demo', '--json'], {
      cwd: app,
      env,
      extendEnv: false,
      reject: false,
      timeout: 180_000,
    });
    expect(demo.exitCode, demo.stderr).toBe(0);
    expect(JSON.parse(demo.stdout)).toMatchObject({ verdict: 'PASS' });
  }, 600_000);
});
