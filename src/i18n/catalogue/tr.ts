import type { Catalogue } from './shape.ts';
import { approval } from './tr/approval.ts';
import { common } from './tr/common.ts';
import { ticket } from './tr/ticket.ts';

/** Every word pc-verify shows a person, in Turkish: the runbook's own language (docs/activation-plan.tr.md). */
export const tr: Catalogue = {
  common,
  approval,
  ticket,
};
