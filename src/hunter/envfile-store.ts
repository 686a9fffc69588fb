import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { EnvFileStore } from './port.ts';

export interface EnvFileStoreOptions {
  /** Replaces the temp file over the target; a seam for tests. Default: `fs.rename`. */
  readonly rename?: (from: string, to: string) => Promise<void>;
}

/** Mode of an env file that did not exist yet: it holds secrets. */
const NEW_FILE_MODE = 0o600;

/**
 * The env file on disk. `write` never leaves a half-written file: it writes a temp file beside
 * the target (same mode, same owner when running as root), syncs it and renames it over the
 * target. The previous text is kept as `<name>.pcv-backup` beside it (overwritten each time).
 *
 * A symlinked env file (e.g. `.env -> envs/staging.env`) is written through: the link stays a
 * link and the file it points to is replaced, with its backup beside that file. Replacing the
 * link itself would silently detach the deployment from the file it is managed by.
 */
export function createEnvFileStore(path: string, options: EnvFileStoreOptions = {}): EnvFileStore {
  const replace = options.rename ?? rename;
  return {
    path,
    read: () => readFile(path, 'utf8'),
    async write(text) {
      const target = await resolveTarget(path);
      const current = await statIfExists(target);
      if (current !== undefined) {
        const previous = await readFile(target);
        await writeAtomically(`${target}.pcv-backup`, previous, current, rename);
      }
      await writeAtomically(target, text, current, replace);
    },
  };
}

async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  // A link to nothing: writing would replace the link with a file, which is not what its owner meant.
  const link = await lstat(path).catch(() => undefined);
  if (link?.isSymbolicLink())
    throw new Error(`${path} is a symbolic link to a file that does not exist; fix the link first`);
  return path;
}

async function statIfExists(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function writeAtomically(
  target: string,
  data: string | Uint8Array,
  like: Stats | undefined,
  replace: (from: string, to: string) => Promise<void>,
): Promise<void> {
  const mode = like === undefined ? NEW_FILE_MODE : like.mode & 0o7777;
  const temp = join(dirname(target), `.${basename(target)}.pcv-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    try {
      // The umask may have narrowed the mode given to open().
      await handle.chmod(mode);
      if (like !== undefined && process.getuid?.() === 0) await handle.chown(like.uid, like.gid);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await replace(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(target));
}

/** Makes the rename itself durable; not every filesystem allows opening a directory. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: the data is already synced and renamed.
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
