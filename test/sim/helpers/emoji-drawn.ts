import type { Page } from 'playwright-core';
import { z } from 'zod';
import { EMOJI } from '../../../sim/console/mrkdwn.ts';

/** What Debian's fonts-noto-color-emoji installs; Debian's chromium brings no emoji font of its own. */
export const EMOJI_FONT = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';

/** A private-use codepoint no font draws: what the page shows for a glyph it has no font for. */
const MISSING = '\u{10FFFD}';

/** Emoji whose glyph is colourful in every colour emoji font (the circles and signs may be grey). */
const COLOURFUL = ['closed_lock_with_key', 'rotating_light'] as const;

export interface EmojiDrawing {
  readonly name: string;
  /** Pixels with any ink. */
  readonly ink: number;
  /** Pixels whose colour is not a grey: only a colour emoji font draws them (the text is black). */
  readonly coloured: number;
  /** Drawn exactly as the missing codepoint: an empty box (or nothing). */
  readonly asMissing: boolean;
}

/**
 * Draws each of the bot's emoji on a canvas in the font the page gives `.emoji` (so what a person
 * would see), beside a codepoint no font has. `document.fonts.check()` cannot tell: it answers
 * true for a system font that is not installed.
 */
export async function drawEmoji(page: Page): Promise<EmojiDrawing[]> {
  const glyphs = Object.entries(EMOJI).map(([name, glyph]) => ({ name, glyph }));
  const drawn = await page.evaluate(`(${IN_PAGE})(${JSON.stringify({ glyphs, missing: MISSING })})`);
  return z.array(Drawing).parse(drawn);
}

const Drawing = z.object({ name: z.string(), ink: z.number(), coloured: z.number(), asMissing: z.boolean() });

/** Runs in the page (plain JavaScript: the project's types have no DOM). */
const IN_PAGE = `({ glyphs, missing }) => {
  const probe = document.createElement('span');
  probe.className = 'emoji';
  document.body.append(probe);
  const family = getComputedStyle(probe).fontFamily;
  probe.remove();
  const size = 48;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  const draw = (text) => {
    g.clearRect(0, 0, size, size);
    g.font = '32px ' + family;
    g.textBaseline = 'top';
    g.fillStyle = '#000';
    g.fillText(text, 4, 4);
    return g.getImageData(0, 0, size, size).data;
  };
  const box = draw(missing);
  return glyphs.map(({ name, glyph }) => {
    const px = draw(glyph);
    let ink = 0;
    let coloured = 0;
    let asMissing = true;
    for (let i = 0; i < px.length; i += 4) {
      const r = px[i], gr = px[i + 1], b = px[i + 2], a = px[i + 3];
      if (a > 0) ink++;
      if (a > 128 && Math.max(r, gr, b) - Math.min(r, gr, b) > 60) coloured++;
      if (r !== box[i] || gr !== box[i + 1] || b !== box[i + 2] || a !== box[i + 3]) asMissing = false;
    }
    return { name, ink, coloured, asMissing };
  });
}`;

/** What is wrong with the page's emoji, in words; empty when every one is drawn and in colour. */
export function emojiProblems(drawn: readonly EmojiDrawing[]): string[] {
  const problems = drawn
    .filter((d) => d.asMissing || d.ink === 0)
    .map((d) => `:${d.name}: is drawn as an empty box`);
  for (const name of COLOURFUL) {
    const d = drawn.find((x) => x.name === name);
    if (!d || d.coloured === 0) problems.push(`:${name}: is not drawn in colour (no colour emoji font)`);
  }
  return problems;
}
