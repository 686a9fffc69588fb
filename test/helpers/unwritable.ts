import { chmod, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { execa } from 'execa';

export interface Unwritable {
  /** The errno the kernel gives a writer now: what pc-verify will see. */
  readonly errno: 'EPERM' | 'EACCES';
  restore(): Promise<void>;
}

/**
 * Makes `file` impossible to replace by the kernel's own rules, not a mocked fs: root ignores
 * file modes, so as root the file is made immutable (`chattr +i`: rename over it fails with
 * EPERM, for root too); as another user its directory loses write access (creating the temp file
 * beside it fails with EACCES). Either is what a deployment with wrong permissions produces.
 */
export async function makeUnreplaceable(file: string): Promise<Unwritable> {
  if (process.getuid?.() === 0) {
    await execa('chattr', ['+i', file], { timeout: 10_000 });
    return {
      errno: 'EPERM',
      restore: async () => void (await execa('chattr', ['-i', file], { timeout: 10_000 })),
    };
  }
  const dir = dirname(file);
  const mode = (await stat(dir)).mode & 0o7777;
  await chmod(dir, mode & ~0o222);
  return { errno: 'EACCES', restore: () => chmod(dir, mode) };
}
