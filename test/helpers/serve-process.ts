import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { postSigned, slashCommandBody } from '../../sim/slack/sign.ts';
import type { FakeSlackApi } from '../../sim/slack/web-api.ts';
import type { RunId } from '../../src/domain/ids.ts';
import { keepEvidence } from './evidence.ts';
import { pollUntil } from './poll.ts';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const SPARE = fileURLToPath(new URL('./serve-spare.ts', import.meta.url));

/** The short timings of test/slack/bot-world.ts FAST, as `serve` reads them from its environment. */
export const FAST_SERVE_ENV: Readonly<Record<string, string>> = {
  PCV_JOB_LOCK: '1500ms',
  PCV_STALLED_INTERVAL: '500ms',
  PCV_RUN_LEASE: '8s',
  PCV_SHUTDOWN_GRACE: '3s',
  PCV_REAP_INTERVAL: '500ms',
  PCV_CHAT_POSTS_PER_SECOND: '50',
  PCV_NOTIFIER_LEASE: '1s',
};

export interface ServeOptions {
  readonly configPath: string;
  /** A PEM file the process trusts on top of the system CAs (the fake Azure AD's). */
  readonly caFile: string;
  readonly botToken: string;
  readonly apiUrl: string;
  readonly signingSecret: string;
  readonly redisUrl: string;
  readonly role?: 'web' | 'worker' | 'all';
  readonly env?: Readonly<Record<string, string>>;
}

export interface Served {
  readonly child: ResultPromise;
  readonly url: string;
  readonly output: () => string;
}

/** `pc-verify serve` as its own process: the real CLI, environment and config file. */
export async function startServe(options: ServeOptions): Promise<Served> {
  const spawned = spawn(options, [CLI, 'serve', '--role', options.role ?? 'all'], 'ignore');
  return listening(spawned);
}

/**
 * `pc-verify serve` started ahead of need: the process loads the code (most of a start-up) at
 * once, and serves — exactly as `startServe` — only when `go()` is called. Until then it has no
 * connection and takes no job, so a test can keep one ready while another process works.
 */
export interface SpareServe {
  go(): Promise<Served>;
  readonly child: ResultPromise;
}

export function startSpare(options: ServeOptions): SpareServe {
  const spawned = spawn(options, [SPARE, options.role ?? 'all'], 'pipe');
  return {
    child: spawned.child,
    go: () => {
      spawned.child.stdin?.end('go\n');
      return listening(spawned);
    },
  };
}

interface Spawned {
  readonly child: ResultPromise;
  readonly output: () => string;
}

function spawn(options: ServeOptions, args: readonly string[], stdin: 'ignore' | 'pipe'): Spawned {
  const child = execa('node', ['--import', 'tsx', ...args], {
    env: {
      SLACK_BOT_TOKEN: options.botToken,
      SLACK_SIGNING_SECRET: options.signingSecret,
      SLACK_API_URL: options.apiUrl,
      REDIS_URL: options.redisUrl,
      PORT: '0',
      OPS_PORT: '0',
      HOST: '127.0.0.1',
      PCV_CONFIG: options.configPath,
      // Debug lines are scanned for planted secrets too.
      LOG_LEVEL: 'debug',
      // Trusted the way an operator trusts a private CA.
      NODE_EXTRA_CA_CERTS: options.caFile,
      ...FAST_SERVE_ENV,
      ...options.env,
    },
    stdin,
    reject: false,
    all: true,
    buffer: false,
  });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  // Whatever the process printed is kept for the final scan for planted secrets.
  void child.then(() => keepEvidence('serve-output', output));
  return { child, output: () => output };
}

async function listening({ child, output }: Spawned): Promise<Served> {
  const url = await pollUntil(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1], {
    timeoutMs: 30_000,
    what: `pc-verify serve to listen (output so far: ${output().slice(-500)})`,
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return { child, url, output };
}

/** A slash command to a `serve` process; its response_url is the fake Slack's, on Slack's host. */
export interface SlashAt {
  readonly text: string;
  readonly userId: string;
  readonly channelId: string;
  readonly secret: string;
  readonly slack: Pick<FakeSlackApi, 'responseUrl' | 'responses'>;
}

/** `/pc-verify <text>` signed and posted to a `serve` process; returns the run id from its answer. */
export async function startRunAt(url: string, slash: SlashAt): Promise<RunId> {
  const text = await answerAt(url, slash);
  const id = /`(r[a-z0-9]+)`/.exec(text)?.[1];
  if (!id) throw new Error(`no run started: ${text}`);
  return id as RunId;
}

/** The answer a `serve` process sends (on the command's response_url) to `/pc-verify <text>`. */
export async function answerAt(url: string, slash: SlashAt): Promise<string> {
  const responseUrl = slash.slack.responseUrl('commands', { channel: slash.channelId, userId: slash.userId });
  const res = await postSigned(
    `${url}/slack/events`,
    slashCommandBody({ text: slash.text, userId: slash.userId, channelId: slash.channelId, responseUrl }),
    { secret: slash.secret },
  );
  if (res.status !== 200) throw new Error(`the command was not acked: HTTP ${res.status} ${res.body}`);
  const answer = await pollUntil(() => slash.slack.responses().find((r) => r.url === responseUrl), {
    timeoutMs: 15_000,
    what: `the answer to /pc-verify ${slash.text} on its response_url`,
  });
  return String(answer.body.text ?? '');
}
