import { existsSync } from 'node:fs';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { type ChatConsole, startChatConsole } from '../../../sim/console/index.ts';
import type { Language } from '../../../src/i18n/index.ts';
import { keepEvidence } from '../../helpers/evidence.ts';
import { REDIS_URL } from '../../helpers/services.ts';

export const CHROMIUM = '/usr/bin/chromium';
const RUN_MS = 60_000;

/** In CI a missing Chromium fails the browser tests; locally they skip (scripts/services.sh installs it). */
export const skipBrowser = !existsSync(CHROMIUM) && process.env.CI !== 'true';

/** The chat console in Debian's headless Chromium, and what a test reads and types on its page. */
export interface ConsoleInBrowser {
  readonly page: Page;
  channel(): Locator;
  thread(): Locator;
  /** The root message of an environment's run. */
  root(env: string): Locator;
  command(text: string): Promise<void>;
  waitForText(where: Locator, text: string): Promise<void>;
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
    stop,
  };
}
