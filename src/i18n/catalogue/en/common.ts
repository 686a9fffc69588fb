/** Words shared by every surface. */
export const common = {
  language: 'English',
  approvers_other: '{{count}} approvers',
  approvers_one: '{{count}} approver',
  at: '{{when, datetime}}',
} as const;
