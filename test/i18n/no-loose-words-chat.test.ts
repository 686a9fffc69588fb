import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// LOOSE_WORDS_SRC: run the rule against another tree (an older checkout) to see it fail there.
const SRC = resolve(process.env.LOOSE_WORDS_SRC ?? resolve(import.meta.dirname, '../../src'));

/**
 * The chat's surfaces whose words come from the catalogue (src/i18n/catalogue: thread, root,
 * dm, home, views, commands, approval).
 */
const CHAT_SURFACES = [
  /^slack\/views\/[^/]+\.ts$/,
  /^commands\/[^/]+\.ts$/,
  /^outbox\/(run-notices|step-notices|phase-replies|run-announcer)\.ts$/,
  /^slack\/(deliver|buttons|ticket-modal|close-buttons|login-handoff|home|slash-command|unchecked-requests|watch-announcer)\.ts$/,
  /^lifecycle\/(lost-run|run-control|mark-cancelled)\.ts$/,
];

/** Calls whose text is for the log, the audit trail or a developer — English by rule, never shown in the chat. */
const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const AUDIT_CALLS = new Set(['auditCommand', 'auditRefusal', 'canonical']);
/** Object properties that hold log or audit words, or Slack's own identifiers. */
const NOT_SHOWN_PROPERTIES = new Set(['detail', 'queued', 'action_id', 'block_id', 'callback_id', 'msg']);

/** Two or more words of letters: a phrase a person reads. `${…}` parts do not count. */
function isPhrase(text: string): boolean {
  // Slack's own tokens (`{date_short_pretty}`, `<!date^…|…>`) are not words.
  const words = text.split(/\s+/).filter((word) => /\p{L}{2,}/u.test(word) && !/[{}^|]/.test(word));
  return words.length >= 2;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Why a literal is not a chat message: it is logged, audited, thrown, or a Slack identifier. */
function exempt(node: ts.Node): boolean {
  for (let up: ts.Node = node.parent; up && !ts.isSourceFile(up); up = up.parent) {
    if (ts.isCallExpression(up) || ts.isNewExpression(up)) {
      const callee = up.expression;
      const name = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : '';
      if (ts.isNewExpression(up) && /Error$/.test(name)) return true;
      // An error class's own message (`super(…)` in `class … extends Error`): for the log.
      if (callee.kind === ts.SyntaxKind.SuperKeyword) return true;
      if (ts.isPropertyAccessExpression(callee) && LOG_METHODS.has(name)) return true;
      if (AUDIT_CALLS.has(name)) return true;
    }
    if (ts.isPropertyAssignment(up) && ts.isIdentifier(up.name) && NOT_SHOWN_PROPERTIES.has(up.name.text))
      return true;
    if (ts.isImportDeclaration(up) || ts.isExportDeclaration(up) || ts.isTypeNode(up)) return true;
    if (ts.isFunctionLike(up) || ts.isClassLike(up)) {
      // `queued: (run) => \`…\``: the function's words are the property's (an audit detail).
      const owner = up.parent;
      return (
        ts.isPropertyAssignment(owner) &&
        ts.isIdentifier(owner.name) &&
        NOT_SHOWN_PROPERTIES.has(owner.name.text)
      );
    }
  }
  return false;
}

/** The literal text parts of a string or template literal (the `${…}` holes left out). */
function literalParts(node: ts.Node): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
  return [];
}

function looseWords(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const path = relative(SRC, file).replaceAll('\\', '/');
    if (!CHAT_SURFACES.some((surface) => surface.test(path))) continue;
    const text = readFileSync(file, 'utf8');
    const tree = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      const parts = literalParts(node);
      if (parts.length > 0) {
        if (parts.some(isPhrase) && !exempt(node)) {
          const line = tree.getLineAndCharacterOfPosition(node.getStart(tree)).line + 1;
          found.push(`${path}:${line} ${node.getText(tree).slice(0, 80)}`);
        }
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(tree);
  }
  return found;
}

describe('the chat’s words (src/i18n/catalogue)', () => {
  it('are all in the catalogue: no phrase is written in the Slack views, the commands or the notices', () => {
    expect(looseWords()).toEqual([]);
  });

  it('the rule sees a phrase when there is one', () => {
    expect(isPhrase('Cancelled by ')).toBe(true);
    expect(isPhrase('pc-verify ')).toBe(false);
    expect(isPhrase(':white_check_mark: ')).toBe(false);
    expect(isPhrase('commands.cancel.freed')).toBe(false);
  });
});
