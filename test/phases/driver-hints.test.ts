import { describe, expect, it } from 'vitest';
import type { EnvironmentConfig } from '../../src/config/config.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { CheckResult } from '../../src/domain/check.ts';
import type { EnvName } from '../../src/domain/ids.ts';
import { driverPhrases } from '../../src/hunter/phrases.ts';
import type { CommandResult, HttpResult, TargetAction } from '../../src/hunter/port.ts';
import { CHECK_DEFINITIONS } from '../../src/phases/checks.ts';
import { runPhase0 } from '../../src/phases/phase0.ts';
import { runPhase1 } from '../../src/phases/phase1.ts';
import { installCache } from '../../src/phases/phase2.ts';
import { runPhase3 } from '../../src/phases/phase3.ts';
import { runSwitchOff } from '../../src/phases/switch-off.ts';
import { exited, fakeEnv, fakeRun, json, ok } from '../helpers/fake-target.ts';

// Every hint a person can get, driven out of the phases by failing each step in each way a
// command or request can fail, under both drivers.

const SYSTEMD_HOST = `
  prod:
    tier: prod
    api: { baseUrl: "http://hunter.test:8000", readyTimeout: 5s }
    database: { url: "postgres://h@db.test/h" }
    policy: { approvers: [U0APPROVER1], channels: [C0OPS] }
    driver:
      kind: commands
      envFile: /srv/hunter/.env
      commandTimeout: 5s
      commands:
        migrate: [/srv/hunter/venv/bin/alembic, upgrade, head]
        apply: [systemctl, restart, hunter-api, hunter-worker]
        celeryCall: [/srv/hunter/venv/bin/celery, -A, app.core.celery_app, call, app.core.tasks.sync_partner_center_referrals_task]
        celeryResult: [/srv/hunter/venv/bin/celery, -A, app.core.celery_app, result, "{taskId}"]
        logs: [journalctl, -u, hunter-worker, --since, "{since}", -o, cat]
        readEnv: [cat, /proc/1/environ]
        installTokenCache: [sh, -c, 'cat > "$1"', sh, /srv/hunter/.token_cache]
        tokenCacheDigest: [sha256sum, /srv/hunter/.token_cache]
        stageTokenCache: [sh, -c, 'cat > "$1"', sh, /srv/hunter/.token_cache.pending]
        stagedTokenCacheDigest: [sha256sum, /srv/hunter/.token_cache.pending]
        promoteTokenCache: [mv, -f, /srv/hunter/.token_cache.pending, /srv/hunter/.token_cache]
        discardStagedTokenCache: [rm, -f, /srv/hunter/.token_cache.pending]
`;

function commandsEnv(): EnvironmentConfig {
  return parseConfig(`environments:${SYSTEMD_HOST}`, 'test', {}).environments.get('prod' as EnvName)!;
}

const ENV_TEXT = [
  'HUNTER_PARTNER_CENTER_ENABLED=false',
  'HUNTER_PARTNER_CENTER_CLIENT_ID=c',
  'HUNTER_PARTNER_CENTER_TENANT_ID=t',
  'HUNTER_PARTNER_CENTER_API_URL=https://pc.test',
  '',
].join('\n');

type Failure = 'exit' | 'timeout' | 'spawn';
const failed = (reason: Failure): CommandResult =>
  reason === 'exit'
    ? exited(1, 'boom')
    : { ok: false, reason, stdout: '', stderr: '', message: `it failed: ${reason}`, ms: 1 };
const refused: HttpResult = { ok: false, reason: 'refused', message: 'connection refused', ms: 1 };

interface World {
  /** Which actions fail, and how. */
  readonly commands: (action: TargetAction) => CommandResult;
  /** The answers to GET /healthz, in order (the last one repeats). */
  readonly health: readonly HttpResult[];
  /** The first /healthz (the apply's wait) agrees with the flag just written; `health` follows. */
  readonly agreeFirst?: boolean;
  readonly post: HttpResult;
}

const healthy = (on: boolean) => json(200, { partner_center_enabled: on });

function worlds(): World[] {
  const all: World[] = [];
  for (const reason of ['exit', 'timeout', 'spawn'] as const) {
    // Everything but the restart fails; the api answers with the wrong flag, then not at all.
    all.push({
      commands: (a) => (a.kind === 'apply' ? ok() : failed(reason)),
      health: [healthy(true), json(503, 'starting')],
      agreeFirst: true,
      post: refused,
    });
    all.push({
      commands: (a) => (a.kind === 'apply' ? failed(reason) : ok()),
      health: [healthy(false)],
      post: refused,
    });
  }
  // The api never comes back after the restart; it comes back with the flag unchanged.
  all.push({ commands: () => ok(), health: [refused], post: refused });
  all.push({ commands: () => ok(), health: [healthy(true)], post: json(500, { detail: 'x' }) });
  all.push({ commands: () => ok(), health: [healthy(false)], post: json(200, { success: false }) });
  // The api agrees with the file when the flag is applied, and no longer when the health check asks.
  all.push({ commands: () => ok(), health: [healthy(false), healthy(true)], post: refused });
  all.push({ commands: () => ok(), health: [healthy(true), healthy(false)], post: refused });
  return all;
}

async function hintsUnder(env: EnvironmentConfig): Promise<string[]> {
  const hints: string[] = [];
  const keep = (checks: readonly CheckResult[]) => {
    for (const c of checks) if (c.hint !== undefined) hints.push(c.hint);
  };
  for (const world of worlds()) {
    let healthCalls = 0;
    const run = (written = false) => {
      healthCalls = 0;
      const health = world.agreeFirst ? [healthy(written), ...world.health] : world.health;
      return fakeRun(
        {
          envText: ENV_TEXT,
          commands: world.commands,
          http: (req) =>
            req.path === '/healthz'
              ? (health[Math.min(healthCalls++, health.length - 1)] ?? refused)
              : world.post,
        },
        env,
      );
    };
    keep((await runPhase0(run().ctx)).checks);
    keep((await runPhase1(run(false).ctx)).checks);
    keep((await runPhase3(run(true).ctx)).checks);
    keep(await runSwitchOff(run(false).ctx));
    const outcome = await installCache(run().ctx, '{}');
    if (outcome.status === 'fail') hints.push(outcome.hint);
  }
  return [...new Set(hints)];
}

describe('hints worded by the driver', () => {
  it('never tell a commands-driver host to run docker', async () => {
    const env = commandsEnv();
    const hints = await hintsUnder(env);
    const registry = CHECK_DEFINITIONS.map((c) => c.hint(driverPhrases(env.driver)));

    expect(hints.length).toBeGreaterThan(15);
    for (const hint of [...hints, ...registry]) expect(hint).not.toMatch(/docker|compose/i);
    // They name the host's own commands instead.
    expect(hints.join('\n')).toContain('`systemctl restart hunter-api hunter-worker`');
    expect(hints.join('\n')).toContain('`journalctl -u hunter-worker --since {since} -o cat`');
  });

  it('keep the runbook’s docker compose commands under the compose driver', async () => {
    const hints = await hintsUnder(fakeEnv());
    const docker = hints.filter((h) => h.includes('docker compose'));

    expect(docker.length).toBeGreaterThanOrEqual(8);
    expect(hints.join('\n')).toContain('`docker compose restart api worker` in the project directory');
    expect(hints.join('\n')).toContain('`docker compose logs worker`');
  });
});
