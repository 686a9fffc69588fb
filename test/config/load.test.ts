import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { redisTargetFor } from '../../src/config/config.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { DEFAULT_EXPECT } from '../../src/config/expect.ts';
import { parseConfig } from '../../src/config/load.ts';
import { describeRedis } from '../../src/config/redis.ts';
import type { EnvName } from '../../src/domain/ids.ts';

const SECRETS = {
  HUNTER_STAGING_DATABASE_URL: 'postgres://hunter:s3cret@db:5432/dyn365hunter',
  HUNTER_PROD_DATABASE_URL: 'postgres://hunter:pr0d@db:5432/dyn365hunter',
};

const MINIMAL = `
environments:
  staging:
    tier: staging
    api: { baseUrl: "http://127.0.0.1:8000" }
    database: { url: "postgres://h@127.0.0.1/h" }
    driver: { kind: compose, projectDir: /srv/hunter }
`;

function problemsOf(text: string, env: Record<string, string> = {}): readonly string[] {
  try {
    parseConfig(text, 'test.yml', env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

const env = (config: ReturnType<typeof parseConfig>, name: string) =>
  config.environments.get(name as EnvName)!;

describe('the example configuration', () => {
  it('parses with every key it documents, secrets from the environment', async () => {
    const text = await readFile(new URL('../../pc-verify.example.yml', import.meta.url), 'utf8');
    const config = parseConfig(text, 'pc-verify.example.yml', SECRETS);
    expect(config.deployment).toBe('pcv');
    const staging = env(config, 'staging');
    expect(staging.database.url).toBe(SECRETS.HUNTER_STAGING_DATABASE_URL);
    expect(staging.driver).toMatchObject({
      kind: 'compose',
      projectDir: '/srv/hunter',
      projectName: 'hunter',
      envFile: '.env',
      apply: 'auto',
      commandTimeout: 120_000,
    });
    expect(staging.api).toEqual({
      baseUrl: 'http://hunter-staging.internal:8000',
      requestTimeout: 10_000,
      readyTimeout: 120_000,
    });
    expect(staging.auth.loginTimeout).toBe(15 * 60_000);
    expect(staging.policy).toMatchObject({
      approvalTtl: 3_600_000,
      afterPass: 'keep-on',
      requireApproval: false,
    });
    expect(staging.policy.requesters).toEqual(['U012ABCDEF', 'S0PLATFORM']);
    expect(staging.policy.approvers).toEqual(['U034GHIJKL']);
    expect(staging.policy.channels).toEqual(['C0OPS']);
    expect(staging.database.timeout).toBe(5_000);
    expect(staging.driver.kind === 'compose' && staging.driver.services).toEqual({
      api: 'api',
      worker: 'worker',
      postgres: 'postgres',
    });
    expect(staging.expect.offMessage).toBe(DEFAULT_EXPECT.offMessage);
    const prod = env(config, 'prod');
    expect(prod.driver).toMatchObject({ kind: 'commands', envFile: '/etc/hunter/hunter.env', cwd: '/' });
    expect(prod.driver.kind === 'commands' && prod.driver.commands.celeryResult.at(-1)).toBe('{taskId}');
    expect(prod.policy).toMatchObject({ requireApproval: true, rollbackOnFailure: true });
  });
});

describe('defaults', () => {
  it('fills every optional key with the documented default', () => {
    const staging = env(parseConfig(MINIMAL, 'min.yml', {}), 'staging');
    expect(staging.api.requestTimeout).toBe(10_000);
    expect(staging.api.readyTimeout).toBe(120_000);
    expect(staging.database.timeout).toBe(5_000);
    // No command: the driver finds the compose CLI (v2, else v1) the first time it recreates.
    expect(staging.driver).toEqual({
      kind: 'compose',
      projectDir: '/srv/hunter',
      files: [],
      services: { api: 'api', worker: 'worker', postgres: 'postgres' },
      envFile: '.env',
      apply: 'auto',
      commandTimeout: 120_000,
    });
    expect(staging.auth).toEqual({
      authority: 'https://login.microsoftonline.com/{tenantId}',
      knownAuthorities: [],
      loginTimeout: 900_000,
      allowedAccounts: [],
    });
    expect(staging.policy).toEqual({
      requesters: [],
      approvers: [],
      channels: [],
      requireApproval: false,
      approvalTtl: 3_600_000,
      approvals: 1,
      approvalGroups: [],
      afterPass: 'keep-on',
      rollbackOnFailure: false,
      windows: [],
      freezes: [],
      loginRequiresApproval: false,
    });
    expect(staging.expect).toEqual({ ...DEFAULT_EXPECT, onLogEvents: [...DEFAULT_EXPECT.onLogEvents] });
  });

  it('requires approval (a sign-in too) and rolls back by default in prod only', () => {
    const prodText = `${MINIMAL.replace('tier: staging', 'tier: prod')}    policy: { approvers: [U0APPROVER1], channels: [C0OPS] }\n`;
    const prod = env(parseConfig(prodText, 'p.yml', {}), 'staging');
    expect(prod.policy.requireApproval).toBe(true);
    expect(prod.policy.loginRequiresApproval).toBe(true);
    expect(prod.policy.rollbackOnFailure).toBe(true);
    const dev = env(parseConfig(MINIMAL.replace('tier: staging', 'tier: dev'), 'd.yml', {}), 'staging');
    expect(dev.policy.requireApproval).toBe(false);
  });

  it('refuses a gate nobody can open: requireApproval with no approvers names the key', () => {
    expect(() => parseConfig(MINIMAL.replace('tier: staging', 'tier: prod'), 'p.yml', {})).toThrow(
      /environments\.staging\.policy\.approvers: requireApproval is on \(the default for prod\) but nobody may approve/,
    );
    const explicit = `${MINIMAL}    policy: { requireApproval: true }\n`;
    expect(() => parseConfig(explicit, 's.yml', {})).toThrow(/environments\.staging\.policy\.approvers/);
  });

  it('refuses an environment that needs approval but names no channel: a run there must be seen', () => {
    const prodText = `${MINIMAL.replace('tier: staging', 'tier: prod')}    policy: { approvers: [U0APPROVER1] }\n`;
    expect(() => parseConfig(prodText, 'p.yml', {})).toThrow(
      /environments\.staging\.policy\.channels: requireApproval is on \(the default for prod\) but no channel is named/,
    );
    const explicit = `${MINIMAL}    policy: { requireApproval: true, approvers: [U0APPROVER1] }\n`;
    expect(() => parseConfig(explicit, 's.yml', {})).toThrow(/environments\.staging\.policy\.channels/);
  });

  it('refuses a commands driver in such an environment without the actions that stage a sign-in', () => {
    const text = (extra: string) => `
environments:
  prod:
    tier: prod
    api: { baseUrl: "http://hunter.test:8000" }
    database: { url: "postgres://h@db.test/h" }
    policy: { approvers: [U0APPROVER1], channels: [C0OPS] }
    driver:
      kind: commands
      envFile: /srv/hunter/.env
      commands:
        migrate: [alembic, upgrade, head]
        apply: [systemctl, restart, hunter-api]
        celeryCall: [celery, call]
        celeryResult: [celery, result, "{taskId}"]
        logs: [journalctl, --since, "{since}"]
        readEnv: [printenv]
        installTokenCache: [sh, -c, 'cat > "$1"', sh, /srv/hunter/.token_cache]
        tokenCacheDigest: [sha256sum, /srv/hunter/.token_cache]
${extra}`;
    expect(() => parseConfig(text(''), 'p.yml', {})).toThrow(
      /environments\.prod\.driver\.commands\.stageTokenCache: required where requireApproval is on/,
    );
    const staged = `        stageTokenCache: [sh, -c, 'cat > "$1"', sh, /srv/hunter/.token_cache.pending]
        stagedTokenCacheDigest: [sha256sum, /srv/hunter/.token_cache.pending]
        promoteTokenCache: [mv, -f, /srv/hunter/.token_cache.pending, /srv/hunter/.token_cache]
`;
    // Removing an unapproved staged file is recommended, not required: an upgrade keeps loading.
    expect(parseConfig(text(staged), 'p.yml', {}).environments.size).toBe(1);
    const discard = `        discardStagedTokenCache: [rm, -f, /srv/hunter/.token_cache.pending]
`;
    expect(parseConfig(text(staged + discard), 'p.yml', {}).environments.size).toBe(1);
  });

  it('lets an explicit policy override the tier default', () => {
    const text = `${MINIMAL.replace('tier: staging', 'tier: prod')}    policy: { requireApproval: false }\n`;
    expect(env(parseConfig(text, 'p.yml', {}), 'staging').policy.requireApproval).toBe(false);
  });
});

describe('overrides', () => {
  it('takes expected strings, services, files and auth from the file', () => {
    const text = MINIMAL.replace(
      'driver: { kind: compose, projectDir: /srv/hunter }',
      'driver: { kind: compose, projectDir: /srv/hunter, files: [compose.prod.yml], services: { api: web } }',
    ).concat(
      '    expect: { offMessage: "Integration off.", onLogEvents: [sync_begin] }\n',
      '    auth: { scope: "api://x/.default", knownAuthorities: [login.example], loginTimeout: 90s }\n',
    );
    const staging = env(parseConfig(text, 'o.yml', {}), 'staging');
    expect(staging.expect).toMatchObject({ offMessage: 'Integration off.', onLogEvents: ['sync_begin'] });
    expect(staging.expect.table).toBe('partner_center_referrals');
    expect(staging.driver).toMatchObject({
      files: ['compose.prod.yml'],
      services: { api: 'web', worker: 'worker' },
    });
    expect(staging.auth).toMatchObject({
      scope: 'api://x/.default',
      knownAuthorities: ['login.example'],
      loginTimeout: 90_000,
    });
  });
});

describe('env: indirection', () => {
  it('reads a value from the process environment', () => {
    const text = MINIMAL.replace('"postgres://h@127.0.0.1/h"', 'env:DB_URL');
    const config = parseConfig(text, 't.yml', { DB_URL: 'postgres://u:pw@h/d' });
    expect(env(config, 'staging').database.url).toBe('postgres://u:pw@h/d');
  });

  it('names the key and the variable when the variable is missing', () => {
    const text = MINIMAL.replace('"postgres://h@127.0.0.1/h"', 'env:DB_URL');
    expect(problemsOf(text)).toEqual([
      'environments.staging.database.url: environment variable DB_URL is not set (the file says env:DB_URL)',
    ]);
  });

  it('never echoes a resolved secret in a validation error', () => {
    const text = MINIMAL.replace('"postgres://h@127.0.0.1/h"', 'env:DB_URL');
    const problems = problemsOf(text.replace('tier: staging', 'tier: nope'), {
      DB_URL: 'postgres://u:hunter2@h/d',
    });
    expect(problems.join('\n')).not.toContain('hunter2');
  });
});

describe('mistakes', () => {
  it('prints one precise message per mistake', () => {
    const text = `
environments:
  prod:
    tier: production
    api: { baseUrl: "http://x" }
    database: { url: "postgres://x" }
    driver: { kind: compose }
    colour: blue
`;
    expect(problemsOf(text)).toEqual([
      'environments.prod.tier: Invalid option: expected one of "dev"|"staging"|"prod"',
      'environments.prod.driver.projectDir: required',
      'environments.prod.colour: unknown key',
    ]);
  });

  it.each([
    [
      'a bad environment name',
      MINIMAL.replace('  staging:', '  Staging_1:'),
      'environments.Staging_1: invalid environment name',
    ],
    [
      'a relative projectDir',
      MINIMAL.replace('/srv/hunter', 'srv/hunter'),
      'environments.staging.driver.projectDir: must be an absolute path',
    ],
    ['path traversal', MINIMAL.replace('/srv/hunter', '/srv/../etc'), 'must not contain ".." segments'],
    ['a bad duration', `${MINIMAL}    auth: { loginTimeout: soon }\n`, '"soon" is not a duration'],
    ['an http authority', `${MINIMAL}    auth: { authority: "http://login" }\n`, 'must be an https:// URL'],
    [
      'a channel that is not an id',
      `${MINIMAL}    policy: { channels: ["#ops"] }\n`,
      'environments.staging.policy.channels.0',
    ],
    [
      'an unknown driver',
      MINIMAL.replace('kind: compose', 'kind: ansible'),
      'environments.staging.driver.kind',
    ],
    ['no environments', 'environments: {}\n', 'environments: must list at least one environment'],
    ['YAML syntax', 'environments: [\n', 'YAML syntax'],
  ])('refuses %s', (_what, text, message) => {
    expect(problemsOf(text).join('\n')).toContain(message);
  });

  it('refuses an unknown placeholder in a commands driver', () => {
    const text = `
environments:
  prod:
    tier: prod
    api: { baseUrl: "http://x" }
    database: { url: "postgres://x" }
    driver:
      kind: commands
      envFile: /etc/hunter.env
      commands:
        migrate: [m]
        apply: [a]
        celeryCall: [c]
        celeryResult: [r, "{taskId}"]
        logs: [l, "{since}", "{rm}"]
        readEnv: [e]
        installTokenCache: [i]
        tokenCacheDigest: [d]
`;
    expect(problemsOf(text)).toEqual([
      'environments.prod.driver.commands.logs: unknown placeholder {rm} (allowed here: {since})',
    ]);
  });
});

describe('redis', () => {
  it('takes a Redis Cluster (seed nodes) with credentials from the environment', () => {
    const config = parseConfig(
      `redis:
  cluster: [redis://10.0.0.1:7000, redis://10.0.0.2:7001]
  password: env:REDIS_PASSWORD
${MINIMAL}`,
      'test.yml',
      { REDIS_PASSWORD: 'cl0ster' },
    );
    expect(config.redis).toEqual({
      kind: 'cluster',
      nodes: ['redis://10.0.0.1:7000', 'redis://10.0.0.2:7001'],
      password: 'cl0ster',
    });
    expect(describeRedis(config.redis!)).toBe('Redis Cluster (nodes 10.0.0.1:7000, 10.0.0.2:7001)');
  });

  it('takes Sentinel: the primary by name, the sentinels as host:port (IPv6 in brackets)', () => {
    const config = parseConfig(
      `redis:
  sentinel: { name: hunter-bot, sentinels: ["10.0.0.1:26379", "[fd00::2]:26380"] }
  password: env:REDIS_PASSWORD
  sentinelPassword: env:SENTINEL_PASSWORD
${MINIMAL}`,
      'test.yml',
      { REDIS_PASSWORD: 'pr1mary', SENTINEL_PASSWORD: 'sent1nel' },
    );
    expect(config.redis).toEqual({
      kind: 'sentinel',
      name: 'hunter-bot',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: 'fd00::2', port: 26380 },
      ],
      password: 'pr1mary',
      sentinelPassword: 'sent1nel',
    });
    expect(describeRedis(config.redis!)).not.toMatch(/pr1mary|sent1nel/);
  });

  it('uses REDIS_URL when the file names no Redis, and the file when it does', () => {
    const env = { REDIS_URL: 'redis://10.1.1.1:6379' };
    expect(redisTargetFor(parseConfig(MINIMAL, 'test.yml', env), env)).toEqual({
      kind: 'url',
      url: 'redis://10.1.1.1:6379',
    });
    const named = parseConfig(`redis: { url: "rediss://cache.internal:6380" }\n${MINIMAL}`, 'test.yml', env);
    expect(redisTargetFor(named, env)).toEqual({ kind: 'url', url: 'rediss://cache.internal:6380' });
  });

  it('names the key of each mistake', () => {
    expect(problemsOf(`redis: { url: "redis://a:1", cluster: ["redis://b:2"] }\n${MINIMAL}`)).toEqual([
      'redis: set exactly one of url, cluster or sentinel (found url and cluster)',
    ]);
    expect(problemsOf(`redis: {}\n${MINIMAL}`)).toEqual([
      'redis: set exactly one of url, cluster or sentinel (found none)',
    ]);
    expect(problemsOf(`redis: { cluster: ["http://b:2"], sentinelPassword: x }\n${MINIMAL}`)).toEqual([
      'redis.cluster.0: must be a redis:// or rediss:// URL',
      'redis.sentinelPassword: only with sentinel',
    ]);
    expect(problemsOf(`redis: { sentinel: { name: m, sentinels: ["10.0.0.1"] } }\n${MINIMAL}`)).toEqual([
      'redis.sentinel.sentinels.0: must be host:port, e.g. 10.0.0.1:26379',
    ]);
  });
});

describe('change windows and freezes', () => {
  it('names the key and what is wrong with a window or a freeze', () => {
    const policy = `    policy:
      windows: ["Mon-Thu 09:00-16:00 Europe/Istanbul", "Mon-Thu 9-16 UTC"]
      freezes: [{ from: 2026-12-24, to: 2026-12-20, reason: Holidays }, { from: 2026-12-24, to: soon, reason: x }]
`;
    expect(problemsOf(`${MINIMAL}${policy}`)).toEqual([
      'environments.staging.policy.windows.1: "Mon-Thu 9-16 UTC": "9-16" is not a time range HH:MM-HH:MM (24-hour clock, e.g. 09:00-16:00)',
      'environments.staging.policy.freezes.0: the freeze "Holidays" must end after it starts (from 2026-12-24 to 2026-12-20 UTC)',
      'environments.staging.policy.freezes.1.to: "soon" is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM, optionally with Z or an offset)',
    ]);
  });
});

describe('the day-2 watch and the login policy', () => {
  it('watches every 10 minutes by default, takes any duration, and `watch: false` turns it off', () => {
    expect(env(parseConfig(MINIMAL, 'w.yml', {}), 'staging').watch).toEqual({ interval: 600_000 });
    const every = `${MINIMAL}    watch: { interval: 90s }\n`;
    expect(env(parseConfig(every, 'w.yml', {}), 'staging').watch).toEqual({ interval: 90_000 });
    expect(env(parseConfig(`${MINIMAL}    watch: {}\n`, 'w.yml', {}), 'staging').watch).toEqual({
      interval: 600_000,
    });
    expect(env(parseConfig(`${MINIMAL}    watch: false\n`, 'w.yml', {}), 'staging').watch).toBe(false);
  });

  it('names the key of a bad watch: not a duration, too short, unknown key, `true`', () => {
    expect(problemsOf(`${MINIMAL}    watch: { interval: soon }\n`).join('\n')).toMatch(
      /environments\.staging\.watch/,
    );
    expect(problemsOf(`${MINIMAL}    watch: { interval: 10ms }\n`).join('\n')).toMatch(
      /environments\.staging\.watch.*at least 1s/,
    );
    expect(problemsOf(`${MINIMAL}    watch: { every: 5m }\n`).join('\n')).toMatch(
      /environments\.staging\.watch/,
    );
    expect(problemsOf(`${MINIMAL}    watch: true\n`).join('\n')).toMatch(/environments\.staging\.watch/);
  });

  it('lets requesters renew the login alone by default; loginRequiresApproval needs approvers', () => {
    expect(env(parseConfig(MINIMAL, 'l.yml', {}), 'staging').policy.loginRequiresApproval).toBe(false);
    expect(problemsOf(`${MINIMAL}    policy: { loginRequiresApproval: true }\n`)).toEqual([
      expect.stringMatching(
        /^environments\.staging\.policy\.approvers: loginRequiresApproval is on but nobody may approve/,
      ),
    ]);
    const gated = `${MINIMAL}    policy: { loginRequiresApproval: true, requireApproval: true, approvers: [U034GHIJKL], channels: [C0123456789] }\n`;
    expect(env(parseConfig(gated, 'l.yml', {}), 'staging').policy.loginRequiresApproval).toBe(true);
  });

  it('refuses a login gate that a full run would walk around (its Phase 2 signs in too)', () => {
    const open = `${MINIMAL}    policy: { loginRequiresApproval: true, requireApproval: false, approvers: [U034GHIJKL] }\n`;
    expect(problemsOf(open)).toEqual([
      expect.stringMatching(
        /^environments\.staging\.policy\.requireApproval: loginRequiresApproval is on but requireApproval is off, so `\/pc-verify staging` would install a new sign-in/,
      ),
    ]);
  });

  it('documents both in the example', async () => {
    const text = await readFile(new URL('../../pc-verify.example.yml', import.meta.url), 'utf8');
    const config = parseConfig(text, 'pc-verify.example.yml', SECRETS);
    expect(env(config, 'staging').watch).toEqual({ interval: 600_000 });
    expect(env(config, 'prod').watch).toEqual({ interval: 300_000 });
    expect(env(config, 'prod').policy.loginRequiresApproval).toBe(true);
    expect(env(config, 'prod').policy.windows.map((w) => w.text)).toEqual([
      'Mon-Thu 09:00-16:00 Europe/Istanbul',
    ]);
    expect(env(config, 'prod').policy.freezes).toEqual([
      {
        from: new Date('2026-12-23T21:00:00Z'),
        to: new Date('2027-01-01T21:00:00Z'),
        reason: 'Year-end freeze',
        zone: 'Europe/Istanbul',
      },
    ]);
  });
});
