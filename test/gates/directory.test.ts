import { describe, expect, it } from 'vitest';
import { type Directory, DirectoryLookupFailed, isListed } from '../../src/gates/directory.ts';

const USER = 'U0CAROL0001';
const DOWN = 'S0DOWN00001';
const KNOWN = 'S0KNOWN0001';
const ASKED = 'S0ASKED0001';

/** A directory whose look-ups of some groups fail (Slack's usergroups.users.list erroring), with a cache of others. */
function directory(groups: {
  failing?: readonly string[];
  cached?: Readonly<Record<string, readonly string[]>>;
  live?: Readonly<Record<string, readonly string[]>>;
}): Directory & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    members(group) {
      asked.push(group);
      if (groups.failing?.includes(group))
        return Promise.reject(new DirectoryLookupFailed(group, 'usergroups.users.list: ratelimited'));
      return Promise.resolve(groups.live?.[group] ?? groups.cached?.[group] ?? []);
    },
    cached: (group) => groups.cached?.[group],
  };
}

describe('isListed', () => {
  it('lets a member of a later, cached group in when the first group cannot be looked up', async () => {
    const dir = directory({ failing: [DOWN], cached: { [KNOWN]: [USER] } });
    await expect(isListed([DOWN, KNOWN], USER, dir)).resolves.toBe(true);
    // The cached group answered: the group that is down was never asked.
    expect(dir.asked).toEqual([]);
  });

  it('lets a member of a later group in when the first lookup fails and the later one answers', async () => {
    const dir = directory({ failing: [DOWN], live: { [ASKED]: [USER] } });
    await expect(isListed([DOWN, ASKED], USER, dir)).resolves.toBe(true);
  });

  it('refuses with the lookup failure when no group lets the user in', async () => {
    const dir = directory({ failing: [DOWN], cached: { [KNOWN]: ['U0SOMEONE01'] } });
    await expect(isListed([DOWN, KNOWN], USER, dir)).rejects.toThrow(DirectoryLookupFailed);
  });

  it('needs no lookup for a listed user id', async () => {
    const dir = directory({ failing: [DOWN] });
    await expect(isListed([DOWN, USER], USER, dir)).resolves.toBe(true);
    expect(dir.asked).toEqual([]);
  });
});
