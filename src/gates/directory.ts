/** Who is in which group (docs/architecture.md#the-pieces): the chat adapter answers, cached briefly. */
export interface Directory {
  /** The group's members; throws DirectoryLookupFailed when the directory does not answer in time. */
  members(group: string): Promise<readonly string[]>;
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

/** True when the user is listed, or is a member of a listed user group. */
export async function isListed(
  principals: readonly string[],
  userId: string,
  directory: Directory,
): Promise<boolean> {
  if (principals.includes(userId)) return true;
  for (const group of principals.filter(isGroup)) {
    if ((await directory.members(group)).includes(userId)) return true;
  }
  return false;
}
