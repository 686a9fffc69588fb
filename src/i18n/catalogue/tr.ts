import type { Catalogue } from './shape.ts';
import { commands } from './tr/commands.ts';
import { common } from './tr/common.ts';
import { dm } from './tr/dm.ts';
import { home } from './tr/home.ts';
import { root } from './tr/root.ts';
import { thread } from './tr/thread.ts';
import { views } from './tr/views.ts';

/** Every word pc-verify shows a person, in Turkish: the runbook's own language (docs/activation-plan.tr.md). */
export const tr: Catalogue = {
  common,
  thread,
  root,
  dm,
  home,
  views,
  commands,
};
