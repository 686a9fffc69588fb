import { readFileSync } from 'node:fs';

/**
 * The package's version, read from its package.json: two levels up from `src/cli/` in a
 * checkout, three from `dist/src/cli/` in the build. No JSON import, so nothing is copied.
 */
export function packageVersion(from: string | URL = import.meta.url): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(new URL(up, from), 'utf8'));
      if (isOwnPackage(pkg)) return pkg.version;
    } catch {
      // not at this depth: try the next one
    }
  }
  return 'unknown';
}

function isOwnPackage(pkg: unknown): pkg is { name: 'pc-verify'; version: string } {
  if (typeof pkg !== 'object' || pkg === null) return false;
  const { name, version } = pkg as { name?: unknown; version?: unknown };
  return name === 'pc-verify' && typeof version === 'string';
}
