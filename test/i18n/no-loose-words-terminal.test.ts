import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// I18N_SRC: run the rule against another tree (an older checkout) to see it fail there.
const SRC = resolve(process.env.I18N_SRC ?? resolve(import.meta.dirname, '../../src'));

/** What a person reads in the terminal and of a check: the report, the runs, the phases. */
const TERMINAL = [
  'cli/progress.ts',
  'cli/results-text.ts',
  'cli/run.ts',
  'cli/login.ts',
  'cli/plan.ts',
  'cli/demo.ts',
  'cli/terminal-session.ts',
  'engine/build-report.ts',
  'engine/run-plan.ts',
  'engine/conclude-run.ts',
  'hunter/phrases.ts',
  'auth/login.ts',
  'auth/outcome.ts',
];

function phaseFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return phaseFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

/** Two words in a row: a sentence, or part of one. Ids, paths, argv, keys and headers have none. */
const WORDS = /\p{L}{2,},? +\p{L}{2,}/u;

/** Where a literal is not words for a person: log lines, bug reports, matching a peer's text. */
function allowed(node: ts.Node, tree: ts.SourceFile): boolean {
  for (let at: ts.Node = node; at.parent; at = at.parent) {
    const parent = at.parent;
    if (ts.isLiteralTypeNode(parent) || ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent))
      return true;
    if (ts.isNewExpression(parent) && parent.expression.getText(tree) === 'Error') return true;
    if (ts.isCallExpression(parent)) {
      if (parent.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
      const callee = parent.expression.getText(tree);
      // Log lines stay English (docs/architecture.md); a peer's text is matched as it is.
      if (/^(log|logger|console)\.\w+$|\.(startsWith|endsWith|includes)$/.test(callee)) return true;
      return false;
    }
    if (ts.isBinaryExpression(parent) && /^[!=]==?$/.test(parent.operatorToken.getText(tree))) return true;
    if (ts.isBlock(parent) || ts.isSourceFile(parent)) return false;
  }
  return false;
}

/** The static text of a literal; a template's parts are kept apart so fields never join words. */
function textOf(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('\u0000');
  return undefined;
}

function looseWords(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const tree = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const words = textOf(node);
    if (words !== undefined && WORDS.test(words) && !allowed(node, tree)) {
      const line = tree.getLineAndCharacterOfPosition(node.getStart(tree)).line + 1;
      found.push(`${file}:${line}: ${node.getText(tree).slice(0, 70)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return found;
}

describe('the terminal and the checks speak only through the catalogue', () => {
  const files = [...TERMINAL, ...phaseFiles(join(SRC, 'phases'))];

  it('reads the files it guards', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('has no sentence outside src/i18n/catalogue in the report, the CLI runs and the phases', () => {
    expect(files.flatMap(looseWords)).toEqual([]);
  });
});
