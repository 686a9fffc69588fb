import { FLAG_VAR } from '../config/expect.ts';

/** The strings pydantic accepts for a bool, case-insensitively. */
const TRUE_WORDS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/**
 * The flag as Hunter's pydantic settings would read it from these entries. pydantic-settings
 * matches names case-insensitively by default, so a differently cased key counts when the exact
 * one is absent.
 */
export function readFlag(
  entries: ReadonlyMap<string, string>,
  name: string = FLAG_VAR,
): boolean | 'unset' | 'invalid' {
  let raw = entries.get(name);
  if (raw === undefined) {
    for (const [key, value] of entries) if (key.toLowerCase() === name.toLowerCase()) raw = value;
  }
  if (raw === undefined) return 'unset';
  const word = raw.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return 'invalid';
}

/**
 * `printenv` / `env` output (the running container's environment): `KEY=value` with the raw
 * value to the end of the line, no quoting or comments. A line without `=` continues the
 * previous value (a value with a newline in it).
 */
export function parseEnvListing(text: string): ReadonlyMap<string, string> {
  const entries = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/.exec(line);
    if (m) {
      last = m[1]!;
      entries.set(last, m[2]!);
    } else if (last !== undefined && line !== '') {
      entries.set(last, `${entries.get(last)}\n${line}`);
    }
  }
  return entries;
}
