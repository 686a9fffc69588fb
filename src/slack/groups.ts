import { type Directory, DirectoryLookupFailed } from '../runs/directory.ts';

export interface GroupDirectoryOptions {
  /** How long a group's member list is trusted. Default 60 s: a removal takes effect within a minute. */
  readonly ttlMs?: number;
  /** Deadline of one lookup; a slash command must be answered within 3 s. Default 1.5 s. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

export function cachedGroupDirectory(
  fetch: (group: string) => Promise<readonly string[]>,
  options: GroupDirectoryOptions = {},
): Directory {
  const ttlMs = options.ttlMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 1_500;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; members: readonly string[] }>();
  return {
    async members(group) {
      const hit = cache.get(group);
      if (hit && now() - hit.at < ttlMs) return hit.members;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        const members = await Promise.race([fetch(group), timeout]);
        cache.set(group, { at: now(), members });
        return members;
      } catch (error) {
        throw new DirectoryLookupFailed(group, describe(error));
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function describe(error: unknown): string {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
