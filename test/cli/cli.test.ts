import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HunterSim, startHunterSim } from '../../sim/hunter/index.ts';
import { createTestDatabase, DATABASE_URL, type TestDatabase } from '../helpers/services.ts';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

async function cli(args: string[], env: Record<string, string> = {}) {
  const res = await execa('node', ['--import', 'tsx', CLI, ...args], { reject: false, env, timeout: 90_000 });
  return { code: res.exitCode, stdout: String(res.stdout), stderr: String(res.stderr) };
}

async function configFile(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'pcv-cli-')), 'pc-verify.yml');
  await writeFile(path, text);
  return path;
}

describe('pc-verify (CLI)', () => {
  it('stops at start-up with one precise line per config mistake and exit code 2', async () => {
    const path = await configFile(`
environments:
  prod:
    tier: production
    api: { baseUrl: "http://x" }
    database: { url: env:PROD_DB }
    driver: { kind: compose }
`);
    const res = await cli(['run', 'prod', '--config', path]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('3 problems in the configuration');
    expect(res.stderr).toContain('environments.prod.tier: Invalid option');
    expect(res.stderr).toContain('environments.prod.database.url: environment variable PROD_DB is not set');
    expect(res.stderr).toContain('environments.prod.driver.projectDir: required');
  });

  it('refuses an unknown environment and a malformed --phases with exit code 2', async () => {
    const path = await configFile(`
environments:
  staging:
    tier: staging
    api: { baseUrl: "http://127.0.0.1:9" }
    database: { url: "postgres://x@127.0.0.1:9/x" }
    driver: { kind: compose, projectDir: /srv/hunter }
`);
    const unknown = await cli(['run', 'prod;rm -rf /', '--config', path]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('is not an environment name. Configured: staging.');
    const phases = await cli(['run', 'staging', '--phases', '0,7', '--config', path]);
    expect(phases.code).toBe(2);
    expect(phases.stderr).toContain('--phases takes a comma-separated list of 0, 1, 2, 3');
  });

  it('plans every command without running any', async () => {
    const path = await configFile(`
environments:
  staging:
    tier: prod
    api: { baseUrl: "http://hunter:8000" }
    database: { url: "postgres://u:hunter2@db:5432/dyn365hunter" }
    driver: { kind: compose, command: [docker-compose], projectDir: /nonexistent/hunter, apply: recreate, host: "unix:///run/hunter-docker.sock" }
    policy: { approvers: [U0APPROVER1], channels: [C0OPS] }
`);
    const res = await cli(['plan', 'staging', '--config', path]);
    expect(res.code).toBe(0);
    // Commands inside the containers go through the Engine API; the compose CLI only recreates.
    expect(res.stdout).toContain(
      'Engine API unix:///run/hunter-docker.sock: exec in api: alembic upgrade head',
    );
    expect(res.stdout).toContain(
      'docker-compose --project-directory /nonexistent/hunter up -d --no-deps --force-recreate api worker',
    );
    expect(res.stdout).toContain('POST http://hunter:8000/api/referrals/sync');
    expect(res.stdout).toContain('a second person');
    // Prod's sign-in waits beside the live cache, and the plan asks for the account to be pinned.
    expect(res.stdout).toContain('exec in api: sha256sum .token_cache.pending');
    expect(res.stdout).toContain('exec in api: mv -f .token_cache.pending .token_cache');
    expect(res.stdout).toContain('Recommended: set environments.staging.auth.allowedAccounts');
    expect(res.stdout).not.toContain('hunter2');
  });

  it('plans a CLI-only host without asking the compose CLI which it is: both, v1’s log flags too', async () => {
    const path = await configFile(`
environments:
  staging:
    tier: staging
    api: { baseUrl: "http://hunter:8000" }
    database: { url: "postgres://u@db:5432/dyn365hunter" }
    driver: { kind: compose, projectDir: /srv/hunter, host: "ssh://ops@hunter.example" }
`);
    // A docker or docker-compose that plan ran would leave its mark.
    const bin = await mkdtemp(join(tmpdir(), 'pcv-plan-bin-'));
    const mark = join(bin, 'ran');
    for (const name of ['docker', 'docker-compose']) {
      await writeFile(join(bin, name), `#!/bin/sh\necho "$0 $*" >> ${mark}\n`, { mode: 0o755 });
    }
    const res = await cli(['plan', 'staging', '--config', path], { PATH: `${bin}:${process.env.PATH}` });
    const ran = await readFile(mark, 'utf8').catch(() => '');
    await rm(bin, { recursive: true, force: true });
    expect(ran).toBe('');
    expect(res.code).toBe(0);
    const logs = res.stdout.split('\n').filter((l) => l.includes(' logs '));
    expect(logs).toHaveLength(2);
    for (const line of logs) {
      expect(line).toContain(
        'docker compose --project-directory /srv/hunter logs -t --no-color --no-log-prefix --since <phase start> worker',
      );
      expect(line).toContain('answers `version` first: docker compose, else docker-compose');
      expect(line).toContain(
        'compose v1 (1.x), which has no --since: docker-compose --project-directory /srv/hunter logs -t --no-color --no-log-prefix worker, its lines cut at the phase start',
      );
    }
    expect(res.stdout).toContain(
      'docker compose --project-directory /srv/hunter up -d --no-deps --force-recreate api worker  (the compose CLI that answers `version` first: docker compose, else docker-compose)',
    );
  });
});

describe('pc-verify run against the simulator', () => {
  let db: TestDatabase;
  let sim: HunterSim;
  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await startHunterSim({ databaseUrl: db.url, taskDelayMs: 10 });
  });
  afterAll(async () => {
    await sim.stop();
    await db.drop();
  });

  const config = (language?: 'en' | 'tr') =>
    configFile(
      JSON.stringify({
        ...(language ? { language } : {}),
        environments: {
          staging: {
            tier: 'staging',
            api: { baseUrl: sim.apiUrl },
            database: { url: 'env:HUNTER_DB' },
            driver: { kind: 'compose', projectDir: sim.projectDir, host: sim.dockerHost },
          },
        },
      }),
    );

  it('exits 0 and prints JSON for machines when the selected phases pass', async () => {
    const res = await cli(['run', 'staging', '--json', '--phases', '0,1', '--config', await config()], {
      HUNTER_DB: db.url,
    });
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report).toMatchObject({ env: 'staging', verdict: 'PASS', canTurnOn: false });
    expect(report.phases.map((p: { status: string }) => p.status)).toEqual([
      'pass',
      'pass',
      'not_run',
      'not_run',
    ]);
    expect(report.phases[1].checks.map((c: { id: string }) => c.id)).toEqual([
      'flag.off',
      'health.off',
      'api.off',
      'task.off',
      'logs.off',
    ]);
    expect(res.stderr).toContain('▶ Phase 1');
    expect(res.stderr).not.toContain(db.url);
  });

  it('exits 1 with the results template and the hint when a check fails', async () => {
    sim.setFaults({ offReturns200: true });
    try {
      const res = await cli(['run', 'staging', '--phases', '0,1', '--config', await config()], {
        HUNTER_DB: db.url,
      });
      expect(res.code).toBe(1);
      expect(res.stdout).toContain('- [ ] API: 400 + proper error  ← FAIL');
      expect(res.stdout).toContain('Overall Status: [ ] PASS [x] FAIL');
      expect(res.stdout).toContain('app/api/referrals.py');
    } finally {
      sim.setFaults({ offReturns200: false });
    }
  });

  it('speaks the Turkish runbook with `language: tr`: progress, results template, details and hint', async () => {
    sim.setFaults({ offReturns200: true });
    try {
      const res = await cli(['run', 'staging', '--phases', '0,1', '--config', await config('tr')], {
        HUNTER_DB: db.url,
      });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('▶ FAZ 1 — Feature Flag OFF Doğrulama');
      expect(res.stderr).toContain('✓ env.vars  PASS');
      expect(res.stderr).toContain('HUNTER_PARTNER_CENTER_CLIENT_ID: dolu');
      // apply: auto says why it restarted, in the run's words too.
      expect(res.stderr).toContain(
        'api ya da worker’ın oluşturulduğu ortamda yok: restart dosyayı yeniden okur',
      );
      expect(res.stderr).toContain("çözüm: API 200 dönüyor → API'deki feature flag check'i çalışmıyor");
      expect(res.stdout).toContain('FAZ 0 - Ortam ve Migration');
      expect(res.stdout).toContain('- [x] Ortam değişkenleri dolu');
      expect(res.stdout).toContain('- [x] Tablo görünüyor');
      expect(res.stdout).toContain('- [ ] API: 400 + düzgün hata  ← FAIL');
      expect(res.stdout).toContain('- Status: [ ] PASS [x] FAIL');
      expect(res.stdout).toContain('FAZ 2 - Aktivasyon (İlk Auth + Token Cache)');
      expect(res.stdout).toContain('Overall Status: [ ] PASS [x] FAIL');
      expect(res.stdout).toContain('ON Yapılabilir: [ ] YES [x] NO');
      expect(res.stdout).toContain('Ayrıntılar:');
      expect(res.stdout).toContain("API 200 dönüyor → API'deki feature flag check'i çalışmıyor");
      expect(res.stdout).toContain('FAZ 1: api.off başarısız');
      for (const english of ['PHASE ', 'Can be turned ON', 'Details:', 'expected:', 'not run']) {
        expect(res.stdout).not.toContain(english);
      }
    } finally {
      sim.setFaults({ offReturns200: false });
    }
  });
});

describe('pc-verify demo', () => {
  it('verifies all four phases against the bundled simulators, with nothing installed but Node', async () => {
    // No DATABASE_URL: the demo must bring its own PostgreSQL (PGlite).
    const res = await cli(['demo', '--json'], { DATABASE_URL: '' });
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report).toMatchObject({ env: 'demo', verdict: 'PASS', canTurnOn: true });
    expect(res.stderr).toContain('database: pglite');
  });

  it('fills in the Turkish results template with --language tr', async () => {
    const res = await cli(['demo', '--language', 'tr'], { DATABASE_URL });
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('Simüle edilmiş dünya başlatılıyor');
    expect(res.stderr).toContain('▶ FAZ 3 — Feature Flag ON Doğrulama');
    expect(res.stdout).toContain('FAZ 2 - Aktivasyon (İlk Auth + Token Cache)');
    expect(res.stdout).toContain('- [x] Device Code Flow başarılı');
    expect(res.stdout).toContain('- [x] Worker log: Task çalışıyor, exception yok');
    expect(res.stdout).toContain('ON Yapılabilir: [x] YES [ ] NO');
    expect(res.stdout).not.toContain('PHASE ');
  });

  it("uses DATABASE_URL for Hunter's database when it is set", async () => {
    const res = await cli(['demo'], { DATABASE_URL });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Can be turned ON: [x] YES [ ] NO');
    expect(res.stderr).toContain('database: postgresql');
  });
});
