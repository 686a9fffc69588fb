import { describe, expect, it } from 'vitest';
import { parsePythonLiteral } from '../../src/hunter/python-literal.ts';

function literal(text: string): unknown {
  const parsed = parsePythonLiteral(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.value;
}

const RUNBOOK_RESULT = {
  status: 'skipped',
  reason: 'Feature flag disabled',
  success_count: 0,
  failure_count: 0,
  skipped_count: 0,
};

describe('parsePythonLiteral', () => {
  it("reads the runbook's task result as celery result prints it", () => {
    expect(
      literal(
        "{'status': 'skipped', 'reason': 'Feature flag disabled', 'success_count': 0, 'failure_count': 0, 'skipped_count': 0}\n",
      ),
    ).toEqual(RUNBOOK_RESULT);
  });

  it('reads the same result as indented JSON with terminal colour codes (newer Celery)', () => {
    const colored =
      '{\n    \x1b[94m"failure_count"\x1b[39;49;00m: \x1b[34m0\x1b[39;49;00m,\n    "reason": "Feature flag disabled",\n' +
      '    "skipped_count": 0,\n    "status": "skipped",\n    "success_count": 0\n}\n';
    expect(literal(colored)).toEqual(RUNBOOK_RESULT);
  });

  it('reads nested dicts, lists, tuples, sets, True/False/None and numbers', () => {
    expect(
      literal(
        "{'ok': True, 'bad': False, 'none': None, 'items': [1, -2, 3.5, 1e3, -.5], 'pair': (1, 'a'), 'one': (7,), " +
          "'unit': (), 'paren': (42), 'set': {1, 2}, 'deep': {'a': [{'b': {}}]}, 1: 'int key', 'trailing': [1, 2,],}",
      ),
    ).toEqual({
      ok: true,
      bad: false,
      none: null,
      items: [1, -2, 3.5, 1000, -0.5],
      pair: [1, 'a'],
      one: [7],
      unit: [],
      paren: 42,
      set: [1, 2],
      deep: { a: [{ b: {} }] },
      '1': 'int key',
      trailing: [1, 2],
    });
  });

  it('reads quotes and escapes the way Python writes them', () => {
    expect(literal(String.raw`'it\'s'`)).toBe("it's");
    expect(literal(`"a 'b'"`)).toBe("a 'b'");
    expect(literal(String.raw`'tab\there\nnew \\ back \"dq\"'`)).toBe('tab\there\nnew \\ back "dq"');
    expect(literal(String.raw`'caf\xe9 \u2713 \U0001f600 \101'`)).toBe('café ✓ 😀 A');
    expect(literal(String.raw`'unknown \d stays'`)).toBe('unknown \\d stays');
    expect(literal(`'ünïcödé ✓'`)).toBe('ünïcödé ✓');
    expect(literal(`'con' "cat" 'enated'`)).toBe('concatenated');
    expect(literal(String.raw`b'bytes\x00' `)).toBe('bytes\u0000');
    expect(literal(String.raw`r'raw\n'`)).toBe('raw\\n');
  });

  it('reads JSON too, including escapes Python does not have', () => {
    expect(literal('{"a": [true, false, null], "b": "x\\/y \\ud83d\\ude00"}')).toEqual({
      a: [true, false, null],
      b: 'x/y 😀',
    });
  });

  it('reads the non-finite floats Python prints', () => {
    expect(literal('[inf, -inf, nan, Infinity]')).toEqual([
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ]);
  });

  it('treats a __proto__ key as data', () => {
    const value = literal("{'__proto__': {'polluted': True}}") as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((value as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it.each([
    ["__import__('os').system('id')", /call to "__import__"/],
    ['1+1', /unexpected "\+" after the value/],
    ['lambda: 1', /name "lambda" is not a literal/],
    ["{'a': os.environ}", /name "os"/],
    ["{'a': 1} ; print(1)", /after the value/],
    ['[1, 2', /expected "," or "]"/],
    ["'unterminated", /never closed/],
    ["{'a' 1}", /expected "," or "}"/],
    ['1j', /malformed number/],
    ['--1', /sign must be followed by a number/],
    ['', /empty/],
    ["'\\N{BULLET}'", /named escape/],
    ["'\\x4'", /malformed \\x escape/],
    [
      '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]',
      /nested deeper/,
    ],
  ])('refuses %j', (text, problem) => {
    const parsed = parsePythonLiteral(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(problem);
  });
});
