/** The requester's direct messages: the sign-in code and what became of it (src/slack/views/login-dm.ts). */
export const dm = {
  codeText: 'pc-verify {{env}}: sign in with code {{code}}',
  needsSignIn: '*pc-verify · {{env}}* needs you to sign in (Phase 2 of the activation runbook).',
  yourCode: 'Your code: *`{{code}}`*\nOpen the login page, enter the code, and approve (MFA included).',
  openLoginPage: 'Open login page',
  expires: 'The code expires at {{when}}. Nobody else sees this message.',
  doneText: 'pc-verify {{env}}: sign-in {{outcome}}',
  done: '*pc-verify · {{env}}*: sign-in {{outcome}}. The code is no longer shown here.',
  preparingText: 'pc-verify {{env}}: preparing your sign-in code…',
  preparing: '*pc-verify · {{env}}*: preparing your sign-in code…',
  outcome: {
    done: 'done',
    cancelled: 'cancelled',
    declined: 'declined',
    expired: 'expired',
    failed: 'failed',
  },
  stoppedBeforeBegan: 'Your run of *{{env}}* stopped before it began: {{reason}}',
} as const;
