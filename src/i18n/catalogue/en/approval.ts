/** The approval request of N of M approvers (policy.approvals, policy.approvalGroups) and its refusals. */
export const approval = {
  needs_one: 'Needs {{count}} approver',
  needs_other: 'Needs {{count}} distinct approvers',
  fromEach: 'one from each of {{groups}}',
  soFar: 'Approved so far: {{people}}.',
  noneYet: 'No approvals yet.',
  stillNeeded_one: '{{count}} more approval needed.',
  stillNeeded_other: '{{count}} more approvals needed.',
  stillFrom: 'Still missing: someone from {{groups}}.',
  progressText: '{{count}} of {{required}} approvals so far.',
  counted_one:
    'You have approved this run already; each person counts once. It needs {{count}} more approval, from someone else.',
  counted_other:
    'You have approved this run already; each person counts once. It needs {{count}} more approvals, from other people.',
  groupLookup:
    'I could not check your user groups with Slack ({{why}}), so your approval was not counted. Nothing changed; click Approve again in a minute.',
} as const;
