import { describe, expect, it } from 'vitest';
import { clip, tail } from '../../src/util/truncate.ts';

const LINES = Array.from(
  { length: 40 },
  (_, i) => `line ${String(i).padStart(2, '0')} ${'x'.repeat(20)}`,
).join('\n');

describe('clip', () => {
  it('returns short text unchanged', () => {
    expect(clip('short', 10)).toBe('short');
    expect(clip('', 0)).toBe('');
    expect(clip('exactly10!', 10)).toBe('exactly10!');
  });

  it('keeps whole lines from the start and counts what was dropped', () => {
    const out = clip(LINES, 200);
    expect(out.length).toBeLessThanOrEqual(200);
    const [kept, marker] = out.split('… (');
    expect(kept!.endsWith('\n')).toBe(true);
    expect(LINES.startsWith(kept!)).toBe(true);
    expect(marker).toBe(`${LINES.length - kept!.length} more chars)`);
  });

  it('cuts a single long line mid-line with the marker right after', () => {
    const text = 'a'.repeat(1000);
    const out = clip(text, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out).toMatch(/^a+… \(\d+ more chars\)$/);
    const kept = out.indexOf('…');
    expect(out).toContain(`(${1000 - kept} more chars)`);
  });

  it('cuts mid-line rather than wasting more than half the room on a line break', () => {
    const text = `ab\n${'c'.repeat(500)}`;
    const out = clip(text, 100);
    expect(out.startsWith(`ab\n${'c'.repeat(50)}`)).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(100);
    for (const max of [30, 31, 32, 33]) {
      const out = clip(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.replace(/… \(\d+ more chars\)$/, '')).toMatch(/^(😀)*$/u);
    }
  });

  it('falls back to a bare ellipsis when there is no room for the marker', () => {
    expect(clip('abcdefghijklmnop', 5)).toBe('abcd…');
    expect(clip('abc', 0)).toBe('');
  });
});

describe('tail', () => {
  it('returns short text unchanged', () => {
    expect(tail('short', 10)).toBe('short');
  });

  it('keeps whole lines from the end, marker first', () => {
    const out = tail(LINES, 200);
    expect(out.length).toBeLessThanOrEqual(200);
    const match = /^… \((\d+) more chars\)\n([\s\S]*)$/.exec(out);
    expect(match).not.toBeNull();
    const kept = match![2]!;
    expect(kept.startsWith('line ')).toBe(true);
    expect(LINES.endsWith(kept)).toBe(true);
    expect(Number(match![1])).toBe(LINES.length - kept.length);
  });

  it('cuts a single long line mid-line', () => {
    const text = `${'a'.repeat(500)}END`;
    const out = tail(text, 60);
    expect(out.length).toBeLessThanOrEqual(60);
    expect(out).toMatch(/^… \(\d+ more chars\) a+END$/);
  });

  it('never starts inside a surrogate pair', () => {
    const text = '😀'.repeat(100);
    for (const max of [30, 31, 32, 33]) {
      const out = tail(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.replace(/^… \(\d+ more chars\) /, '')).toMatch(/^(😀)*$/u);
    }
  });
});
