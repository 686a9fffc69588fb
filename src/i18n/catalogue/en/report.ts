/**
 * The run's report as a person reads it in the terminal: the runbook's "Test results template"
 * filled in, the progress lines, and why a run ended as it did.
 */
export const report = {
  stage: {
    p0: 'Environment and Migration',
    p1: 'Feature Flag OFF Verification',
    p2: 'Activation (First Auth + Token Cache)',
    p3: 'Feature Flag ON Verification',
    off: 'Flag OFF and verified',
  },
  template: {
    phase: 'PHASE {{phase}} - {{title}}',
    status: 'Status: {{pass}} PASS {{fail}} FAIL',
    warning: '(warning)',
    failed: '← FAIL',
    notRun: '(not run)',
    offAgain: 'FLAG OFF AGAIN ({{why}})',
    whyRollback: 'rollback after Phase 3 failed',
    whyAfterPass: 'afterPass: turn-off',
    offStatus: 'Status: {{off}} OFF {{unconfirmed}} NOT CONFIRMED',
    overall: 'Overall Status: {{pass}} PASS {{fail}} FAIL',
    canTurnOn: 'Can be turned ON: {{yes}} YES {{no}} NO',
    details: 'Details:',
    problemFail: 'FAIL {{id}} — {{title}}',
    problemWarn: 'WARN {{id}} — {{title}}',
    expected: 'expected:',
    observed: 'observed:',
    next: 'next:',
  },
  progress: {
    phase: 'Phase {{phase}}',
    offAgain: 'Flag OFF',
    checkFinished: '{{status}} in {{ms}} ms',
    next: 'next: {{hint}}',
    phaseFinished: 'Phase {{phase}}: {{status}}',
    waitingForLogin: 'waiting for the device-code login (until {{until}})',
    signIn: 'To sign in, open {{uri}} and enter the code {{code}}',
    codeExpires: '(the code expires at {{at}})',
  },
  reason: {
    failedCheck: 'Phase {{phase}}: {{id}} failed — {{why}}',
    cancelled: 'The run was cancelled.',
    voidedOff: 'The approval is void, so the flag was turned OFF again and verified.',
    cancelledOff: 'The flag was turned OFF again and verified.',
    rolledBack: 'Phase 3 failed, so the flag was turned OFF again and verified (rollbackOnFailure).',
    afterPass: 'All phases passed; the flag was turned OFF again as configured (afterPass: turn-off).',
    offUnverified:
      'Turning the flag OFF again could NOT be verified: it may still be ON in {{env}}. Turn it OFF now: `/pc-verify off {{env}}`.',
  },
} as const;
