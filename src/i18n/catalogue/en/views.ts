/** Kill switch, break-glass, the outage question, the watch and the reason modals (src/slack/views). */
export const views = {
  killSwitch: {
    reasonFrom: 'Reason from {{who}}: {{reason}}',
    unknownButton: 'This button names no kill switch pc-verify knows.',
    noForm:
      'The reason form could not open (Slack allows 3 seconds after a click). Click "Add a reason" again.',
    working: 'Kill switch by {{who}}: turning the Partner Center flag OFF in *{{env}}*…',
    off: 'Kill switch by {{who}}: the Partner Center flag is OFF in *{{env}}* (verified with /healthz).',
    not_confirmed:
      'Kill switch by {{who}} in *{{env}}* could NOT confirm the flag is OFF — turn it OFF by hand now.',
    addReason: 'Add a reason',
    audited: 'No second person needed; audited. Details in the thread.',
  },
  breakGlass: {
    ranRun: 'ran the verification (it may turn the flag ON)',
    signedIn: 'signed in again (a new token cache)',
    headline: '*Break-glass in {{env}}*: {{who}} {{what}} from a terminal, without the approval gate.',
    reason: 'Reason given: {{reason}}',
    reviewedText: 'Break-glass in {{env}} by {{who}}: reviewed by {{reviewer}}.',
    reviewedBy: 'Reviewed by {{reviewer}}.',
    pleaseReviewText: '{{mentions}}: break-glass in {{env}} by {{who}} from a terminal; please review it.',
    pleaseReview: '{{mentions}}: please look at what was done (the audit trail has it) and mark it reviewed.',
    reviewed: 'Reviewed',
  },
  outage: {
    text: 'The flag is ON in {{env}}: confirm that Phase 1 may turn it OFF',
    question:
      '{{who}}, the Partner Center flag is *ON* in *{{env}}* right now. Phase 1 turns it OFF for verification — an outage of a live feature until Phase 3 turns it ON again. Nothing has changed yet.',
    confirm: 'Turn it OFF and verify',
    confirmTitle: 'Turn the live flag OFF?',
    confirmText: 'Partner Center stops working in {{env}} until Phase 3 passes.',
    confirmYes: 'Turn it OFF',
    confirmNo: 'Not now',
    decline: 'Stop, change nothing',
    closed: 'The flag was ON in {{env}}: {{what}}',
  },
  watch: {
    cause: {
      token: 'the Partner Center sign-in no longer works',
      unreachable: 'Hunter cannot reach Partner Center',
      exception: 'the periodic sync raised an exception',
      drift: 'the flag is not in the state pc-verify verified',
      api_down: 'Hunter’s api does not answer',
      probe_failed: 'pc-verify could not read the worker',
    },
    next: {
      token:
        'sign in again with `/pc-verify login {{env}}` (Phase 2 alone: a new code in your DM; the flag is not touched).',
      unreachable:
        'check the worker’s way out to Partner Center (proxy, firewall, DNS) and Partner Center’s service status; the watch says here when syncs work again.',
      exception:
        'read the traceback in `docker compose logs worker` and fix Hunter; the watch says here when the sync runs cleanly again.',
      drift:
        'someone changed the flag outside pc-verify (a hand edit of `.env`?): verify it again with `/pc-verify {{env}}`, or turn it OFF and verify that with `/pc-verify off {{env}}`.',
      api_down:
        'look at `docker compose ps` and `docker compose logs api`; the watch says here when it answers again.',
      probe_failed:
        'check that the bot can still run the driver’s `logs` command (the bot log has the details).',
    },
    wasFailing: ' (it was failing: {{cause}})',
    healthy:
      '*{{env}}* is healthy again{{was}}: /healthz shows the flag as verified and the periodic Partner Center sync runs cleanly. Checked {{when}}.',
    failing: '*{{env}}*: {{cause}} — the watch found it {{when}}.{{detail}}\n*Next:* {{next}}',
  },
  reason: {
    label: 'Reason',
    labelOptional: 'Reason (optional)',
    cancel: 'Cancel',
    rejectTitle: 'Reject Phase 3',
    rejectSubmit: 'Reject',
    rejectIntro:
      'Phase 3 will not run in *{{env}}* and the flag stays OFF. The reason goes into the audit trail and the thread.',
    killSwitchTitle: 'Why the kill switch?',
    killSwitchSubmit: 'Add to the audit',
    killSwitchIntro:
      'The flag in *{{env}}* is already being turned OFF; this does not change that. The reason goes into the audit trail and the thread.',
  },
} as const;
