import type { EnvironmentConfig } from '../../src/config/config.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { EnvName } from '../../src/domain/ids.ts';
import type { RunEvent } from '../../src/engine/run-events.ts';
import type {
  Clock,
  CommandResult,
  Containers,
  HttpRequest,
  HttpResult,
  TableLookup,
  Target,
  TargetAction,
} from '../../src/hunter/port.ts';
import { memoryLedger, type PhaseContext } from '../../src/phases/context.ts';

/**
 * A Target whose answers a test scripts, for phase logic that must be tested without timers
 * or processes (garbage answers, odd orders). End-to-end behaviour is tested against sim/hunter.
 */
export interface FakeTargetScript {
  commands?: (action: TargetAction, stdin?: string) => CommandResult | Promise<CommandResult>;
  http?: (req: HttpRequest) => HttpResult | Promise<HttpResult>;
  table?: () => TableLookup;
  envText?: string;
  /** The api and worker containers as a compose driver sees them; absent: a driver that cannot. */
  containers?: Containers;
}

export function fakeEnv(overrides = ''): EnvironmentConfig {
  const text = `
environments:
  staging:
    tier: staging
    api: { baseUrl: "http://hunter.test:8000", readyTimeout: 5s }
    database: { url: "postgres://h@db.test/h" }
    driver: { kind: compose, projectDir: /srv/hunter, commandTimeout: 5s }
${overrides}`;
  return parseConfig(text, 'fake', {}).environments.get('staging' as EnvName)!;
}

/** A clock whose sleeps return at once and move time forward: deadlines work, nothing waits. */
export function instantClock(start = Date.parse('2026-11-28T12:00:00Z')): Clock & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(now),
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

export const ok = (stdout = '', stderr = ''): CommandResult => ({
  ok: true,
  exitCode: 0,
  stdout,
  stderr,
  ms: 1,
});
export const exited = (code: number, stderr = ''): CommandResult => ({
  ok: false,
  reason: 'exit',
  exitCode: code,
  stdout: '',
  stderr,
  message: `exited with code ${code}`,
  ms: 1,
});
export const json = (status: number, body: unknown): HttpResult => ({
  ok: true,
  status,
  contentType: 'application/json',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  ms: 1,
});
export const raw = (status: number, body: string, contentType = 'text/html'): HttpResult => ({
  ok: true,
  status,
  contentType,
  body,
  ms: 1,
});

export interface FakeRun {
  ctx: PhaseContext;
  events: RunEvent[];
  envWrites: string[];
  actions: TargetAction[];
  clock: ReturnType<typeof instantClock>;
  controller: AbortController;
}

export function fakeRun(script: FakeTargetScript, env = fakeEnv()): FakeRun {
  const events: RunEvent[] = [];
  const envWrites: string[] = [];
  const actions: TargetAction[] = [];
  const clock = instantClock();
  const controller = new AbortController();
  let envText = script.envText ?? 'HUNTER_PARTNER_CENTER_ENABLED=true\n';
  const target: Target = {
    env,
    clock,
    ...(script.containers ? { containers: script.containers } : {}),
    commands: {
      describe: () => '',
      run: async (action, options) => {
        actions.push(action);
        return script.commands ? script.commands(action, options.stdin) : ok();
      },
    },
    http: {
      urlOf: (path) => `http://hunter.test:8000${path}`,
      request: async (req) => (script.http ? script.http(req) : json(200, { partner_center_enabled: false })),
    },
    db: {
      table: async () => script.table?.() ?? { ok: false, reason: 'missing', message: 'table not found' },
    },
    envFile: {
      path: '/srv/hunter/.env',
      read: async () => envText,
      write: async (text) => {
        envWrites.push(text);
        envText = text;
      },
    },
  };
  const ctx: PhaseContext = {
    flag: memoryLedger(),
    target,
    env,
    signal: controller.signal,
    observer: (e) => {
      events.push(e);
    },
    redact: (text) => text,
  };
  return { ctx, events, envWrites, actions, clock, controller };
}
