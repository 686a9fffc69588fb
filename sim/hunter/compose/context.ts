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
  /** The stand-in's stdin, streamed (`install`, `sh` and `sha256sum` read it). */
  readonly stdin: Readable;
  /** Aborts when the stand-in goes away (killed, cancelled). */
  readonly signal: AbortSignal;
}

/** The simulated compose project and what its containers can reach. */
export interface Project {
  readonly dir: string;
  readonly name: string;
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
): { ok: true; services: ServiceName[] } | { ok: false; reply: CommandReply } {
  if (args.length === 0) return { ok: true, services: [...SERVICE_NAMES] };
  const unknown = args.find((a) => !isServiceName(a));
  if (unknown !== undefined) return { ok: false, reply: reply(1, '', `no such service: ${unknown}\n`) };
  return { ok: true, services: [...new Set(args as ServiceName[])] };
}

export function containerName(projectName: string, service: ServiceName): string {
  return `${projectName}-${service}-1`;
}

/** What a compose flag error looks like (cobra, then compose's hint). */
export function usageError(message: string, sub?: string): CommandReply {
  const help = sub === undefined ? "See 'docker compose --help'." : `See 'docker compose ${sub} --help'.`;
  return reply(1, '', `${message}\n${help}\n`);
}
