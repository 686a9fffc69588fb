/**
 * Every word pc-verify shows a person, in English: the reference catalogue. Keys name what the
 * message is for; `{{name}}` is a field; `_one` / `_other` are i18next's plural forms (CLDR).
 * Each key must also be in `tr.ts` (the type and test/i18n/catalogue.test.ts hold that).
 */
export const en = {
  language: {
    name: 'English',
  },
  common: {
    approvers_other: '{{count}} approvers',
    approvers_one: '{{count}} approver',
    at: '{{when, datetime}}',
  },
} as const;
