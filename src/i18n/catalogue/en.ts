import { approval } from './en/approval.ts';
import { buttons } from './en/buttons.ts';
import { checks } from './en/checks.ts';
import { cli } from './en/cli.ts';
import { clicks } from './en/clicks.ts';
import { commands } from './en/commands.ts';
import { common } from './en/common.ts';
import { dm } from './en/dm.ts';
import { home } from './en/home.ts';
import { permissions } from './en/permissions.ts';
import { report } from './en/report.ts';
import { root } from './en/root.ts';
import { thread } from './en/thread.ts';
import { ticket } from './en/ticket.ts';
import { views } from './en/views.ts';
import { window } from './en/window.ts';

/**
 * Every word pc-verify shows a person, in English: the reference catalogue, one section per
 * surface (`en/<section>.ts`). Keys name what the message is for; `{{name}}` is a field;
 * `_one` / `_other` are i18next's plural forms (CLDR). Every key is also in `tr.ts`: its type
 * and test/i18n/catalogue.test.ts hold that.
 */
export const en = {
  common,
  report,
  cli,
  checks,
  window,
  approval,
  buttons,
  permissions,
  clicks,
  ticket,
  thread,
  root,
  dm,
  home,
  views,
  commands,
} as const;
