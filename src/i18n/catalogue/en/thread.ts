/**
 * A run's thread (src/slack/views/thread.ts, notes.ts, src/slack/deliver.ts) and the notes the
 * lifecycle leaves in it as data (`note.*`, rendered at the edge). Mentions and emoji are added
 * by the Slack views, never written here.
 */
export const thread = {
  phaseHeader: '*Phase {{stage}}* — {{title}}',
  offHeader: '*Turning the flag OFF again* — {{title}}',
  phaseResult: '*Phase {{stage}}: {{result}}*',
  detailsBelow: 'details below',
  expected: '*expected:* {{text}}',
  observed: '*observed:*',
  next: '*next:* {{text}}',
  verdict: '*Verdict: {{verdict}}* · Can be turned ON: {{yes}}',
  yes: 'YES',
  no: 'NO',
  flagUnverified:
    '{{people}} the flag of *{{env}}* is UNVERIFIED: it may still be ON. Turn it OFF and verify it with `/pc-verify off {{env}}`; no run can start until then.',
  outageGoAhead: '{{who}} confirmed: Phase 1 may turn the live flag OFF. Starting.',
  resumed:
    'Picked up again (the worker running it stopped, or lost its hold during a Redis outage): {{next}}',
  resumedPhase3Ended:
    'Phase 3 had ended ({{result}}); the flag is settled from that result, Phase 3 does not run again.',
  resumedAgain: 'Phase {{phase}} starts again from its beginning.',
  resumedNewCode: ' The earlier sign-in code is void; a new one goes to {{who}} in DM.',
  loginHandedOff: 'Login handed to {{who}} in DM (the code expires {{when}}).',
  loginEnded: 'Login {{outcome}}.',
  approvalAsked:
    'Phases 0–2 passed. Phase 3 turns the flag ON in *{{env}}*: awaiting approval by a second person (until {{when}}).',
  outageConfirmedBy: '{{who}} confirmed that Phase 1 may turn it OFF for verification.',
  outageClosedRun: 'the run {{how}}. {{reason}}',
  approvedButEnded: 'was approved by {{who}} but {{how}} before Phase 3',
  endedHow: {
    expired: 'expired',
    cancelled: 'was cancelled',
    failed: 'failed',
    rolled_back: 'was rolled back',
    passed: 'passed',
    other: 'ended ({{state}})',
  },
  note: {
    bugMidFlag:
      'pc-verify hit an internal error (not a Hunter problem) while the flag may be changing: the run keeps the environment and is picked up again to settle the flag. The bot log has the details under this run id.',
    internalError:
      'pc-verify hit an internal error while running this (not a Hunter problem); the bot log has the details under this run id. Start it again.',
    cachePromoted: "The approved sign-in is now Hunter's token cache (sha256 {{digest}}…).",
    approvalLapsed: 'Nobody approved Phase 3 within the approval time (approvalTtl); the run expired.',
    confirmationLapsed:
      'Nobody confirmed that Phase 1 may turn the live flag OFF within the approval time (approvalTtl); nothing was changed and the run expired.',
    signedIn: 'Signed in as `{{user}}` (object id `{{objectId}}`).',
    signedInNotAllowed:
      'Signed in as `{{user}}` (object id `{{objectId}}`), which is not in `auth.allowedAccounts`: nothing was installed.',
    killSwitchRetry:
      'Kill switch attempt {{attempt}} did not turn the flag OFF in {{env}}: {{why}}. It tries again in {{wait}} s, and keeps trying until the flag is verified OFF. To act sooner, set HUNTER_PARTNER_CENTER_ENABLED=false in the env file by hand and restart the api and worker.',
    killSwitchStopped:
      'Kill switch attempt {{attempt}} in {{env}} stopped before it finished: the worker running it went away (a crash, a kill, or Redis out of reach longer than the job lock). Another worker tries again now, and keeps trying until the flag is verified OFF. To act sooner, set HUNTER_PARTNER_CENTER_ENABLED=false in the env file by hand and restart the api and worker.',
    rootRefused:
      'pc-verify could not post this run in {{channel}} (Slack: {{refused}}), so nobody could follow or approve it there. Nothing was changed in {{env}}. Invite the bot to the channel (`/invite @pc-verify`) and start again.',
    rootLate:
      "This run's message in {{channel}} was not posted within {{seconds}} s (is Slack slow or down?): a run of {{env}} must be seen before it changes anything. Nothing was changed; start it again.",
    evidenceChanged:
      'The evidence changed after the approval was requested (the env file, the config or the Phase 0–2 results): the approval is void. Start a new run.',
    phase3NotStarted:
      "Phase 3 did not start: {{why}}. Hunter's token cache was left as it was. Start a new run.",
    staged: {
      gone: "the approved sign-in's staged cache is gone ({{quoted}})",
      differs: 'the staged cache is not the one the approver was shown (its sha256 differs)',
      notMoved: 'the staged cache could not be put in place ({{quoted}})',
      notReadBack: '.token_cache does not read back as the approved cache after the rename',
      discardFailed:
        "The sign-in of this run, which nobody approved, could not be removed from Hunter's api container ({{quoted}}): `.token_cache.pending` there still holds that account's refresh token. pc-verify tries again; to be sure now, delete `.token_cache.pending` beside `.token_cache` by hand. Hunter's live token cache was not touched.",
    },
    fenced:
      'This worker could not renew its hold on the job in time (Redis unreachable?), so it stopped acting: another worker picks the run up and finishes the flag change.',
    restartedDm: 'void: the bot restarted before the sign-in finished; a new code follows',
    stopping: 'Stopping its commands and requests…',
    shuttingDownPhase:
      'This bot process is shutting down: Phase {{phase}} goes back to the queue and starts again on another worker.',
    shuttingDownLogin:
      'This bot process is shutting down: the sign-in goes back to the queue and starts again on another worker.',
    recordGoneDm: 'void: the run stopped (its record is gone)',
    cancelledByKillSwitch: 'Cancelled by the kill switch ({{who}}).',
    cancelledBy: 'Cancelled by {{who}}.',
    runCancelled: 'The run was cancelled.',
    runRejected: 'Phase 3 was rejected by {{who}}.',
    runRejectedWhy: 'Phase 3 was rejected by {{who}}. Reason: {{reason}}',
    loginRejected: 'The sign-in renewal was rejected by {{who}}.',
    loginRejectedWhy: 'The sign-in renewal was rejected by {{who}}. Reason: {{reason}}',
    loginCancelled: 'The sign-in renewal was cancelled.',
    recordGone:
      "This run's record is gone from Redis (did Redis lose its data? a restart without persistence or a flush does that): the worker stopped it. Nothing was recorded; start it again.",
    lostWorker:
      'The worker running this run stopped renewing its lease (crashed or killed) and nobody picked it up again; the run was ended. Start it again.',
    noWorker:
      'No worker picked this run up before its lease ran out: is a `pc-verify serve --role worker` (or `all`) process running? Start it again.',
    flagOffVerified: 'The flag was turned OFF again and verified.',
    flagOffFailed:
      'Turning the flag OFF again FAILED: it may still be ON in {{env}}. Turn it OFF now: /pc-verify off {{env}}.',
    flagLeftOn:
      'The flag was left ON in {{env}} by this run, unverified. If it must not stay ON: /pc-verify off {{env}}.',
    flagLeftOff: 'The flag was left OFF in {{env}} by this run.',
    flagUntouched: 'This run had not changed the flag.',
    outageNotConfirmed:
      'The flag is ON in prod and Phase 1 would turn it OFF (an outage of a live feature); that was not confirmed, so nothing was changed.',
  },
} as const;
