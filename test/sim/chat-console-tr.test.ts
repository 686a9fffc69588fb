import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { type ConsoleInBrowser, openConsoleInBrowser, skipBrowser } from './helpers/console-browser.ts';

/**
 * The chat console of a `language: tr` deployment in Debian's headless Chromium: the staging
 * and prod stories a Turkish team clicks through, with the bot's words in Turkish on the page.
 * The words are read from the Turkish catalogue, so a rewording there does not break the story,
 * but an English word where a Turkish one belongs does.
 */

const tr = translator('tr');

describe.skipIf(skipBrowser)('pc-verify demo --chat --language tr in a browser', () => {
  let ui: ConsoleInBrowser;
  let page: Page;

  beforeAll(async () => {
    ui = await openConsoleInBrowser('tr');
    page = ui.page;
  }, 60_000);

  afterAll(async () => {
    await ui?.stop();
  }, 60_000);

  const channel = () => ui.channel();
  const root = (env: string) => ui.root(env);
  const command = (text: string) => ui.command(text);
  const waitForText = (where: Locator, text: string) => ui.waitForText(where, text);
  /** A catalogue text as the page shows it: mrkdwn's `*bold*` and backticks are drawn, not typed. */
  const shown = (text: string) => text.replace(/[*`]/g, '');

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
    await ui.expectNoEmojiCodes();
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
    const text = (await root('staging').first().textContent()) ?? '';
    expect(text).not.toContain('Can be turned ON');
    expect(text).not.toContain('Environment and Migration');
    await ui.expectNoEmojiCodes();
  }, 180_000);

  it('prod: the requester may not approve; the approver approves in Turkish; prod turns ON', async () => {
    await command('/pc-verify prod');
    await waitForText(root('prod'), tr('root.state.awaiting_login'));
    await signInFromDm('prod');
    const approve = ui.thread().getByRole('button', { name: tr('approval.buttons.approve') });
    await approve.waitFor();

    await approve.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: tr('approval.buttons.approve') }).click();
    const refusal = page.getByText(tr('permissions.selfApproval'));
    await refusal.first().waitFor();

    await page.getByLabel('Acting as').selectOption({ label: 'Bob Approver (approver)' });
    await refusal.first().waitFor({ state: 'hidden' });
    await approve.click();
    await dialog.getByRole('button', { name: tr('approval.buttons.approve') }).click();
    await waitForText(root('prod'), canTurnOn());
    expect((await root('prod').first().textContent()) ?? '').not.toContain('Can be turned ON');
    await ui.expectNoEmojiCodes();
  }, 240_000);
});
