import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every relative import of each file under src/, as paths relative to src/. */
function importsOf(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)]
      .map((m) => m[1] ?? m[2] ?? '')
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => relative(SRC, resolve(dirname(file), spec)));
    graph.set(relative(SRC, file), targets);
  }
  return graph;
}

/** `runs/finish.ts` → `runs`; a file directly under src/ is its own piece. */
function folderOf(path: string): string {
  return path.includes('/') ? (path.split('/')[0] as string) : path;
}

function cycles(edges: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('dependency direction (DESIGN §1)', () => {
  const graph = importsOf();

  it('finds the imports it checks', () => {
    expect(graph.get('lifecycle/advance-run.ts')).toContain('engine/run-phases.ts');
  });

  it('keeps the run lifecycle free of the chat adapter and the commands', () => {
    const outward = [...graph].flatMap(([file, targets]) =>
      /^(engine|lifecycle|gates|outbox)\//.test(file)
        ? targets.filter((t) => /^(slack|commands)\//.test(t)).map((t) => `${file} -> ${t}`)
        : [],
    );
    expect(outward).toEqual([]);
  });

  it('has no import cycle between folders of src/', () => {
    const folders = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      const to = folders.get(from) ?? new Set<string>();
      for (const t of targets) if (folderOf(t) !== from) to.add(folderOf(t));
      folders.set(from, to);
    }
    expect(cycles(folders).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('has no import cycle between files of src/', () => {
    const files = new Map([...graph].map(([file, targets]) => [file, new Set(targets)]));
    expect(cycles(files).map((c) => c.join(' -> '))).toEqual([]);
  });
});
