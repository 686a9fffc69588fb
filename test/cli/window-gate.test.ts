import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { windowOverride } from '../../src/cli/window-gate.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { EnvName } from '../../src/domain/ids.ts';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

/** A staging environment nobody can reach: a run refused before Phase 0 touches nothing. */
const CONFIG = (policy: string, language = 'en') => `
language: ${language}
environments:
  staging:
    tier: staging
    api: { baseUrl: "http://127.0.0.1:9" }
    database: { url: "postgres://x@127.0.0.1:9/x" }
    driver: { kind: compose, projectDir: /srv/hunter }
    policy: ${policy}
`;

const staging = (policy: string, language?: string) =>
  parseConfig(CONFIG(policy, language), 'w.yml', {}).environments.get('staging' as EnvName)!;

describe('a terminal run and the change window', () => {
  const windowed = staging('{ windows: ["Mon-Thu 09:00-16:00 Europe/Istanbul"] }');
  // Monday 2026-12-07: 08:59 and 09:00 in Istanbul (UTC+3).
  const before = new Date('2026-12-07T05:59:00Z');
  const inside = new Date('2026-12-07T06:00:00Z');

  it('refuses Phase 3 outside the window, saying when it opens and how to go on', () => {
    expect(() => windowOverride(windowed, [0, 1, 2, 3], undefined, before)).toThrow(
      /Phase 3 \(the flag ON\) may not start now in staging: outside the change window \(it opens .*Europe\/Istanbul\)\. Run Phases 0–2 now \(--phases 0,1,2\)/,
    );
  });

  it('lets Phases 0–2 run outside it, and everything inside it', () => {
    expect(windowOverride(windowed, [0, 1, 2], undefined, before)).toBeUndefined();
    expect(windowOverride(windowed, [0, 1, 2, 3], undefined, inside)).toBeUndefined();
  });

  it('names the window a break-glass overrode in its reason (its audit entry and review)', () => {
    expect(windowOverride(windowed, [3], 'sev1: partner sync down', before)).toMatch(
      /^sev1: partner sync down \[overrides: outside the change window/,
    );
  });

  it('refuses inside a freeze, with the freeze’s reason, in the deployment’s language', () => {
    const frozen = staging('{ freezes: [{ from: 2026-12-01, to: 2027-01-05, reason: "Yıl sonu" }] }', 'tr');
    expect(() => windowOverride(frozen, [0, 1, 2, 3], undefined, inside)).toThrow(
      /staging ortamında FAZ 3 \(bayrak ON\) şimdi başlayamaz: .*değişiklik dondurması.*Yıl sonu/,
    );
  });

  it('stops `pc-verify run` with exit 2 before anything runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pcv-window-'));
    const path = join(dir, 'pc-verify.yml');
    // The CLI reads the real clock: a freeze from yesterday to ten days from now holds it.
    const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    await writeFile(
      path,
      CONFIG(`{ freezes: [{ from: ${day(-1)}, to: ${day(10)}, reason: "frozen for the test" }] }`),
    );
    const res = await execa('node', ['--import', 'tsx', CLI, 'run', 'staging', '--config', path], {
      reject: false,
      timeout: 90_000,
    });
    expect(res.exitCode).toBe(2);
    expect(String(res.stderr)).toContain('frozen for the test');
    expect(String(res.stderr)).not.toContain('PHASE 0');
  });
});
