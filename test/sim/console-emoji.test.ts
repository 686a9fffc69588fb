import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EMOJI, type MentionNames, mrkdwnToHtml } from '../../sim/console/mrkdwn.ts';

const NAMES: MentionNames = { user: () => undefined, channel: () => undefined };
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Emoji codes in the bot's texts: `:name:` opening a string or after a space, followed by a space. */
function emojiCodesInSrc(): Set<string> {
  const codes = new Set<string>();
  for (const file of sources(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?<=[`'"\s]):([a-z][a-z0-9_+-]*):(?=\s)/g))
      codes.add(m[1]!);
  }
  return codes;
}

describe("the console's emoji", () => {
  it('draws every emoji code the bot sends as an emoji, not as `:name:`', () => {
    const codes = emojiCodesInSrc();
    expect(codes).toContain('closed_lock_with_key');
    const missing = [...codes].filter((c) => EMOJI[c] === undefined);
    expect(missing).toEqual([]);
    for (const code of codes) expect(mrkdwnToHtml(`:${code}: done`, NAMES)).toContain(`>${EMOJI[code]}<`);
  });
});
