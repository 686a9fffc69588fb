import type { Readable } from 'node:stream';
import type { Deployment } from '../deployment.ts';
import type { LogStore } from '../log-store.ts';
import type { PausePoints } from '../pause-points.ts';
import type { SharedVolume } from '../token-cache.ts';
import { type CommandReply, type HunterFaults, reply, SERVICE_NAMES, type ServiceName } from '../types.ts';
import type { CeleryWorker } from '../worker.ts';

/** One run of the stand-in `docker` / `docker-compose`, as it reached the simulator. */
export interface ComposeCall {
  readonly program: 'docker' | 'docker-compose';
  /** Everything after the program name. */
  readonly argv: readonly string[];
  readonly cwd: string;
  /** Whether the stand-in's stdin is a terminal (compose v1's `exec` without `-T` needs one). */
  readonly stdinTty: boolean;
  /** The stand-in's stdin, streamed (`install`, `sh` and `sha256sum` read it). */
  readonly stdin: Readable;
  /** Aborts when the stand-in goes away (killed, cancelled). */
  readonly signal: AbortSignal;
}

/**
 * Which compose the stand-in impersonates: 'v2' (`docker compose`, Go) or 'v1'
 * (`docker-compose` 1.29, Python), whose flags, output and exit codes differ.
 */
export type ComposeCli = 'v1' | 'v2';

/** The simulated compose project and what its containers can reach. */
export interface Project {
  readonly dir: string;
  readonly name: string;
  readonly cli: ComposeCli;
  /** With `cli: 'v1'`, which release (their options differ). */
  readonly v1Release: '1.29.2' | '1.25.0';
  /** 'env-file': the compose file names `.env` in `env_file:`, so compose itself needs the file. */
  readonly envMode: 'bind-mount' | 'env-file';
  readonly deployment: Deployment;
  readonly logs: LogStore;
  readonly worker: CeleryWorker;
  readonly volume: SharedVolume;
  readonly faults: () => HunterFaults;
  readonly databaseUrl: string;
  readonly apiPort: () => number;
  readonly pauses: PausePoints;
}

/** A call resolved against the project: `ours` is false when `-p` names another project. */
export interface Invocation {
  readonly call: ComposeCall;
  readonly project: Project;
  readonly ours: boolean;
  readonly projectName: string;
}

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** Services named on the command line (all when none), or compose's error for an unknown one. */
export function pickServices(
  args: readonly string[],
  cli: ComposeCli = 'v2',
): { ok: true; services: ServiceName[] } | { ok: false; reply: CommandReply } {
  if (args.length === 0) return { ok: true, services: [...SERVICE_NAMES] };
  const unknown = args.find((a) => !isServiceName(a));
  if (unknown !== undefined) {
    const message = cli === 'v1' ? `No such service: ${unknown}` : `no such service: ${unknown}`;
    return { ok: false, reply: reply(1, '', `${message}\n`) };
  }
  return { ok: true, services: [...new Set(args as ServiceName[])] };
}

/** v2 joins with `-` (`hunter-worker-1`), v1 with `_` (`hunter_worker_1`). */
export function containerName(projectName: string, service: ServiceName, cli: ComposeCli = 'v2'): string {
  const sep = cli === 'v1' ? '_' : '-';
  return `${projectName}${sep}${service}${sep}1`;
}

/** Compose v2's exit code for a command line it cannot parse (its "syntax failure"). */
export const V2_SYNTAX_FAILURE = 16;
/** Compose v2's exit code for a file it cannot find (compose file, env file). */
export const V2_FILE_NOT_FOUND = 14;

/** What a compose v2 flag error looks like: cobra's message alone, exit 16. */
export function usageError(message: string, _sub?: string): CommandReply {
  return reply(V2_SYNTAX_FAILURE, '', `${message}\n`);
}
