/** Who is in which group (docs/architecture.md#the-pieces): the chat adapter answers, cached briefly. */
export interface Directory {
  /** The group's members; throws DirectoryLookupFailed when the directory does not answer in time. */
  members(group: string): Promise<readonly string[]>;
  /** The members known without asking anyone (possibly from before a failed refresh), if any. */
  cached?(group: string): readonly string[] | undefined;
}

export class DirectoryLookupFailed extends Error {
  readonly code = 'PCV_GROUP_LOOKUP';
  constructor(
    readonly group: string,
    why: string,
  ) {
    super(`could not read the members of user group ${group}: ${why}`);
    this.name = 'DirectoryLookupFailed';
  }
}

/** Configured principals that name a user group rather than a person. */
export function isGroup(principal: string): boolean {
  return principal.startsWith('S');
}

/**
 * True when the user is listed, or is a member of a listed user group. A listed user id needs
 * no lookup; every group already known is checked before any is looked up; and a group that
 * cannot be looked up denies only when no other group lets the user in.
 */
export async function isListed(
  principals: readonly string[],
  userId: string,
  directory: Directory,
): Promise<boolean> {
  if (principals.includes(userId)) return true;
  const groups = principals.filter(isGroup);
  if (groups.some((group) => directory.cached?.(group)?.includes(userId))) return true;
  let failure: unknown;
  for (const group of groups) {
    try {
      if ((await directory.members(group)).includes(userId)) return true;
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
  return false;
}
