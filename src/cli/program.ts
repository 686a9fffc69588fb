import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/errors.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { packageVersion } from './version.ts';

// Each subcommand imports its own dependencies when it runs (`import()` in its action), so
// `pc-verify --help` or `checks` does not load Bolt, BullMQ, MSAL or pg.

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

const BREAK_GLASS_FLAG = '--break-glass <reason>';
const BREAK_GLASS_HELP =
  "change an environment that needs an approver anyway (emergencies): takes its lock in the bot's Redis, audited, reviewed by the approvers";

function program(setExit: (code: number) => void): Command {
  const cli = new Command('pc-verify')
    .description("Verifies Hunter's Partner Center integration (runbook phases 0-3) before its flag goes ON.")
    .version(packageVersion(), '-V, --version', 'print the version of pc-verify')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  addTerminalCommands(cli, setExit);
  addToolCommands(cli, setExit);
  addBotCommands(cli, setExit);
  return cli;
}

/** What runs in this terminal: a verification, a sign-in renewal, a plan. */
function addTerminalCommands(cli: Command, setExit: (code: number) => void): void {
  addRunCommand(cli, setExit);
  addLoginCommand(cli, setExit);
  cli
    .command('plan')
    .description('print every command and request a run would make; nothing is executed')
    .argument('<env>', 'environment name from the config')
    .option('-c, --config <file>', 'config file (default: $PCV_CONFIG or pc-verify.yml)')
    .action(async (env: string, opts: { config?: string }) => {
      const { planCommand } = await import('./plan.ts');
      setExit(await planCommand({ env, ...opts }, out));
    });
}

function addRunCommand(cli: Command, setExit: (code: number) => void): void {
  cli
    .command('run')
    .description('run the verification of one environment in this terminal (exit 0 PASS, 1 FAIL, 2 usage)')
    .argument('<env>', 'environment name from the config')
    .option('-c, --config <file>', 'config file (default: $PCV_CONFIG or pc-verify.yml)')
    .option('--json', 'print the results as JSON instead of the results template')
    .option('--phases <list>', 'only these phases, e.g. 0,1')
    .option('--confirm-flag-off', 'in prod, allow Phase 1 to turn OFF a flag that is ON now (an outage)')
    .option(BREAK_GLASS_FLAG, BREAK_GLASS_HELP)
    .option(
      '--redis <url>',
      "the bot's Redis, for --break-glass (default: the config's redis, else $REDIS_URL)",
    )
    .action(
      async (
        env: string,
        opts: {
          config?: string;
          json?: boolean;
          phases?: string;
          confirmFlagOff?: boolean;
          breakGlass?: string;
          redis?: string;
        },
      ) => {
        const { runCommand } = await import('./run.ts');
        const { redis, ...rest } = opts;
        setExit(await runCommand({ env, ...rest, ...(redis ? { redisUrl: redis } : {}) }, { out, err }));
      },
    );
}

function addLoginCommand(cli: Command, setExit: (code: number) => void): void {
  cli
    .command('login')
    .description(
      'sign in again for one environment: Phase 2 alone, the flag untouched (exit 0 renewed, 1 not)',
    )
    .argument('<env>', 'environment name from the config')
    .option('-c, --config <file>', 'config file (default: $PCV_CONFIG or pc-verify.yml)')
    .option('--redis <url>', "the bot's Redis, to hold the environment's lock (default: $REDIS_URL)")
    .option(BREAK_GLASS_FLAG, BREAK_GLASS_HELP)
    .action(async (env: string, opts: { config?: string; redis?: string; breakGlass?: string }) => {
      const { loginCommand } = await import('./login.ts');
      setExit(
        await loginCommand(
          {
            env,
            ...(opts.config ? { config: opts.config } : {}),
            ...(opts.redis ? { redisUrl: opts.redis } : {}),
            ...(opts.breakGlass ? { breakGlass: opts.breakGlass } : {}),
          },
          { out, err },
        ),
      );
    });
}

/** What explains or shows pc-verify without touching an environment: the checks, the demo. */
function addToolCommands(cli: Command, setExit: (code: number) => void): void {
  cli
    .command('checks')
    .description('list every check: its id, the runbook step it automates, what it expects, its hint')
    .option('--markdown', 'print docs/checks.md (Markdown) instead of plain text')
    .option('--driver <kind>', 'word the hints for this driver: compose (default) or commands')
    .option('--language <language>', "the list's words: en (default) or tr, the runbook's Turkish")
    .action(async (opts: { markdown?: boolean; driver?: string; language?: string }) => {
      const { checksCommand } = await import('./checks.ts');
      setExit(checksCommand(opts, out));
    });

  cli
    .command('demo')
    .description('a complete verification against the bundled Hunter simulator, with a simulated login')
    .option('--json', 'print the results as JSON')
    .option('--chat', 'the bot itself in a local chat console (a web page that acts like a Slack channel)')
    .option('--auto-login', 'with --chat: approve every device-code login at once')
    .option('--port <port>', "with --chat: the page's port on 127.0.0.1 (default: a free one)", portNumber)
    .option('--language <language>', "the words of the report: en (default) or tr, the runbook's Turkish")
    .action(
      async (opts: {
        json?: boolean;
        chat?: boolean;
        autoLogin?: boolean;
        port?: number;
        language?: string;
      }) => {
        if (opts.chat) {
          const { chatConsoleCommand } = await import('../../sim/console/index.ts');
          setExit(await chatConsoleCommand(opts, { out, err }));
        } else {
          const { demoCommand } = await import('./demo.ts');
          setExit(await demoCommand(opts, { out, err }));
        }
      },
    );
}

/** The bot and its audit trail. */
function addBotCommands(cli: Command, setExit: (code: number) => void): void {
  cli
    .command('serve')
    .description('run the Slack bot (Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT)')
    .option('--role <role>', 'web (answer Slack), worker (run phases) or all', 'all')
    .option('-c, --config <file>', 'config file (default: $PCV_CONFIG or pc-verify.yml)')
    .action(async (opts: { role: string; config?: string }) => {
      const { serveCommand } = await import('./serve.ts');
      setExit(await serveCommand(opts));
    });

  cli
    .command('audit')
    .description('audit trail tools')
    .command('verify')
    .description(
      "check the hash chain of an environment's audit stream (exit 0 intact, 1 broken, 2 not checked)",
    )
    .argument('<env>', 'environment name from the config')
    .option('-c, --config <file>', 'config file (default: $PCV_CONFIG or pc-verify.yml)')
    .action(async (env: string, opts: { config?: string }) => {
      const { auditVerifyCommand } = await import('./audit.ts');
      setExit(await auditVerifyCommand({ env, ...opts }, { out, err }));
    });
}

function portNumber(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port takes 0-65535 (got "${text}")`);
  return port;
}

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.pass;
  try {
    await program((code) => {
      exitCode = code;
    }).parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.pass : EXIT.usage;
    }
    if (error instanceof ConfigError || error instanceof UsageError) {
      err(error.message);
      return EXIT.usage;
    }
    throw error;
  }
}
