/**
 * What a person reads of a check, in the Slack thread and the terminal: the registry of checks
 * (`registry.<check>`: its title, the runbook step, what it expects, its hint; docs/checks.md is
 * printed from the English) and what the checks say they saw and what to do next. Driver phrases
 * (`{{restart}}`, `{{apiLogs}}`, …) are the deployment's own commands, filled in as they are.
 */
export const checks = {
  registry: {
    envVars: {
      title: 'Environment variables set',
      step: 'Phase 0, step 1: right environment? (`.env` has all four variables)',
      expected: '{{vars}} set and non-empty in the env file',
      hint: 'Set the missing HUNTER_PARTNER_CENTER_* variables in the env file first; do not go on until they are all there.',
    },
    dbMigrate: {
      title: 'Migration succeeded',
      step: 'Phase 0, step 2: run the DB migration',
      expected: '`alembic upgrade head` in the api service exits 0',
      hint: 'The migration failed: read the error above, fix it (database reachable? migration conflict?) before anything else.',
    },
    dbTable: {
      title: 'Table visible',
      step: 'Phase 0, step 3: check the table',
      expected:
        'table partner_center_referrals with referral_id varchar(255) not null, referral_type varchar(50), domain varchar(255)',
      hint: 'The table is missing or has the wrong shape: run the migration (`alembic upgrade head`) and check the migration script.',
    },
    flagOff: {
      title: 'Flag set OFF and applied',
      step: 'Phase 1, step 1: set the flag false in `.env`, restart api and worker',
      expected:
        'HUNTER_PARTNER_CENTER_ENABLED=false in the env file, api and worker restarted, /healthz answering',
      hint: 'Fix the OFF path first; do not think about turning the flag ON until every Phase 1 check passes.',
    },
    healthOff: {
      title: 'Health: false',
      step: 'Phase 1, step 2: health',
      expected: 'GET /healthz → partner_center_enabled: false',
      hint: 'The api still reports the flag ON after the restart. {{restartKeepsOldEnv}}',
    },
    apiOff: {
      title: 'API: 400 + proper error',
      step: 'Phase 1, step 3: API',
      expected:
        'POST /api/referrals/sync → HTTP 400 "Partner Center integration is disabled. Enable feature flag to use this endpoint."',
      hint: "API 200 → the API's feature flag check is broken (app/api/referrals.py).",
    },
    taskOff: {
      title: 'Task: status="skipped"',
      step: 'Phase 1, step 4: Celery task',
      expected: "celery task result {'status': 'skipped', 'reason': 'Feature flag disabled', counts 0}",
      hint: "The task does work while OFF → the Celery task's feature flag check is broken (app/core/tasks.py).",
    },
    logsOff: {
      title: 'Log: "skip/feature_flag_disabled" visible',
      step: 'Phase 1, step 5: logs',
      expected:
        'worker logs since this phase: partner_center_sync_skipped, reason feature_flag_disabled, feature_flag_state false; no "sync started"/"enabled"',
      hint: '"enabled" or "sync started" in the OFF logs → the logging (or the flag check) is wrong.',
    },
    deviceCode: {
      title: 'Device Code Flow succeeded',
      step: 'Phase 2, step 1: device-code login (the cache saved to `.token_cache`)',
      expected:
        'the requester signs in with the device code (MSAL PublicClientApplication, Hunter’s client and tenant)',
      hint:
        'Device flow errors → the Azure AD app registration or credentials are wrong: check the app registration and ' +
        'the Partner Center API permissions, then run the flow again. Never turn the flag ON before auth works.',
    },
    cacheInstalled: {
      title: 'Token cache created',
      step: 'Phase 2, step 3: `.token_cache` exists in the api container',
      expected: '.token_cache written in the api service (mode 0600) and read back unchanged',
      hint: "The token cache could not be written into the api service: check that {{execInApi}} works by hand and that the api's working directory is writable.",
    },
    silent: {
      title: 'Silent token acquisition works',
      step: 'Phase 2, step 2: silent acquisition',
      expected: 'acquireTokenSilent for the cached account returns an access token',
      hint: 'Silent acquisition fails → the cache was not created properly: run the device-code flow again.',
    },
    flagOn: {
      title: 'Flag set ON and applied',
      step: 'Phase 3, step 1: set the flag true in `.env`, restart api and worker',
      expected:
        'HUNTER_PARTNER_CENTER_ENABLED=true in the env file, api and worker restarted, /healthz answering',
      hint: 'The flag could not be turned ON: fix the restart problem above and run again.',
    },
    healthOn: {
      title: 'Health: true',
      step: 'Phase 3, step 2: health',
      expected: 'GET /healthz → partner_center_enabled: true',
      hint: 'The api still reports the flag OFF after the restart. {{restartKeepsOldEnv}}',
    },
    apiOn: {
      title: 'API: 200 + task enqueued',
      step: 'Phase 3, step 3: API',
      expected: 'POST /api/referrals/sync → HTTP 200 {"success": true, "enqueued": true, "task_id": "…"}',
      hint: 'API 500 → the token cache is missing or broken: go back to Phase 2.',
    },
    logsOn: {
      title: 'Worker log: task runs, no exception',
      step: 'Phase 3, step 4: worker logs',
      expected:
        'worker logs since this phase: partner_center_sync_task_started, partner_center_sync_started, ' +
        'partner_center_fetching_referrals; no exception, traceback or error line',
      hint:
        'Worker exception → the Partner Center API is unreachable or the credentials are wrong: check network ' +
        'connectivity from the worker and the Partner Center API credentials.',
    },
    taskOn: {
      title: 'Task ran successfully',
      step: 'Phase 3, step 5: task status',
      expected: 'the enqueued task finished without an exception',
      hint:
        'Worker exception → the Partner Center API is unreachable or the credentials are wrong: check network ' +
        'connectivity from the worker and the Partner Center API credentials.',
    },
    flagOffAgain: {
      title: 'Flag set OFF and applied',
      step: 'Decision matrix: the flag goes back OFF (Phase 1, step 1 again)',
      expected:
        'HUNTER_PARTNER_CENTER_ENABLED=false in the env file, api and worker restarted, /healthz answering',
      hint: 'The flag could NOT be turned OFF: it may still be ON. Turn it OFF by hand now: set it false in the env file, then {{restart}}.',
    },
    healthOffAgain: {
      title: 'Health: false',
      step: 'Decision matrix: the flag goes back OFF (Phase 1, step 2 again)',
      expected: 'GET /healthz → partner_center_enabled: false',
      hint: 'Hunter still reports the flag ON. Turn it OFF by hand now; if a restart does not re-read the env file, {{recreate}}.',
    },
  },
  run: {
    cancelled: 'not run: the run was cancelled',
    needs: 'not run: needs {{what}}, which did not pass',
    earlierCheck: 'an earlier check',
    stopped: 'stopped: the run was cancelled',
    bug: 'pc-verify could not finish this check: {{error}}',
    bugHint: 'This is a pc-verify bug, not a Hunter problem: report it with the run id and the log.',
  },
  env: {
    noFile: 'Create {{path}} or point driver.envFile at the right file.',
    fileNotFound: 'file not found',
    badLine: '{{path}} line {{line}}: {{problem}}',
    set: 'set',
    missing: 'missing',
    empty: 'empty',
    runningUnreadable: "{{observed}}; could not read the running api's environment ({{message}})",
    notSetInApi_one: '{{where}} does not set {{names}}; Hunter reads it from {{file}}',
    notSetInApi_other: '{{where}} does not set {{names}}; Hunter reads them from {{file}}',
    differs: 'the running api sees a different {{names}}',
    differsHint:
      'The api was started with other values than the env file holds: it picks them up at the next restart.',
  },
  db: {
    migrated: 'exit 0 in {{took}}{{last}}',
    unreachable:
      'pc-verify could not query the database: check database.url and that this host can reach PostgreSQL.',
    columns_one: '{{table}}: {{count}} column',
    columns_other: '{{table}}: {{count}} columns',
    columnMissing: '{{name}} missing',
    columnType: '{{name}} is {{type}}, not varchar({{length}})',
    columnNullable: '{{name}} is nullable, expected not null',
  },
  api: {
    noAnswer: 'The api did not answer: look at {{apiLogs}}.',
    wrongRefusal:
      'The API refuses, but not with the runbook message: check the OFF branch in app/api/referrals.py.',
    noTokenCache: 'Phase 2 did not leave a usable token cache: go back to Phase 2 and log in again.',
    notTaskId: '{{observed}} (task_id is not a task id)',
  },
  task: {
    notAccepted: 'The worker did not accept the task: is the worker running? Look at {{status}}.',
    outcome: 'task {{id}}: {{kind}}: {{text}}',
    returned: 'task {{id}}: {{text}}',
    noTaskId: 'no task id from api.on',
    noTaskIdPrinted: 'celery call printed no task id: {{output}}',
  },
  logs: {
    unreadable: 'The worker logs could not be read: check {{workerLogs}}.',
    notRead: 'logs were not read',
    lines_one: '{{count}} line since {{since}}',
    lines_other: '{{count}} lines since {{since}}',
    wrongLine: '{{seen}}; wrong line: {{line}}',
    noSkip: '{{seen}}; no {{event}} with reason {{reason}}',
    missing: '{{seen}}; missing {{events}}',
    present: '{{seen}}; {{events}} present, no exception',
  },
  login: {
    signedIn: 'signed in as {{account}}',
    account: '{{username}} (object id {{objectId}})',
    notAllowed:
      'signed in as {{account}}, which is not in auth.allowedAccounts of {{env}}: nothing was installed',
    notAllowedHint:
      "Sign in as one of the allowed accounts ({{allowed}}), or add this one to auth.allowedAccounts if it is meant to be Hunter's identity.",
    stdinIsASocket:
      'The installTokenCache command opens /dev/stdin, which fails when pc-verify starts it on this host (stdin is ' +
      "a socket, not a pipe). Make it read stdin with `cat`: [sh, -c, '{{script}}', sh, <path of .token_cache>] " +
      '(mode 0600, replaced atomically; see pc-verify.example.yml).',
    digestDiffers: '{{file}} in the api service has sha256 {{digest}}…, not what was written',
    written: '.token_cache written ({{bytes}} bytes) and read back (sha256 {{digest}}…)',
    staged:
      '.token_cache.pending written and read back (sha256 {{digest}}); it replaces .token_cache only after the approval',
    silentWorks: 'access token refreshed from the installed cache',
  },
  health: {
    unhealthy: 'The api is not healthy: look at {{apiLogs}}.',
    noFlag: '{{response}} (no boolean partner_center_enabled)',
    noFlagHint:
      'This Hunter build does not report the flag in /healthz: deploy a version with the Partner Center integration.',
    seen: 'partner_center_enabled: {{seen}}',
    noAnswer: 'no answer: {{message}}',
    emptyBody: '(empty body)',
  },
  flag: {
    applyHint:
      'The flag could not be applied. Check that this user can restart api and worker with {{restart}}, and try again.',
    cannotEdit: '{{path}} could not be edited safely: {{problem}}',
    cannotEditHint:
      'Fix that line of {{path}} by hand (pc-verify refuses to rewrite a file it cannot parse), then run again.',
    cannotLook: 'api and worker could not be looked at before the flag write: {{message}}',
    notHeld: 'this worker no longer holds the environment (its lock was lost): it wrote nothing',
    notHeldHint: 'Another worker picks the run up and finishes the flag change; follow the thread.',
    writtenToFile: '{{assignment}} written to the env file',
    wasAlready: '{{name}} was already {{value}}',
    written: '{{assignment}} written (backup kept)',
    already: '{{name}} already {{value}}',
    recreated: 'api and worker recreated',
    restarted: 'api and worker restarted',
    but: '{{wrote}}; {{how}}{{why}}, but {{observed}}',
    noHealth: '{{wrote}}; {{how}} in {{took}}, but /healthz did not answer within {{limit}} (last: {{last}})',
    noHealthHint:
      'The api did not come back after the restart. Look at {{apiLogs}} for a start-up error; if it only starts slowly, raise api.readyTimeout.',
    applied_one: '{{wrote}}; {{how}} in {{took}}{{why}}; /healthz answered after {{count}} attempt',
    applied_other: '{{wrote}}; {{how}} in {{took}}{{why}}; /healthz answered after {{count}} attempts',
    seconds: '{{seconds}} s',
  },
  containers: {
    restartedItself: '{{name}} restarted by itself ({{times}}×, last exit code {{code}})',
    state: '{{name}} is {{status}} (exit code {{code}})',
    diedWaiting: '{{what}} while pc-verify waited for /healthz after the apply',
    lastLines: '{{observed}}; its last lines:\n{{lines}}',
    diedHint:
      'The {{service}} does not stay up with the new env file: its last log lines say why. Fix that (or set the flag back), then run again.',
    downAfterApply: '{{state}} after the apply',
    downHint:
      'Start it and look at its logs for why it stopped (`docker compose logs {{service}}`), then run again.',
    healthDisagrees: '/healthz says partner_center_enabled: {{seen}}, the env file says {{assignment}}',
    recreatedIgnored:
      'The api does not take the flag from this env file even when recreated: check driver.envFile and how the file reaches the containers.',
    keptOld: 'The api kept its old value through the restart. {{restartKeepsOldEnv}}',
    createdWith: '{{name}} was created with {{assignment}}',
    restartKeeps: '{{had}} (env_file: or environment:), the env file says {{value}}; restart keeps it',
    restartKeepsHint: 'Set driver.apply: recreate or auto: only recreating the containers re-reads the file.',
    evenRecreated: '{{had}} even after it was recreated, the env file says {{value}}',
    evenRecreatedHint:
      'The value does not come from this env file: look for a fixed `{{name}}` under `environment:` or another `env_file:` in the compose file.',
  },
  command: {
    timeout:
      'The command hung or is slower than driver.commandTimeout: look at {{status}} and at {{apiLogs}}; raise driver.commandTimeout only if this step is known to take that long.',
    spawn:
      'pc-verify could not start the command on this host: is {{program}} installed and on PATH for the user the bot runs as?',
  },
  envFile: {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    readDenied: 'pc-verify could not read the env file {{path}} ({{why}})',
    readDeniedHint:
      'This is a permissions problem on the machine pc-verify runs on, not a Hunter problem: {{who}} may not read {{path}}. ' +
      'Give that user read access to it, then try again.',
    writeDenied:
      'pc-verify could not write the env file {{path}} ({{why}}); the file was left as it was, so the flag did not change',
    writeDeniedHint:
      'This is a permissions problem on the machine pc-verify runs on, not a Hunter problem: {{who}} may not replace {{path}}. ' +
      'pc-verify writes a temporary file in {{dir}} and renames it over the env file, so that user needs write access to {{dir}}, ' +
      'and the file must not be immutable (`lsattr {{path}}`; `chattr -i` clears it) nor on a read-only mount. ' +
      'Fix that, then try again; until then change the flag in the env file by hand if it cannot wait.',
    runningAs: 'the user pc-verify runs as ({{name}}, uid {{uid}})',
    runningAsUnknown: 'the user pc-verify runs as',
  },
} as const;
