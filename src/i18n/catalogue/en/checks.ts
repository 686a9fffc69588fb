import { registry } from './checks-registry.ts';

/**
 * What a person reads of a check, in the Slack thread and the terminal: the registry of checks
 * (`registry.<check>`: its title, the runbook step, what it expects, its hint; docs/checks.md is
 * printed from the English) and what the checks say they saw and what to do next. Driver phrases
 * (`{{restart}}`, `{{apiLogs}}`, …) are the deployment's own commands, filled in as they are.
 */
export const checks = {
  registry,
  /** How a hint names the deployment's own commands: the compose driver's, or the configured ones. */
  driver: {
    compose: {
      restart: '`{{command}}` in the project directory',
      recreate: 'recreate them: `{{command}}`',
      restartKeepsOldEnv:
        'If the env file reaches the containers through `env_file:`, `restart` does not re-read it: set driver.apply: recreate or auto.',
      apiEnvironment: "the {{api}} container's environment",
    },
    commands: {
      named: "the environment's `{{action}}` command",
      namedArgv: "`{{argv}}` (the environment's `{{action}}` command)",
      recreate: 'stop and start them (not a reload) with {{apply}}',
      restartKeepsOldEnv:
        'If the api and worker keep the environment they were started with, make the `apply` command replace the processes (not reload them) so they read the env file again.',
      apiLogs: "the api's own log on its host (e.g. `journalctl -u` its service)",
      status: 'the state of the api and worker services on their host (e.g. `systemctl status`)',
      apiEnvironment: "the api process's environment",
      program: 'the program this command runs',
    },
  },
  /** What a sign-in (Phase 2) that failed says: MSAL's and Azure AD's answers in words. */
  auth: {
    hints: {
      declined: 'The person declined the sign-in. Start the run again when they are ready to approve it.',
      expired:
        'Nobody finished the sign-in in time. Start the run again and complete the login before the code expires.',
      cancelled: 'The run was cancelled while waiting for the sign-in.',
      misconfigured:
        'Device flow errors mean the Azure AD app registration or credentials are wrong: check the app registration ' +
        '(client id, tenant id) and the Partner Center API permissions, then run the flow again.',
      error:
        'The sign-in failed: check the app registration and the Partner Center API permissions, and that this host ' +
        'reaches the Azure AD authority; then run the flow again.',
    },
    transport: {
      tls: 'its TLS certificate is not trusted by this host',
      refused: 'the connection was refused',
      dns: 'its host name was not found',
      timeout: 'it did not answer in time',
      cancelled: 'the request was cancelled',
      other: 'the request failed',
    },
    unreachable: 'Azure AD could not be reached: {{why}} ({{code}})',
    serverSaid: 'Azure AD: {{error}}',
    tlsHint:
      "The Azure AD authority's certificate is not trusted: if it comes from a private CA, add that CA with " +
      'NODE_EXTRA_CA_CERTS (never turn certificate checks off), and check auth.authority in the config.',
    unreachableHint:
      'Azure AD could not be reached from this host: check auth.authority (and auth.knownAuthorities) in the ' +
      'config, DNS, the proxy and the firewall, then run the flow again.',
    cancelled: 'cancelled while waiting for the sign-in',
    notInTime: 'the sign-in was not completed in time (MSAL: {{code}})',
    handoffFailed: 'the sign-in code could not be handed to the person, so nobody could sign in',
    handoffFailedHint:
      'Check that the bot can send the requester a direct message (or, on the command line, that the terminal is attached), then run the flow again.',
    noAccount: 'Azure AD returned no account or access token',
    noCachedAccount: 'the cache holds no account for the signed-in person',
    noAccessToken: 'no access token returned',
    silentHint:
      'Silent acquisition failed → the token cache was not created properly: check the app registration and the ' +
      'Partner Center API permissions, then run the device-code flow again.',
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
    autoRecreate:
      '{{name}} is in the create-time environment of {{names}} (env_file: or environment:), which restart does not re-read',
    autoRecreateFile:
      "the env file's variables are in the create-time environment of {{names}} (env_file:), which restart does not re-read",
    autoRestart:
      "neither {{name}} nor the env file's variables are in the create-time environment of api or worker: a restart re-reads the file",
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
  /** What the compose driver knows to say when docker itself reports the problem. */
  docker: {
    notRunning:
      'Start it (`{{command}} up -d {{service}}` in the project directory) and look at its logs for why it stopped (`{{command}} logs {{service}}`); then run again.',
    noProgram:
      "The {{service}} image has no `{{program}}` on its PATH: install it in the image (Debian's python3-* packages ship only the libraries, not the commands), rebuild, and run again.",
    unreachable:
      'pc-verify talks to the Docker daemon at {{host}}: is it running, and may the user the bot runs as use its socket (the `docker` group)? Set driver.host or DOCKER_HOST if the daemon is elsewhere.',
    slow: 'The Docker daemon is slow to answer: look at its load, then try again.',
    refused: 'The Docker daemon refused the request; its message above says why.',
    noContainer:
      'Is the project up (`{{command}} ps` in {{dir}})? If compose runs it under another project name (`-p`, COMPOSE_PROJECT_NAME, `name:` in the file), set driver.projectName to it.',
    notDescribed: 'Look at the Docker daemon: it did not describe the container.',
    cliTooOld:
      'This compose CLI is older than pc-verify expects: use compose v2 (`docker compose`) or docker-compose 1.29, or set driver.command to one.',
    noCompose:
      'Install compose v2 (`docker compose`) or v1 (`docker-compose`), or name it in driver.command.',
    envFileMissing:
      'Compose could not find {{path}}, the env file the compose file names under `env_file:`, so it recreated nothing: api and worker keep the values they were created with. pc-verify edits {{envFile}}: create the file compose expects, or make `env_file:` and driver.envFile name the same file; then run again.',
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
    missing: 'the env file {{path}} does not exist; pc-verify changed nothing',
    missingOnWrite:
      'pc-verify could not write the env file {{path}}: {{dir}} does not exist; the flag did not change',
    missingHint:
      'The flag lives in the env file api and worker read, and pc-verify edits that file rather than create one: create {{path}} (Phase 0 lists the variables it needs) or point driver.envFile at the right file, then run again.',
    runningAs: 'the user pc-verify runs as ({{name}}, uid {{uid}})',
    runningAsUnknown: 'the user pc-verify runs as',
  },
} as const;
