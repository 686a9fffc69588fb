/** What `pc-verify run`, `login`, `plan` and `demo` say to the person at the terminal. */
export const cli = {
  run: {
    breakGlass: 'Break-glass: {{env}} is held by {{run}}; audited; the approvers are asked to review it.',
    byTerminal: '{{user}} (terminal, break-glass)',
    stoppedEarly: 'The terminal run stopped before it finished.',
    confirmNeeded:
      'The flag is ON in {{env}}; Phase 1 would turn it OFF. Re-run with --confirm-flag-off to allow that.',
    confirmQuestion:
      'The Partner Center flag is ON in {{env}}. Phase 1 turns it OFF for verification (an outage of a live feature).\nType "{{env}}" to go on, anything else to stop: ',
    cancelling: '\nCancelling: stopping running commands and requests…',
  },
  login: {
    noLock: "(no REDIS_URL: this sign-in does not hold {{env}}'s lock; no bot is told)",
    cancelled: 'Cancelled from the terminal.',
    renewed:
      'Sign-in renewed for {{env}}: a new token cache is in Hunter and works silently. The flag was not touched.',
    notRenewed: 'The sign-in for {{env}} was NOT renewed (see the checks above). The flag was not touched.',
  },
  plan: {
    heading: 'Plan for {{env}} ({{tier}}); nothing is executed:',
    phase: 'Phase {{phase}}',
    approval:
      'Before Phase 3: a second person (an approver, not the requester) must approve, shown the account that signed in; until then the new token cache waits beside the live one.',
    pinAccounts:
      'Recommended: set environments.{{env}}.auth.allowedAccounts to the account(s) Hunter may act as; any account can sign in now.',
    readVars: 'read {{file}}: the four HUNTER_PARTNER_CENTER_* variables (values never shown)',
    query: 'SQL (read-only) on {{db}}: information_schema.columns of {{table}}',
    editFlag: 'edit {{file}}: {{assignment}} (atomic, backup kept)',
    pollHealth: 'poll GET {{url}} until it answers',
    deviceCode: 'device-code login at {{authority}} (code to the requester only)',
    silent: 'acquireTokenSilent for the signed-in account',
    alreadyApproved: '{{command}}  (already the approved cache? then nothing)',
    promote: '{{command}}  (the approved sign-in goes live)',
    cacheOnStdin: '{{command}}  < token cache on stdin',
    unknownDatabase: '(the database)',
    phaseStart: '<phase start>',
    taskId: '<task id>',
    taskIdFromApi: '<task id from api.on>',
    detectedCli: 'the compose CLI that answers `version` first: {{v2}}, else {{v1}}',
    v1Logs:
      'if that is compose v1 (1.x), which has no --since: {{argv}}, its lines cut at the phase start by their -t timestamps',
  },
  badLanguage: '--language takes en or tr (got "{{value}}")',
  checks: {
    phase: 'Phase {{phase}} — {{title}}',
    offAgain: 'Flag OFF again (rollback, afterPass: turn-off, kill switch)',
    runbook: 'runbook:',
    expects: 'expects:',
    hint: 'hint:',
    badDriver: '--driver takes compose or commands (got "{{value}}")',
  },
  demo: {
    starting: 'Starting the simulated world: PostgreSQL, Azure AD and the Hunter deployment…',
    world: 'Hunter simulator: {{url}} (project {{dir}}); database: {{database}}\n',
    approves: '  (demo: the simulated person signs in and approves the login)',
  },
  window: {
    closed:
      'outside the change window (it opens {{when, datetime(weekday: long; day: numeric; month: long; hour: 2-digit; minute: 2-digit)}}, {{zone}})',
    frozen:
      'in a change freeze until {{until, datetime(day: numeric; month: long; hour: 2-digit; minute: 2-digit)}} ({{zone}}): {{reason}}',
    never: 'no change window opens within a year',
    refused:
      'Phase 3 (the flag ON) may not start now in {{env}}: {{why}}. Run Phases 0–2 now (--phases 0,1,2) and Phase 3 inside the window, or override it with --break-glass "<reason>" (recorded).',
    overridden: '{{reason}} [overrides: {{why}}]',
  },
} as const;
