import type { Catalogue } from './shape.ts';
import { approval } from './tr/approval.ts';
import { buttons } from './tr/buttons.ts';
import { checks } from './tr/checks.ts';
import { cli } from './tr/cli.ts';
import { clicks } from './tr/clicks.ts';
import { commands } from './tr/commands.ts';
import { common } from './tr/common.ts';
import { dm } from './tr/dm.ts';
import { home } from './tr/home.ts';
import { permissions } from './tr/permissions.ts';
import { report } from './tr/report.ts';
import { root } from './tr/root.ts';
import { thread } from './tr/thread.ts';
import { ticket } from './tr/ticket.ts';
import { views } from './tr/views.ts';
import { window } from './tr/window.ts';

/** Every word pc-verify shows a person, in Turkish: the runbook's own language (docs/activation-plan.tr.md). */
export const tr: Catalogue = {
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
};
