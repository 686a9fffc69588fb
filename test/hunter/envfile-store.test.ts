import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEnvFileStore } from '../../src/hunter/envfile-store.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcv-envstore-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function envFile(text: string, mode: number, name = '.env'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  await chmod(path, mode);
  return path;
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o7777;

describe('createEnvFileStore', () => {
  it('reads the file as text', async () => {
    const store = createEnvFileStore(await envFile('A=1\n', 0o600));
    expect(await store.read()).toBe('A=1\n');
  });

  it('replaces the file keeping its mode, and keeps the previous text as a backup with the same mode', async () => {
    const path = await envFile('FLAG=true\n', 0o640);
    await createEnvFileStore(path).write('FLAG=false\n');
    expect(await readFile(path, 'utf8')).toBe('FLAG=false\n');
    expect(await modeOf(path)).toBe(0o640);
    expect(await readFile(`${path}.pcv-backup`, 'utf8')).toBe('FLAG=true\n');
    expect(await modeOf(`${path}.pcv-backup`)).toBe(0o640);
    expect((await readdir(dir)).sort()).toEqual(['.env', '.env.pcv-backup']);
  });

  it('keeps a mode wider than the umask would allow', async () => {
    const path = await envFile('A=1\n', 0o664);
    await createEnvFileStore(path).write('A=2\n');
    expect(await modeOf(path)).toBe(0o664);
  });

  it('overwrites the backup with the text before each write', async () => {
    const path = await envFile('v=1\n', 0o600);
    const store = createEnvFileStore(path);
    await store.write('v=2\n');
    await store.write('v=3\n');
    expect(await readFile(`${path}.pcv-backup`, 'utf8')).toBe('v=2\n');
    expect(await readFile(path, 'utf8')).toBe('v=3\n');
  });

  it('leaves the file untouched and no temp file behind when the replace fails', async () => {
    const path = await envFile('FLAG=true\n', 0o640);
    const store = createEnvFileStore(path, {
      rename: async () => {
        throw Object.assign(new Error('EXDEV: simulated'), { code: 'EXDEV' });
      },
    });
    await expect(store.write('FLAG=false\n')).rejects.toThrow('simulated');
    expect(await readFile(path, 'utf8')).toBe('FLAG=true\n');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it.runIf(process.getuid?.() === 0)('keeps the owner and group when running as root', async () => {
    const path = await envFile('A=1\n', 0o640);
    await chown(path, 1234, 2345);
    await createEnvFileStore(path).write('A=2\n');
    const after = await stat(path);
    expect([after.uid, after.gid]).toEqual([1234, 2345]);
    const backup = await stat(`${path}.pcv-backup`);
    expect([backup.uid, backup.gid]).toEqual([1234, 2345]);
  });

  it('writes through a symlink to the file it points to, leaving the link in place', async () => {
    await mkdir(join(dir, 'envs'));
    const real = await envFile('FLAG=true\n', 0o640, 'envs/staging.env');
    const link = join(dir, '.env');
    await symlink('envs/staging.env', link);
    const store = createEnvFileStore(link);
    await store.write('FLAG=false\n');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe('FLAG=false\n');
    expect(await modeOf(real)).toBe(0o640);
    expect(await readFile(`${real}.pcv-backup`, 'utf8')).toBe('FLAG=true\n');
    expect(await store.read()).toBe('FLAG=false\n');
  });

  it('refuses a symlink to a missing file instead of replacing the link', async () => {
    const link = join(dir, '.env');
    await symlink('nowhere.env', link);
    await expect(createEnvFileStore(link).write('A=1\n')).rejects.toThrow(
      /symbolic link to a file that does not exist/,
    );
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readdir(dir)).toEqual(['.env']);
  });

  it('creates a missing file private (0600) with no backup', async () => {
    const path = join(dir, '.env');
    await createEnvFileStore(path).write('A=1\n');
    expect(await readFile(path, 'utf8')).toBe('A=1\n');
    expect(await modeOf(path)).toBe(0o600);
    expect(await readdir(dir)).toEqual(['.env']);
  });

  it('keeps the exact bytes, including CRLF and a BOM', async () => {
    const path = await envFile('x', 0o600);
    const text = '\uFEFFA=1\r\nB="é ✓"\r\n';
    await createEnvFileStore(path).write(text);
    expect(await readFile(path, 'utf8')).toBe(text);
  });
});
