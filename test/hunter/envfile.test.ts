import { describe, expect, it } from 'vitest';
import { parseEnvListing, readFlag } from '../../src/hunter/env-values.ts';
import { parseEnvFile, setEnvVar } from '../../src/hunter/envfile.ts';

const FLAG = 'HUNTER_PARTNER_CENTER_ENABLED';

function entriesOf(text: string): ReadonlyMap<string, string> {
  const parsed = parseEnvFile(text);
  if (!parsed.ok) throw new Error(`line ${parsed.line}: ${parsed.problem}`);
  return parsed.entries;
}

function edit(text: string, key: string, value: string) {
  const result = setEnvVar(text, key, value);
  if (!result.ok) throw new Error(result.problem);
  return result;
}

const HUNTER_ENV = [
  '# Hunter settings',
  'HUNTER_DATABASE_URL=postgresql://dyn365hunter:pw@postgres:5432/dyn365hunter',
  '',
  '# Partner Center',
  'export HUNTER_PARTNER_CENTER_ENABLED=true   # flip with care',
  "HUNTER_PARTNER_CENTER_CLIENT_ID='0000-1111'",
  'HUNTER_PARTNER_CENTER_TENANT_ID="tenant-abc"  # the directory',
  'HUNTER_PARTNER_CENTER_API_URL=https://api.partnercenter.microsoft.com/v1',
  '',
].join('\n');

describe('parseEnvFile', () => {
  it('reads plain, exported, quoted and commented assignments', () => {
    expect(Object.fromEntries(entriesOf(HUNTER_ENV))).toEqual({
      HUNTER_DATABASE_URL: 'postgresql://dyn365hunter:pw@postgres:5432/dyn365hunter',
      HUNTER_PARTNER_CENTER_ENABLED: 'true',
      HUNTER_PARTNER_CENTER_CLIENT_ID: '0000-1111',
      HUNTER_PARTNER_CENTER_TENANT_ID: 'tenant-abc',
      HUNTER_PARTNER_CENTER_API_URL: 'https://api.partnercenter.microsoft.com/v1',
    });
  });

  it('keeps # inside unquoted values unless whitespace precedes it, and inside quotes always', () => {
    const entries = entriesOf('A=abc#def\nB=abc #def\nC="x # y" # c\nD=  spaced value  \nE=\nF = g\n');
    expect(Object.fromEntries(entries)).toEqual({
      A: 'abc#def',
      B: 'abc',
      C: 'x # y',
      D: 'spaced value',
      E: '',
      F: 'g',
    });
  });

  it('decodes the escapes python-dotenv decodes', () => {
    const entries = entriesOf(
      [String.raw`A="line1\nline2 \"q\" \\ \d"`, String.raw`B='it\'s \n'`].join('\n'),
    );
    expect(entries.get('A')).toBe('line1\nline2 "q" \\ \\d');
    expect(entries.get('B')).toBe("it's \\n");
  });

  it('reads a quoted value that spans lines and keeps counting lines after it', () => {
    const parsed = parseEnvFile('A="one\ntwo"\nB=x\nC="open\n');
    expect(parsed).toEqual({
      ok: false,
      line: 4,
      problem: 'the value of C opens a " quote that is never closed',
    });
    const ok = parseEnvFile('A="one\r\ntwo"\r\nB=x\r\n');
    expect(ok.ok && ok.entries.get('A')).toBe('one\ntwo');
    expect(ok.ok && ok.lines.map((l) => l.line)).toEqual([1, 3]);
  });

  it('refuses what it cannot read unambiguously, naming the line', () => {
    expect(parseEnvFile("OK=1\nA='unterminated\n")).toMatchObject({ ok: false, line: 2 });
    expect(parseEnvFile('A="x" trailing\n')).toEqual({
      ok: false,
      line: 1,
      problem: 'unexpected text after the closing quote of A',
    });
    expect(parseEnvFile('just some words\n')).toMatchObject({ ok: false, line: 1 });
    expect(parseEnvFile('=value\n')).toMatchObject({ ok: false, line: 1 });
    const hash = parseEnvFile('\n\nA= # fill me in\n');
    expect(hash).toMatchObject({ ok: false, line: 3 });
    expect(!hash.ok && hash.problem).toContain('starts with "#"');
  });

  it('lets the last of duplicate keys win and treats a bare KEY as no value', () => {
    const entries = entriesOf('A=1\nA=2\nBARE\nexport ALSO_BARE # note\n');
    expect(entries.get('A')).toBe('2');
    expect(entries.has('BARE')).toBe(false);
    expect(entries.has('ALSO_BARE')).toBe(false);
  });

  it('ignores a byte-order mark and an empty file', () => {
    expect(entriesOf('\uFEFFA=1\n').get('A')).toBe('1');
    expect(parseEnvFile('')).toEqual({ ok: true, entries: new Map(), lines: [] });
  });
});

describe('setEnvVar', () => {
  it('changes only the value, keeping export, spacing and the inline comment', () => {
    const result = edit(HUNTER_ENV, FLAG, 'false');
    expect(result.changed).toBe(true);
    expect(result.text).toBe(
      HUNTER_ENV.replace(
        'export HUNTER_PARTNER_CENTER_ENABLED=true   # flip with care',
        'export HUNTER_PARTNER_CENTER_ENABLED=false   # flip with care',
      ),
    );
    expect(entriesOf(result.text).get(FLAG)).toBe('false');
  });

  it('keeps the quoting style of the line it edits', () => {
    expect(edit('A="true" # c\n', 'A', 'false').text).toBe('A="false" # c\n');
    expect(edit("  A = 'true'\n", 'A', 'false').text).toBe("  A = 'false'\n");
  });

  it('keeps CRLF line endings and a missing final newline', () => {
    expect(edit('X=1\r\nA=true\r\nY=2', 'A', 'false').text).toBe('X=1\r\nA=false\r\nY=2');
    expect(edit('X=1\r\n', 'A', 'false').text).toBe('X=1\r\nA=false\r\n');
  });

  it('appends when the key is absent, adding a newline only where one is missing', () => {
    expect(edit('X=1\n', FLAG, 'false').text).toBe(`X=1\n${FLAG}=false\n`);
    expect(edit('X=1', FLAG, 'false').text).toBe(`X=1\n${FLAG}=false\n`);
    expect(edit('', FLAG, 'true').text).toBe(`${FLAG}=true\n`);
  });

  it('reports no change and returns the text untouched when the value is already set', () => {
    const result = edit(HUNTER_ENV, FLAG, 'true');
    expect(result).toEqual({ ok: true, text: HUNTER_ENV, changed: false, duplicates: [] });
  });

  it('edits the last of duplicate lines (the one that wins) and reports the others', () => {
    const result = edit('A=true\n# again\nA=true\n', 'A', 'false');
    expect(result.text).toBe('A=true\n# again\nA=false\n');
    expect(result.duplicates).toEqual([1]);
    expect(entriesOf(result.text).get('A')).toBe('false');
  });

  it('gives a bare KEY line a value in place', () => {
    expect(edit('A # todo\nB=1\n', 'A', 'false').text).toBe('A=false # todo\nB=1\n');
    expect(edit('A#todo\n', 'A', 'false').text).toBe('A=false #todo\n');
  });

  it('quotes values that would not survive unquoted, and refuses unwritable ones', () => {
    expect(edit('A=x\n', 'A', 'has space').text).toBe("A='has space'\n");
    expect(edit('A=x\n', 'A', '$HOME/x').text).toBe("A='$HOME/x'\n");
    expect(entriesOf(edit('A=x\n', 'A', "it's").text).get('A')).toBe("it's");
    expect(setEnvVar('A=x\n', 'A', 'a\nb')).toMatchObject({ ok: false });
    expect(setEnvVar('A=x\n', 'A', `it's "$x"`)).toMatchObject({ ok: false });
  });

  it('refuses a file it cannot parse and an invalid key, never rewriting blindly', () => {
    expect(setEnvVar('A="open\n', 'A', 'x')).toEqual({
      ok: false,
      problem: 'line 1: the value of A opens a " quote that is never closed',
    });
    expect(setEnvVar('A=1\n', 'BAD KEY', 'x')).toMatchObject({ ok: false });
  });

  it('keeps every other byte of a larger realistic file', () => {
    const lines = Array.from({ length: 50 }, (_, i) =>
      i % 7 === 0 ? `# section ${i}` : `VAR_${i}="v ${i}"  # c${i}`,
    );
    lines.splice(25, 0, `${FLAG}=on`);
    const text = `${lines.join('\r\n')}\r\n\r\n`;
    const result = edit(text, FLAG, 'false');
    expect(result.text).toBe(text.replace(`${FLAG}=on`, `${FLAG}=false`));
  });
});

describe('readFlag', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['On', true],
    ['t', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['no', false],
    ['OFF', false],
    ['n', false],
    ['', 'invalid'],
    ['enabled', 'invalid'],
    [' true', 'invalid'],
  ] as const)('reads %j as %j', (value, expected) => {
    expect(readFlag(new Map([[FLAG, value]]))).toBe(expected);
  });

  it('is unset when absent, and matches the name case-insensitively like pydantic-settings', () => {
    expect(readFlag(new Map())).toBe('unset');
    expect(readFlag(entriesOf('hunter_partner_center_enabled=false\n'))).toBe(false);
    expect(readFlag(entriesOf(`${FLAG}=true\nhunter_partner_center_enabled=false\n`))).toBe(true);
  });
});

describe('parseEnvListing', () => {
  it('reads printenv output literally, without quote or comment rules', () => {
    const entries = parseEnvListing(
      `PATH=/usr/bin\nA='quoted'\nB=x # not a comment\nC=a=b\nMULTI=one\ntwo\n${FLAG}=false\n`,
    );
    expect(Object.fromEntries(entries)).toEqual({
      PATH: '/usr/bin',
      A: "'quoted'",
      B: 'x # not a comment',
      C: 'a=b',
      MULTI: 'one\ntwo',
      [FLAG]: 'false',
    });
  });
});
