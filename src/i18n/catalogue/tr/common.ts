import type { Catalogue } from '../shape.ts';

export const common: Catalogue['common'] = {
  language: 'Türkçe',
  approvers_other: '{{count}} onaylayıcı',
  approvers_one: '{{count}} onaylayıcı',
  at: '{{when, datetime}}',
};
