/** The ephemeral answers of `/pc-verify …` (src/commands, the Slack adapter's slash handling). */
export const commands = {
  typeHelp: '{{problem}} Type `/pc-verify help` for the commands.',
  unreadable:
    'pc-verify could not read this command (unexpected user, channel or text). Try `/pc-verify help`.',
  replayUnchecked:
    'Nothing was done: pc-verify could not check that this request is not a replay (its Redis did not answer).',
  needsEnv: '`{{command}}` needs an environment: `/pc-verify {{command}} <env>`',
  notUnderstood: "I don't understand `{{text}}`.",
  afterFailed: 'Something went wrong after your command was accepted; the bot log has the details.',
  help: {
    intro: '*pc-verify* runs the Partner Center activation runbook (Phases 0–3) before the flag goes ON.',
    start:
      '`/pc-verify <env>` — start a run: a checklist in this channel, every step in its thread, the sign-in code in your DM',
    status: '`/pc-verify status [env]` — the run going and the latest result',
    history: '`/pc-verify history <env>` — the last ten results',
    cancel: '`/pc-verify cancel <env>` — stop the run going',
    off: '`/pc-verify off <env>` — kill switch: flag OFF now, verified (no second person needed)',
    plan: '`/pc-verify plan <env>` — every command a run would make; nothing is executed',
    login:
      '`/pc-verify login <env>` — sign in again (Phase 2 alone: a new code in your DM, the flag untouched), when the watch says the token stopped working',
    help: '`/pc-verify help` — this',
    environments: 'Environments: {{envs}}',
  },
  start: {
    accepted:
      'Starting run `{{id}}` for *{{env}}*. The checklist and every step appear in a thread in {{channel}}; the sign-in code comes to you in a DM.',
    unverified:
      'The flag of *{{env}}* is unverified: an interrupted run could not confirm where it left it. No run may start until it is verified — `/pc-verify off {{env}}` turns it OFF and verifies it; then start again.',
    runLabel: 'run {{id}}',
    startingState: 'starting',
    by: ' by {{who}}',
    switching:
      '*{{env}}* is still switching the flag OFF after {{link}} was cancelled; try again when its thread says done (`/pc-verify status {{env}}`).',
    going:
      'A run for *{{env}}* is already going: {{link}} ({{state}}, started{{by}}{{since}}). One run per environment at a time: follow it there, or stop it with `/pc-verify cancel {{env}}`.',
    notQueued: 'The run could not be queued ({{error}}); nothing was done. Try again in a minute.',
  },
  login: {
    gateApprover: ' An approver (not you) decides first; then the code comes to you in a DM.',
    gateDm: ' The sign-in code comes to you in a DM.',
    accepted:
      'Renewing the sign-in for *{{env}}* (`{{id}}`): Phase 2 alone, the flag is not touched.{{gate}} Every step is in the thread in {{channel}}.',
  },
  cancel: {
    alreadyCancelling: 'Run `{{id}}` is already cancelled; it is switching the flag OFF again.',
    endedFirst: 'Run `{{id}}` ended before it could be cancelled ({{state}}).',
    gone: 'gone',
    freed: 'Cancelled run `{{id}}` of *{{env}}* (it was {{state}}). The environment is free again.',
    cancelling:
      'Cancelling run `{{id}}` of *{{env}}* (it was {{state}}): its commands stop now; if it touched the flag, it turns it OFF again and verifies that before the environment is free. Follow its thread.',
    nothing: 'No run of *{{env}}* is going; nothing to cancel.',
  },
  off: {
    cancelledFirst: ' Run `{{id}}` is cancelled first.',
    accepted:
      'Kill switch: turning the Partner Center flag OFF in *{{env}}* now (no second person needed).{{first}} The outcome is posted in this channel.',
  },
  status: {
    nothingToSee:
      'No environment you may look at from here: status answers the requesters and approvers of an environment, in its channels.',
    now: 'now: {{link}} — {{state}} (started{{by}} {{when}})',
    lastLogin: 'last: sign-in renewal *{{verdict}}* {{when}}{{by}} (the flag not touched)',
    last: 'last: *{{verdict}}* ({{state}}) {{when}}{{by}}, can be turned ON: {{yes}}',
    yes: 'YES',
    no: 'NO',
    neverVerified: 'never verified',
    breakGlass: 'break-glass NOT REVIEWED: {{who}} {{what}} from a terminal {{when}}, reason: {{reason}}',
    ranRun: 'ran the verification',
    signedIn: 'signed in again',
  },
  history: {
    none: 'No runs of *{{env}}* yet. Start one: `/pc-verify {{env}}`.',
    renewal: 'sign-in renewal ',
    line: '• {{when}} {{kind}}*{{verdict}}* ({{state}}) by {{who}}, run `{{id}}`{{why}}',
    header: 'Last {{count}} runs of *{{env}}*, newest first:',
  },
  plan: {
    cut: '(cut; `pc-verify plan {{env}}` in a terminal prints all of it)',
  },
  failed: {
    notStarted: 'The run was not started.',
    cancel: 'The run may not be cancelled: check `/pc-verify status {{env}}` once pc-verify answers again.',
    off: 'The kill switch did NOT run (a run that was going may have been cancelled; `/pc-verify status {{env}}` shows it once pc-verify answers again). If the flag must go OFF now, turn it OFF by hand (HUNTER_PARTNER_CENTER_ENABLED=false in the env file, restart api and worker), or try again in a minute.',
    noRedis:
      'pc-verify cannot reach its Redis (where it keeps runs, locks and results), so it could not do this.',
    internal: 'pc-verify hit an internal error handling this command; the bot log has the details.',
    nextRedis:
      'Try again in a minute; if it keeps failing, tell whoever runs pc-verify (its /healthz reports `redis: false`).',
    next: 'Try again; if it keeps failing, tell whoever runs pc-verify.',
  },
} as const;
