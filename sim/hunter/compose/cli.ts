import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CommandReply, reply } from '../types.ts';
import type { ComposeCall, Invocation, Project } from './context.ts';
import { usageError, V2_FILE_NOT_FOUND } from './context.ts';
import { exec } from './exec.ts';
import { type FlagDef, lastValue, parseFlags } from './flags.ts';
import { restart, up } from './lifecycle.ts';
import { logs } from './logs.ts';
import { ps } from './ps.ts';
import { V1_NO_COMPOSE_FILE, v1GlobalUsage, v1Version } from './v1.ts';

export const COMPOSE_VERSION = 'v2.29.7';

const DOCKER_GLOBAL: readonly FlagDef[] = [
  { long: 'context', short: 'c', value: true },
  { long: 'host', short: 'H', value: true },
  { long: 'config', value: true },
  { long: 'log-level', short: 'l', value: true },
  { long: 'debug', short: 'D' },
  { long: 'tls' },
  { long: 'tlsverify' },
];

const COMPOSE_GLOBAL: readonly FlagDef[] = [
  { long: 'project-directory', value: true },
  { long: 'file', short: 'f', value: true },
  { long: 'project-name', short: 'p', value: true },
  { long: 'env-file', value: true },
  { long: 'profile', value: true },
  { long: 'ansi', value: true },
  { long: 'progress', value: true },
  { long: 'parallel', value: true },
  { long: 'compatibility' },
  { long: 'dry-run' },
  { long: 'all-resources' },
  { long: 'no-ansi' },
  { long: 'verbose' },
  { long: 'version', short: 'v' },
];

/** `docker-compose` 1.29's global options (docopt: an unknown one is an error, exit 1). */
const COMPOSE_V1_GLOBAL: readonly FlagDef[] = [
  { long: 'file', short: 'f', value: true },
  { long: 'project-name', short: 'p', value: true },
  { long: 'profile', value: true },
  { long: 'context', short: 'c', value: true },
  { long: 'verbose' },
  { long: 'log-level', value: true },
  { long: 'ansi', value: true },
  { long: 'no-ansi' },
  { long: 'version', short: 'v' },
  { long: 'host', short: 'H', value: true },
  { long: 'tls' },
  { long: 'tlsverify' },
  { long: 'skip-hostname-check' },
  { long: 'project-directory', value: true },
  { long: 'compatibility' },
  { long: 'env-file', value: true },
];

const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** Real compose commands the simulator does not model: said plainly rather than faked. */
const NOT_SIMULATED = new Set(
  'attach build commit config cp create down events export images kill ls pause port pull push rm run scale start stats stop top unpause wait watch'.split(
    ' ',
  ),
);

type Handler = (inv: Invocation, argv: readonly string[]) => CommandReply | Promise<CommandReply>;
const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['exec', exec],
  ['restart', restart],
  ['up', up],
  ['logs', logs],
  ['ps', ps],
  ['version', () => reply(0, `Docker Compose version ${COMPOSE_VERSION}\n`)],
]);

/** One `docker …` / `docker-compose …` run, answered the way the world's compose answers it. */
export async function runCompose(call: ComposeCall, project: Project): Promise<CommandReply> {
  if (call.program === 'docker-compose') {
    return project.cli === 'v1' ? runComposeV1(call, project) : runComposeV2(call, project, call.argv);
  }
  const docker = parseFlags(call.argv, DOCKER_GLOBAL, false);
  if (!docker.ok) return reply(125, '', `${docker.error}\nSee 'docker --help'.\n`);
  const [command, ...rest] = docker.args;
  if (command !== 'compose') {
    return reply(
      1,
      '',
      `hunter-sim: \`docker ${command ?? ''}\` is not simulated (only \`docker compose …\`)\n`,
    );
  }
  // A host with only compose v1 has no `compose` plugin for the docker CLI.
  if (project.cli === 'v1') {
    return reply(
      1,
      '',
      "docker: unknown command: docker compose\n\nRun 'docker --help' for more information\n",
    );
  }
  return runComposeV2(call, project, rest);
}

async function runComposeV2(
  call: ComposeCall,
  project: Project,
  argv: readonly string[],
): Promise<CommandReply> {
  const root = parseFlags(argv, COMPOSE_GLOBAL, false);
  if (!root.ok) return usageError(root.error);
  const { flags } = root;
  if (flags.has('version')) return reply(0, `Docker Compose version ${COMPOSE_VERSION}\n`);
  const [sub, ...rest] = root.args;
  if (sub === undefined)
    return reply(
      0,
      'Usage:  docker compose [OPTIONS] COMMAND\n\nDefine and run multi-container applications with Docker\n',
    );
  const problem = configProblem(call, flags);
  if (problem) return reply(1, '', `${problem}\n`);
  const projectName = lastValue(flags, 'project-name') ?? project.name;
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(projectName)) {
    return reply(
      1,
      '',
      `invalid project name "${projectName}": must consist only of lowercase alphanumeric characters, ` +
        'hyphens, and underscores as well as start with a letter or number\n',
    );
  }
  // v2 reads `env_file:` only to create a container: other commands run without the file.
  const envFile = resolve(project.dir, '.env');
  if (sub === 'up' && project.envMode === 'env-file' && !existsSync(envFile)) {
    return reply(
      V2_FILE_NOT_FOUND,
      '',
      `env file ${envFile} not found: stat ${envFile}: no such file or directory\n`,
    );
  }
  return dispatch(sub, { call, project, projectName, ours: projectName === project.name }, rest);
}

async function dispatch(sub: string, inv: Invocation, rest: readonly string[]): Promise<CommandReply> {
  const handler = HANDLERS.get(sub);
  if (handler) return handler(inv, rest);
  if (NOT_SIMULATED.has(sub)) return reply(1, '', `hunter-sim: \`compose ${sub}\` is not simulated\n`);
  return reply(1, '', `unknown docker command: "compose ${sub}"\n`);
}

/** `docker-compose` 1.29: reads every file, `env_file:` ones included, before any command. */
async function runComposeV1(call: ComposeCall, project: Project): Promise<CommandReply> {
  const root = parseFlags(call.argv, COMPOSE_V1_GLOBAL, false);
  if (!root.ok) return v1GlobalUsage();
  const { flags } = root;
  const [sub, ...rest] = root.args;
  if (flags.has('version')) return v1Version([], project.v1Release);
  if (sub === undefined) return v1GlobalUsage();
  if (sub === 'version') return v1Version(rest, project.v1Release);
  const projectDir = resolve(call.cwd, lastValue(flags, 'project-directory') ?? '.');
  const files = flags.get('file') ?? [];
  const missing = files.find((f) => !existsSync(resolve(call.cwd, f)));
  if (missing !== undefined) {
    const shown = missing.startsWith('/') ? missing : `./${missing.replace(/^\.\//, '')}`;
    return reply(1, '', `.FileNotFoundError: [Errno 2] No such file or directory: '${shown}'\n`);
  }
  if (files.length === 0 && !COMPOSE_FILES.some((f) => existsSync(resolve(projectDir, f)))) {
    return reply(1, '', V1_NO_COMPOSE_FILE);
  }
  const envFile = resolve(project.dir, '.env');
  if (project.envMode === 'env-file' && !existsSync(envFile)) {
    // `exec` fails silently; every other command names the file.
    return reply(1, '', sub === 'exec' ? '' : `Couldn't find env file: ${envFile}\n`);
  }
  const projectName = lastValue(flags, 'project-name') ?? project.name;
  return dispatch(sub, { call, project, projectName, ours: projectName === project.name }, rest);
}
/** Compose reads its files before anything else: a missing one stops every command. */
function configProblem(call: ComposeCall, flags: ReadonlyMap<string, readonly string[]>): string | undefined {
  const projectDir = resolve(call.cwd, lastValue(flags, 'project-directory') ?? '.');
  for (const file of flags.get('file') ?? []) {
    const path = resolve(call.cwd, file);
    if (!existsSync(path)) return `open ${path}: no such file or directory`;
  }
  if (!flags.has('file') && !COMPOSE_FILES.some((f) => existsSync(resolve(projectDir, f)))) {
    return 'no configuration file provided: not found';
  }
  for (const file of flags.get('env-file') ?? []) {
    const path = resolve(call.cwd, file);
    if (!existsSync(path)) return `couldn't find env file: ${path}`;
  }
  return undefined;
}
