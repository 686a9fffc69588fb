import { existsSync } from 'node:fs';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatConsole, startChatConsole } from '../../sim/console/index.ts';
import { translator } from '../../src/i18n/index.ts';
import { keepEvidence } from '../helpers/evidence.ts';
import { REDIS_URL } from '../helpers/services.ts';

/**
 * The chat console of a `language: tr` deployment in Debian's headless Chromium: the staging
 * and prod stories a Turkish team clicks through, with the bot's words in Turkish on the page.
 * The words are read from the Turkish catalogue, so a rewording there does not break the story,
 * but an English word where a Turkish one belongs does.
 */

const CHROMIUM = '/usr/bin/chromium';
const RUN_MS = 60_000;
const tr = translator('tr');
const haveChromium = existsSync(CHROMIUM);

describe.skipIf(!haveChromium && process.env.CI !== 'true')(
  'pc-verify demo --chat --language tr in a browser',
  () => {
    let chat: ChatConsole;
    let browser: Browser;
    let page: Page;
    const logs: string[] = [];

    beforeAll(async () => {
      if (!haveChromium)
        throw new Error(
          `${CHROMIUM} is missing: the chat console test needs Debian's chromium (apt-get install chromium)`,
        );
      chat = await startChatConsole({
        redisUrl: REDIS_URL,
        language: 'tr',
        log: (line) => void logs.push(line),
      });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      page.setDefaultTimeout(RUN_MS);
      await page.goto(chat.url);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await chat?.stop();
      await keepEvidence('chat-console-logs', logs.join('\n'));
    }, 60_000);

    const channel = () => page.locator('#messages');
    const thread = () => page.locator('#thread');
    const root = (env: string) =>
      channel()
        .locator('article')
        .filter({ hasText: `pc-verify · ${env}` });
    /** A catalogue text as the page shows it: mrkdwn's `*bold*` and backticks are drawn, not typed. */
    const shown = (text: string) => text.replace(/[*`]/g, '');

    async function command(text: string): Promise<void> {
      await page.getByLabel('Message #pc-verify').fill(text);
      await page.getByLabel('Message #pc-verify').press('Enter');
    }

    async function waitForText(where: Locator, text: string): Promise<void> {
      await where.filter({ hasText: text }).first().waitFor();
    }

    /** The requester's DM in Turkish: the code, the Turkish button, the sign-in page. */
    async function signInFromDm(env: string): Promise<void> {
      await page.getByRole('button', { name: 'Direct messages with pc-verify' }).click();
      const open = tr('dm.openLoginPage');
      const dm = channel()
        .locator('article')
        .filter({ hasText: shown(tr('dm.needsSignIn', { env })) });
      await dm.getByRole('button', { name: open }).waitFor();
      const code = /Kodunuz:\s*([A-Z0-9]+?)\s*Giriş/.exec((await dm.textContent()) ?? '')?.[1];
      if (code === undefined) throw new Error('no code in the Turkish DM');
      const [signin] = await Promise.all([
        page.context().waitForEvent('page'),
        dm.getByRole('button', { name: open }).click(),
      ]);
      await signin.getByLabel('Code').fill(code);
      await signin.getByRole('button', { name: 'Approve' }).click();
      await signin.getByText('You have signed in').waitFor();
      await signin.close();
      await page.getByRole('button', { name: 'Channel pc-verify' }).click();
    }

    const canTurnOn = () => shown(tr('root.overall', { verdict: 'PASS', yes: tr('root.yes') }));

    it('staging: the checklist, the DM and the verdict are Turkish', async () => {
      await command('/pc-verify staging');
      await waitForText(
        root('staging'),
        shown(tr('root.phaseHead', { n: 0, title: tr('root.phaseTitle.p0') })),
      );
      await waitForText(root('staging'), tr('root.state.awaiting_login'));
      await signInFromDm('staging');
      await waitForText(root('staging'), canTurnOn());
      const text = await root('staging').first().innerText();
      expect(text).not.toContain('Can be turned ON');
      expect(text).not.toContain('Environment and Migration');
    }, 180_000);
  },
);
