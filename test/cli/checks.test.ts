import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderChecksMarkdown } from '../../src/cli/checks.ts';
import { main } from '../../src/cli/program.ts';
import { CHECK_IDS } from '../../src/domain/check.ts';
import { DEFAULT_COMPOSE_PHRASES } from '../../src/hunter/phrases.ts';
import { CHECK_DEFINITIONS } from '../../src/phases/checks.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function cliOutput(args: string[]): Promise<{ code: number; stdout: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const code = await main(args);
    return { code, stdout: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('pc-verify checks', () => {
  it('lists every check of every phase with its runbook step, what it expects and its hint', async () => {
    const { code, stdout } = await cliOutput(['checks']);
    expect(code).toBe(0);
    for (const id of CHECK_IDS) expect(stdout).toContain(`  ${id}  `);
    for (const check of CHECK_DEFINITIONS) {
      expect(stdout).toContain(`runbook:  ${check.runbookStep}`);
      expect(stdout).toContain(`expects:  ${check.expected}`);
      expect(stdout).toContain(`hint:     ${check.hint(DEFAULT_COMPOSE_PHRASES)}`);
    }
  });

  it('lists them in the Turkish runbook’s words with --language tr (ids and commands as they are)', async () => {
    const { code, stdout } = await cliOutput(['checks', '--language', 'tr']);
    expect(code).toBe(0);
    for (const id of CHECK_IDS) expect(stdout).toContain(`  ${id}  `);
    expect(stdout).toContain('FAZ 0 — Ortam ve Migration');
    expect(stdout).toContain('  env.vars  Ortam değişkenleri dolu');
    expect(stdout).toContain('  auth.device_code  Device Code Flow başarılı');
    expect(stdout).toContain('`docker compose restart api worker` (proje dizininde)');
    expect(stdout).not.toContain('in the project directory');
    expect(stdout).not.toContain('Phase 1');
  });

  it('has one definition per runbook check, in the order a run meets them', () => {
    const phaseChecks = CHECK_DEFINITIONS.filter((c) => c.stage !== 'off').map((c) => c.id);
    expect(phaseChecks).toEqual([...CHECK_IDS]);
  });

  it('docs/checks.md is what `npm run docs:checks` prints now', () => {
    const committed = readFileSync(`${ROOT}docs/checks.md`, 'utf8');
    const generated = `${renderChecksMarkdown(DEFAULT_COMPOSE_PHRASES)}\n`;
    expect(committed === generated, 'docs/checks.md is stale: run `npm run docs:checks` and commit it').toBe(
      true,
    );
  });

  it('refuses an unknown driver with exit code 2', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect((await cliOutput(['checks', '--driver', 'kubernetes'])).code).toBe(2);
    expect(String(stderr.mock.calls[0]?.[0])).toContain('--driver takes compose or commands');
  });

  it('loads no library but i18next (the words): only the registry, the catalogue and the domain types', () => {
    const reached = importGraph(`${ROOT}src/cli/checks.ts`);
    const packages = [...reached].filter((spec) => !spec.startsWith('/'));
    expect(packages).toEqual(['i18next']);
    // The catalogue (src/i18n/, every section of it) is the words; everything else is listed.
    const files = [...reached].filter((spec) => spec.startsWith('/')).map((file) => relative(ROOT, file));
    expect(files.filter((file) => !file.startsWith('src/i18n/')).sort()).toEqual([
      'src/cli/checks.ts',
      'src/cli/exit-codes.ts',
      'src/cli/language-option.ts',
      'src/config/expect.ts',
      'src/hunter/phrases.ts',
      'src/phases/checks.ts',
    ]);
  });
});

describe('the README', () => {
  it('links only to files inside the repository, the runbook and the checks among them', () => {
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(targets).toContain('docs/checks.md');
    expect(targets).toContain('docs/activation-plan.md');
    for (const target of targets) {
      const path = resolve(ROOT, target.split('#')[0]!);
      expect(relative(ROOT, path).startsWith('..'), `${target} points outside the repository`).toBe(false);
      expect(existsSync(path), `${target} does not exist in the repository`).toBe(true);
    }
  });
});

/**
 * Every module a file loads when it runs (value imports, static and dynamic; `import type` is
 * erased): absolute paths for our files, bare specifiers for packages and node builtins.
 */
function importGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const specs = [
      ...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm),
      ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
    ].map((m) => m[1]!);
    for (const spec of specs) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else seen.add(spec);
    }
  };
  visit(entry);
  return seen;
}
