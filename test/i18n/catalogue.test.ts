import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/catalogue/en.ts';
import { tr } from '../../src/i18n/catalogue/tr.ts';
import { translator } from '../../src/i18n/index.ts';

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value as object, `${prefix}${key}.`),
  );
}

describe('the message catalogues', () => {
  it('have the same keys in English and Turkish', () => {
    expect(keys(tr).sort()).toEqual(keys(en).sort());
  });

  it('use the same fields in both languages', () => {
    const fields = (text: string) => [...text.matchAll(/\{\{(\w+)/g)].map((m) => m[1]).sort();
    const lookup = (tree: object, path: string) =>
      path
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree) as string;
    const differing = keys(en).filter(
      (key) => fields(lookup(en, key)).join() !== fields(lookup(tr, key)).join(),
    );
    expect(differing).toEqual([]);
  });

  // The Turkish runbook keeps these in English, word for word: its results template's status
  // lines and the check titles of the template (docs/activation-plan.tr.md, "Test Sonuçları Template").
  const RUNBOOK_VERBATIM = [
    'report.template.status',
    'report.template.failed',
    'report.template.overall',
    'checks.registry.healthOff.title',
    'checks.registry.healthOffAgain.title',
    'checks.registry.healthOn.title',
    'checks.registry.taskOff.title',
    'checks.registry.apiOn.title',
  ];

  it('leave no Turkish message equal to its English one, but for names, pure fields and the runbook’s own English', () => {
    const lookup = (tree: object, path: string) =>
      path
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree) as string;
    const same = keys(en).filter((key) => {
      const words = lookup(en, key)
        .replace(/\{\{[^}]*\}\}/g, '')
        .replace(/[^\p{L}]/gu, '');
      return words.length > 3 && lookup(en, key) === lookup(tr, key) && !RUNBOOK_VERBATIM.includes(key);
    });
    expect(same).toEqual([]);
  });
});

describe('the translator', () => {
  it('chooses plural forms by the language’s rules', () => {
    expect(translator('en')('common.approvers', { count: 1 })).toBe('1 approver');
    expect(translator('en')('common.approvers', { count: 2 })).toBe('2 approvers');
    expect(translator('tr')('common.approvers', { count: 2 })).toBe('2 onaylayıcı');
  });

  it('writes dates through Intl in the language and the given time zone', () => {
    const when = new Date('2026-03-29T00:30:00Z');
    expect(translator('tr', 'Europe/Istanbul')('common.at', { when })).toBe(
      new Intl.DateTimeFormat('tr', { timeZone: 'Europe/Istanbul' }).format(when),
    );
  });

  it('refuses a key it has no words for instead of showing the key', () => {
    // @ts-expect-error: not a key of the catalogue
    expect(() => translator('en')('no.such.key')).toThrow(/no words for "no.such.key"/);
  });
});
