import { basename } from 'node:path';

/**
 * The project names compose derives from the project directory when `-p` is not given, v2's
 * first. Both lowercase the basename and drop every character outside [a-z0-9_-]; v2 also
 * drops leading `_` and `-`, v1 1.29 keeps them (checked on a real daemon: `_Under` is
 * `under` to v2 and `_under` to v1).
 */
export function derivedProjectNames(projectDir: string): readonly string[] {
  const v1 = basename(projectDir)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
  const v2 = v1.replace(/^[_-]+/, '');
  return [...new Set([v2, v1])].filter((name) => name !== '');
}
