/** Who may do what (gates/permissions.ts): the refusals a person reads, and the audit trail keeps in English. */
export const permissions = {
  channels: '*{{env}}* can only be operated from {{where}}. Go there and type the command again.',
  nobody: {
    start:
      'Nobody may start runs for *{{env}}* yet: the config lists no requesters (environments.{{env}}.policy).',
    cancel:
      'Nobody may cancel runs of *{{env}}* yet: the config lists no requesters or approvers (environments.{{env}}.policy).',
    off: 'Nobody may switch off *{{env}}* yet: the config lists no requesters or approvers (environments.{{env}}.policy).',
    read: 'Nobody may look at *{{env}}* yet: the config lists no requesters or approvers (environments.{{env}}.policy).',
  },
  groupLookup:
    'I could not check your user groups with Slack ({{why}}). Nothing was done; try again in a minute.',
  notAllowed: {
    start:
      'You are not allowed to start runs for *{{env}}*: you are not one of its requesters. Ask the platform team to add you (or a user group you are in) to environments.{{env}}.policy.requesters.',
    cancel:
      'You are not allowed to cancel runs of *{{env}}*: you are not one of its requesters or approvers. Ask the platform team to add you (or a user group you are in) to environments.{{env}}.policy.requesters.',
    off: 'You are not allowed to switch off *{{env}}*: you are not one of its requesters or approvers. Ask the platform team to add you (or a user group you are in) to environments.{{env}}.policy.requesters.',
    read: 'You are not allowed to look at *{{env}}*: you are not one of its requesters or approvers. Ask the platform team to add you (or a user group you are in) to environments.{{env}}.policy.requesters.',
  },
  selfApproval: 'You requested this run, so you cannot approve it: a second person must decide.',
  notApprover: 'Only the approvers of *{{env}}* may decide on Phase 3.',
  notRequester: 'Only the requester of this run can answer.',
} as const;
