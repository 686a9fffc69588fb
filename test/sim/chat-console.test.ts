import { mkdir } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type ConsoleInBrowser, openConsoleInBrowser, skipBrowser } from './helpers/console-browser.ts';

/**
 * The chat console in Debian's headless Chromium: the staging and prod stories as a person
 * clicks them, and the README's screenshots. With PCV_REQUIRE_BROWSER=1 (CI) a missing Chromium
 * or emoji font fails the test; elsewhere it skips with a message (scripts/services.sh installs them).
 */

// The README's pictures are refreshed on purpose (PCV_UPDATE_SCREENSHOTS=1), not by every run:
// a test run leaves the working tree as it found it.
const SHOTS =
  process.env.PCV_UPDATE_SCREENSHOTS === '1'
    ? new URL('../../docs/', import.meta.url)
    : new URL('../../.tmp/screenshots/', import.meta.url);
describe.skipIf(skipBrowser)('pc-verify demo --chat in a browser', () => {
  let ui: ConsoleInBrowser;
  let page: Page;

  beforeAll(async () => {
    ui = await openConsoleInBrowser();
    page = ui.page;
    await mkdir(SHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await ui?.stop();
  }, 60_000);

  const channel = () => ui.channel();
  const thread = () => ui.thread();
  const root = (env: string) => ui.root(env);
  const command = (text: string) => ui.command(text);
  const waitForText = (where: Locator, text: string) => ui.waitForText(where, text);
  const shot = (name: string) => page.screenshot({ path: new URL(`console-${name}.png`, SHOTS).pathname });

  /** The requester's DM: the code, "Open login page", the sign-in page, Approve. */
  async function signInFromDm(env: string, screenshot?: string): Promise<void> {
    await page.getByRole('button', { name: 'Direct messages with pc-verify' }).click();
    const dm = channel()
      .locator('article')
      .filter({ hasText: `pc-verify · ${env} needs you to sign in` });
    await dm.getByRole('button', { name: 'Open login page' }).waitFor();
    // textContent runs the code into the next sentence ("…DNN" + "Open the login page"): read up to it.
    const code = /Your code:\s*([A-Z0-9]+?)\s*Open the login page/.exec((await dm.textContent()) ?? '')?.[1];
    if (code === undefined) throw new Error('no code in the DM');
    if (screenshot) await shot(screenshot);
    await expectNoEmojiCodes();
    const [signin] = await Promise.all([
      page.context().waitForEvent('page'),
      dm.getByRole('button', { name: 'Open login page' }).click(),
    ]);
    await signin.getByLabel('Code').fill(code);
    await signin.getByRole('button', { name: 'Approve' }).click();
    await signin.getByText('You have signed in').waitFor();
    await signin.close();
    await channel().getByText(`sign-in`).first().waitFor();
    await page.getByRole('button', { name: 'Channel pc-verify' }).click();
  }

  const expectNoEmojiCodes = () => ui.expectNoEmojiCodes();

  it("draws the bot's emoji with the colour emoji font, none as an empty box", async () => {
    await ui.expectEmojiDrawn();
  });

  it('staging: the checklist fills, the DM shows the code, the root says "Can be turned ON: YES"', async () => {
    await command('/pc-verify staging');
    await waitForText(root('staging'), 'PHASE 0');
    await waitForText(root('staging'), 'waiting for the device-code login');
    await signInFromDm('staging', 'dm');
    await waitForText(root('staging'), 'Can be turned ON: YES');
    await thread().getByText('replies').first().waitFor();
    await expectNoEmojiCodes();
    await shot('staging');
  }, 180_000);

  it('prod: the requester may not approve; the approver approves through the confirm dialog; prod turns ON', async () => {
    await command('/pc-verify prod');
    await waitForText(root('prod'), 'waiting for the device-code login');
    await signInFromDm('prod');
    const approve = thread().getByRole('button', { name: 'Approve' });
    await approve.waitFor();

    await approve.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    const refusal = page.getByText('You requested this run, so you cannot approve it');
    await refusal.first().waitFor();
    await shot('refused');

    await page.getByLabel('Acting as').selectOption({ label: 'Bob Approver (approver)' });
    await refusal.first().waitFor({ state: 'hidden' });
    await approve.click();
    await dialog.waitFor();
    await shot('confirm');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await waitForText(root('prod'), 'Can be turned ON: YES');
    await expectNoEmojiCodes();
    await shot('prod');
  }, 240_000);

  it('prod: the kill switch acts, then its "Add a reason" modal puts the reason in its thread', async () => {
    await command('/pc-verify off prod');
    const killed = channel().locator('article').filter({ hasText: 'the Partner Center flag is OFF in prod' });
    await killed.waitFor();
    await killed.getByRole('button', { name: 'Add a reason' }).click();
    const modal = page.getByRole('dialog', { name: 'Why the kill switch?' });
    await modal.getByLabel('Reason').fill('partners see 500s on sync');
    await modal.getByRole('button', { name: 'Add to the audit' }).click();
    await modal.waitFor({ state: 'hidden' });
    await killed.getByRole('button', { name: /repl/ }).first().click();
    await waitForText(thread(), 'partners see 500s on sync');
    await expectNoEmojiCodes();
  }, 120_000);
});
