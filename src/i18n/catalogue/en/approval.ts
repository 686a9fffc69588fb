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
  request: {
    text: '{{mentions}}: approval needed to {{ask}}, requested by {{requester}}.',
    askLogin:
      'sign in again for {{env}} (Phase 2 alone, a new token cache for Hunter; the flag is not touched)',
    askFlag: 'turn the Partner Center flag ON in {{env}}',
    headLogin:
      '*Approval needed* — {{requester}} asks to sign in again for *{{env}}*: a new token cache for Hunter (Phase 2 alone; the flag is not touched).',
    headFlag: '*Approval needed* — Phase 3 turns the Partner Center flag ON in *{{env}}*.',
    actsAs:
      "*Hunter will act as* `{{identity}}` — the account that signed in. Approve only if this is the account meant to be {{env}}'s Partner Center identity.",
    requested:
      'Requested by {{requester}} (who cannot approve). Approvers: {{approvers}}. Expires {{until}}.',
    noneConfigured: 'none configured',
    phase: '*Phase {{phase}}* — {{status}}',
  },
  buttons: {
    approve: 'Approve',
    reject: 'Reject',
    notNow: 'Not now',
    titleLogin: 'Allow the sign-in?',
    titleFlag: 'Turn the flag ON?',
    confirmLogin: 'Let {{requester}} sign in again for {{env}}?',
    confirmFlag: 'Turn the Partner Center flag ON in {{env}}?',
  },
  /** The request once decided (its buttons gone). */
  decided: {
    approvedLogin: 'Approved by {{who}}: the sign-in code goes to the requester now.',
    approvedFlag: 'Approved by {{who}}: Phase 3 runs now.',
    rejectedLogin: 'Rejected by {{who}}: no sign-in.',
    rejectedFlag: 'Rejected by {{who}}: the flag stays OFF.',
    reason: 'Reason: {{reason}}',
  },
  /** The thread's line for a decision. */
  reply: {
    approvedLogin: "Approved by {{who}}: the sign-in code goes to the requester's DM now.",
    approvedFlag: 'Approved by {{who}}: Phase 3 turns the flag ON now.',
    rejectedLogin: 'Rejected by {{who}}: no sign-in; the token cache stays as it is.',
    rejectedFlag: 'Rejected by {{who}}: Phase 3 does not run; the flag stays OFF.',
  },
  /** The request of a run that ended undecided; `how` is thread.endedHow. */
  closed: 'No decision needed any more: the run {{how}}. {{reason}}',
} as const;
