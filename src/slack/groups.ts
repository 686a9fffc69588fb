import { type Directory, DirectoryLookupFailed } from '../gates/directory.ts';
import { slackCode } from './chat.ts';

export interface GroupDirectoryOptions {
  /** How long a group's member list is trusted without asking again. Default 60 s: a removal takes effect within a minute. */
  readonly ttlMs?: number;
  /**
   * How long the last list Slack gave is still used while Slack's directory does not answer.
   * Default 24 h: the kill switch must not depend on Slack's directory being up, but a member
   * removed a day ago is not kept for ever.
   */
  readonly maxStaleMs?: number;
  /** Deadline of one lookup; a slash command must be answered within 3 s. Default 1.5 s. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/** The directory, and a way to read a group again ahead of need. */
export interface RefreshableDirectory extends Directory {
  /** Reads the group from Slack now; a failure keeps the members known before it. */
  refresh(group: string): Promise<void>;
}

interface Entry {
  readonly at: number;
  readonly members: readonly string[];
}

export function cachedGroupDirectory(
  fetch: (group: string) => Promise<readonly string[]>,
  options: GroupDirectoryOptions = {},
): RefreshableDirectory {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxStaleMs = options.maxStaleMs ?? 24 * 60 * 60_000;
  const timeoutMs = options.timeoutMs ?? 1_500;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();
  const usable = (group: string): Entry | undefined => {
    const hit = cache.get(group);
    return hit && now() - hit.at < maxStaleMs ? hit : undefined;
  };
  const lookUp = async (group: string): Promise<readonly string[]> => {
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
  };
  return {
    async refresh(group) {
      await lookUp(group);
    },
    cached: (group) => usable(group)?.members,
    async members(group) {
      const hit = cache.get(group);
      if (hit && now() - hit.at < ttlMs) return hit.members;
      try {
        return await lookUp(group);
      } catch (error) {
        // Slack's directory is down: the last list it gave stands until one replaces it.
        const known = usable(group);
        if (known) return known.members;
        throw error;
      }
    },
  };
}

/**
 * Keeps the configured groups' members fresh in the background (every half of the cache's
 * life), so a permission check — the kill switch's above all — finds them without a Slack call
 * in its path. A failed refresh keeps the members known before it. Returns the stop.
 */
export function keepGroupsFresh(
  directory: RefreshableDirectory,
  groups: readonly string[],
  everyMs: number,
  onError: (group: string, error: unknown) => void,
): () => void {
  const refreshAll = () => {
    for (const group of groups) directory.refresh(group).catch((error: unknown) => onError(group, error));
  };
  refreshAll();
  const timer = setInterval(refreshAll, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

function describe(error: unknown): string {
  return slackCode(error) ?? (error instanceof Error ? error.message : String(error));
}
