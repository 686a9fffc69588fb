import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.doUnmock('../../src/lifecycle/kill-switch-run.ts');
  vi.resetModules();
});

describe('the kill switch is loaded when a worker starts', () => {
  it('a kill-switch module missing on disk (an upgrade under way) fails the worker’s load, not a switch later', async () => {
    vi.resetModules();
    vi.doMock('../../src/lifecycle/kill-switch-run.ts', () => {
      throw Object.assign(new Error('Cannot find module src/lifecycle/kill-switch-run.ts'), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    });
    await expect(import('../../src/lifecycle/run-worker.ts')).rejects.toThrow(/error when mocking a module/);
  });

  it('with the module in place, the worker holds the kill switch already', async () => {
    vi.resetModules();
    let loaded = false;
    vi.doMock('../../src/lifecycle/kill-switch-run.ts', async (original) => {
      loaded = true;
      return original();
    });
    await import('../../src/lifecycle/run-worker.ts');
    expect(loaded).toBe(true);
  });
});

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
/** Where the kill switch's code starts: the worker's side and the command's. */
const ROOTS = ['lifecycle/kill-switch-run.ts', 'commands/off.ts'];

interface Module {
  /** What it loads when it is loaded: relative imports and re-exports, type-only ones left out. */
  readonly loads: string[];
  /** Each `import(…)` in it, as `file:line`. */
  readonly lazy: string[];
}

/** One file's imports, read with the TypeScript compiler (comments and strings are not imports). */
function moduleAt(path: string): Module {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const loads: string[] = [];
  const lazy: string[] = [];
  const visit = (node: ts.Node): void => {
    const declared =
      (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) ||
      (ts.isExportDeclaration(node) && !node.isTypeOnly);
    if (declared && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      if (spec.startsWith('.')) loads.push(resolve(dirname(path), spec));
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
      lazy.push(`${relative(SRC, path)}:${line + 1}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { loads, lazy };
}

/** Every file of src/ loaded, statically, with the roots. */
function staticGraph(roots: readonly string[]): Map<string, Module> {
  const seen = new Map<string, Module>();
  const todo = roots.map((r) => join(SRC, r));
  for (let path = todo.pop(); path !== undefined; path = todo.pop()) {
    if (seen.has(path)) continue;
    const module = moduleAt(path);
    seen.set(path, module);
    todo.push(...module.loads.filter((next) => !seen.has(next)));
  }
  return seen;
}

describe('everything on the kill switch’s path is loaded with it', () => {
  it('no file the kill switch loads, however deep, imports code lazily (`import(…)`)', () => {
    const graph = staticGraph(ROOTS);
    const files = [...graph.keys()].map((p) => relative(SRC, p));
    // The walk goes deep: the phases, the Hunter driver, the flag ledger and the words.
    expect(files).toEqual(
      expect.arrayContaining([
        ...ROOTS,
        'phases/switch-off.ts',
        'engine/prepare-session.ts',
        'lifecycle/flag-ledger.ts',
        'hunter/commands-driver.ts',
        'i18n/index.ts',
      ]),
    );
    expect(files.every((f) => existsSync(join(SRC, f)))).toBe(true);
    expect([...graph.values()].flatMap((m) => m.lazy)).toEqual([]);
  });
});
