import type { CommandResult } from '../port.ts';
import type { ComposeCli } from './cli-argv.ts';

export type FoundCli =
  | { readonly ok: true; readonly cli: ComposeCli }
  | { readonly ok: false; readonly message: string };

const CANDIDATES: readonly (readonly string[])[] = [['docker', 'compose'], ['docker-compose']];

/**
 * Which compose CLI this host has: the configured one, else `docker compose` (v2), else
 * `docker-compose`; and its major version from `version` (`docker-compose version 1.29.2…` is
 * v1, `Docker Compose version v2.26.1` is v2, whatever the program is called).
 */
export async function findComposeCli(
  configured: readonly string[] | undefined,
  run: (argv: readonly string[]) => Promise<CommandResult>,
): Promise<FoundCli> {
  const tried: string[] = [];
  for (const command of configured ? [configured] : CANDIDATES) {
    const res = await run([...command, 'version']);
    const text = `${res.stdout}\n${res.stderr}`;
    const version = /version v?(\d+)\.\d+/i.exec(text);
    if (res.ok && version) return { ok: true, cli: { command, v1: version[1] === '1' } };
    tried.push(`\`${command.join(' ')} version\`: ${res.ok ? 'no version in its output' : res.message}`);
  }
  return {
    ok: false,
    message: `no compose CLI answered (${tried.join('; ')})`,
  };
}
