import { existsSync } from 'node:fs';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type ChatConsole, startChatConsole } from '../../../sim/console/index.ts';
import type { Language } from '../../../src/i18n/index.ts';
import { keepEvidence } from '../../helpers/evidence.ts';
import { REDIS_URL } from '../../helpers/services.ts';
import { drawEmoji, EMOJI_FONT, emojiProblems } from './emoji-drawn.ts';

export const CHROMIUM = '/usr/bin/chromium';
const RUN_MS = 60_000;

/** What the browser tests need and this machine lacks. */
export const browserMissing = [
  ...(existsSync(CHROMIUM) ? [] : [`${CHROMIUM} (apt-get install chromium)`]),
  ...(existsSync(EMOJI_FONT) ? [] : [`${EMOJI_FONT} (apt-get install fonts-noto-color-emoji)`]),
];

/**
 * With PCV_REQUIRE_BROWSER=1 (CI, `.ci/run`) a missing Chromium or emoji font fails the browser
 * tests; elsewhere they skip, saying what is missing (scripts/services.sh installs both as root).
 */
export const skipBrowser = process.env.PCV_REQUIRE_BROWSER !== '1' && browserMissing.length > 0;
if (skipBrowser)
  process.stderr.write(`chat console browser tests skipped: missing ${browserMissing.join(', ')}\n`);

/** The chat console in Debian's headless Chromium, and what a test reads and types on its page. */
export interface ConsoleInBrowser {
  readonly page: Page;
  channel(): Locator;
  thread(): Locator;
  /** The root message of an environment's run. */
  root(env: string): Locator;
  command(text: string): Promise<void>;
  waitForText(where: Locator, text: string): Promise<void>;
  /**
   * Every emoji code the bot sent is drawn as an emoji: a `:name:` left as text means the
   * console's renderer has no glyph for it (Slack would show one).
   */
  expectNoEmojiCodes(): Promise<void>;
  /** The bot's emoji are drawn by a colour emoji font, none as an empty box. */
  expectEmojiDrawn(): Promise<void>;
  stop(): Promise<void>;
}

export async function openConsoleInBrowser(language?: Language): Promise<ConsoleInBrowser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: the chat console test needs Debian's chromium (apt-get install chromium)`,
    );
  const logs: string[] = [];
  const chat: ChatConsole = await startChatConsole({
    redisUrl: REDIS_URL,
    ...(language ? { language } : {}),
    log: (line) => void logs.push(line),
  });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(RUN_MS);
    await page.goto(chat.url);
    return consoleOn(page, async () => {
      await browser?.close();
      await chat.stop();
      await keepEvidence('chat-console-logs', logs.join('\n'));
    });
  } catch (error) {
    await browser?.close();
    await chat.stop();
    throw error;
  }
}

function consoleOn(page: Page, stop: () => Promise<void>): ConsoleInBrowser {
  const channel = () => page.locator('#messages');
  return {
    page,
    channel,
    thread: () => page.locator('#thread'),
    root: (env) =>
      channel()
        .locator('article')
        .filter({ hasText: `pc-verify · ${env}` }),
    async command(text) {
      await page.getByLabel('Message #pc-verify').fill(text);
      await page.getByLabel('Message #pc-verify').press('Enter');
    },
    async waitForText(where, text) {
      await where.filter({ hasText: text }).first().waitFor();
    },
    async expectNoEmojiCodes() {
      const text = (await page.locator('body').allInnerTexts()).join('\n');
      expect(text.match(/(?<![\w:/]):[a-z][a-z0-9_+-]*:(?![\w/])/g) ?? []).toEqual([]);
    },
    async expectEmojiDrawn() {
      expect(emojiProblems(await drawEmoji(page)), 'install fonts-noto-color-emoji').toEqual([]);
    },
    stop,
  };
}
