import type { Catalogue } from './shape.ts';
import { approval } from './tr/approval.ts';
import { checks } from './tr/checks.ts';
import { cli } from './tr/cli.ts';
import { common } from './tr/common.ts';
import { report } from './tr/report.ts';
import { ticket } from './tr/ticket.ts';
import { window } from './tr/window.ts';

/** Every word pc-verify shows a person, in Turkish: the runbook's own language (docs/activation-plan.tr.md). */
export const tr: Catalogue = {
  common,
  report,
  cli,
  checks,
  window,
  approval,
  ticket,
};
