import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { EnvName } from '../../src/domain/ids.ts';
import { prepareSession } from '../../src/engine/prepare-session.ts';
import { ignoreEvents } from '../../src/engine/run-events.ts';
import { SENTINEL } from '../helpers/evidence.ts';

// A failing command's argv is what a run shows in its thread; the config put a password in it.
const PASSWORD = `ssh-${SENTINEL}-pw`;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcv-redact-'));
  await writeFile(join(dir, '.env'), 'HUNTER_PARTNER_CENTER_ENABLED=false\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a run's redactor", () => {
  it("hides the config's env: values in a failing command's argv", async () => {
    const failing = ['sh', '-c', 'exit 3', 'env:SSH_PASSWORD'];
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
                migrate: failing,
                apply: ['true'],
                celeryCall: ['true'],
                celeryResult: ['true'],
                logs: ['true'],
                readEnv: ['true'],
                installTokenCache: ['true'],
                tokenCacheDigest: ['true'],
              },
            },
          },
        },
      }),
      'test',
      { SSH_PASSWORD: PASSWORD },
    );
    const session = await prepareSession({
      env: config.environments.get('staging' as EnvName)!,
      observer: ignoreEvents,
      signal: new AbortController().signal,
      handoff: () => undefined,
    });
    const result = await session.ctx.target.commands.run(
      { kind: 'migrate' },
      { signal: new AbortController().signal },
    );
    expect(result.ok).toBe(false);
    const shown = result.ok ? '' : result.message;
    expect(shown).toContain('exit 3 [redacted]');
    expect(shown).not.toContain(PASSWORD);
    expect(session.redact(`ssh -p ${PASSWORD}`)).toBe('ssh -p [redacted]');
  });
});
