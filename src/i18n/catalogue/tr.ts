import type { Catalogue } from './shape.ts';

/** Every word pc-verify shows a person, in Turkish: the runbook's own language (docs/activation-plan.tr.md). */
export const tr: Catalogue = {
  language: {
    name: 'Türkçe',
  },
  common: {
    approvers_other: '{{count}} onaylayıcı',
    approvers_one: '{{count}} onaylayıcı',
    at: '{{when, datetime}}',
  },
};
