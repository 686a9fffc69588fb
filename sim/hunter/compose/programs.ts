import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { currentRevision, upgradeHead } from '../migration.ts';
import { containerPath, garble, TOKEN_CACHE_PATH } from '../token-cache.ts';
import { type CommandReply, reply } from '../types.ts';
import type { Process } from './exec.ts';
import { type FlagDef, lastValue, parseFlags } from './flags.ts';

export { celery } from './celery-cli.ts';

/** `printenv [NAME…]`. */
export function printenv(proc: Process): CommandReply {
  if (proc.args.length === 0) {
    return reply(
      0,
      Object.entries(proc.env)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
  }
  const found = proc.args.filter((name) => Object.hasOwn(proc.env, name));
  return reply(
    found.length === proc.args.length ? 0 : 1,
    found.map((name) => `${proc.env[name]}\n`).join(''),
  );
}

/** `alembic upgrade head` and `alembic current`, against the real database. */
export function alembic(proc: Process): Promise<CommandReply> | CommandReply {
  const { project, call } = proc.inv;
  const [command, target] = proc.args;
  if (command === 'upgrade' && (target === 'head' || target === 'heads')) {
    return upgradeHead(project.databaseUrl, project.faults(), call.signal);
  }
  if (command === 'current' && target === undefined) return currentRevision(project.databaseUrl, call.signal);
  if (command === undefined) {
    return reply(
      2,
      '',
      'usage: alembic [-h] [--version] [-c CONFIG] [-n NAME] [-x X] [--raiseerr] [-q]\nalembic: error: too few arguments\n',
    );
  }
  return reply(1, '', `hunter-sim: \`alembic ${proc.args.join(' ')}\` is not simulated\n`);
}

const INSTALL_FLAGS: readonly FlagDef[] = [
  { long: 'mode', short: 'm', value: true },
  { long: 'owner', short: 'o', value: true },
  { long: 'group', short: 'g', value: true },
  { long: 'compare', short: 'C' },
  { long: 'verbose', short: 'v' },
  { long: 'preserve-timestamps', short: 'p' },
  { long: 'no-target-directory', short: 'T' },
  { long: 'copy', short: 'c' },
  { long: 'create-leading', short: 'D' },
];

/** `install [-m MODE] SOURCE DEST` (GNU coreutils); `/dev/stdin` streams what the stand-in got. */
export async function install(proc: Process): Promise<CommandReply> {
  const parsed = parseFlags(proc.args, INSTALL_FLAGS, true);
  if (!parsed.ok)
    return reply(1, '', `install: ${parsed.error}\nTry 'install --help' for more information.\n`);
  const modeText = lastValue(parsed.flags, 'mode') ?? '755';
  if (!/^[0-7]{1,4}$/.test(modeText)) return reply(1, '', `install: invalid mode \u2018${modeText}\u2019\n`);
  const [source, dest, extra] = parsed.args;
  if (source === undefined)
    return reply(1, '', "install: missing file operand\nTry 'install --help' for more information.\n");
  if (dest === undefined) {
    return reply(
      1,
      '',
      `install: missing destination file operand after '${source}'\nTry 'install --help' for more information.\n`,
    );
  }
  if (extra !== undefined) return reply(1, '', 'hunter-sim: `install` into a directory is not simulated\n');
  const { volume } = proc.inv.project;
  let content: Buffer;
  if (source === '/dev/stdin') {
    content = await readAll(proc.inv.call.stdin, proc.inv.call.signal);
  } else {
    const file = volume.read(containerPath(source, proc.workdir));
    if (!file) return reply(1, '', `install: cannot stat '${source}': No such file or directory\n`);
    content = file.content;
  }
  return writeInContainer(proc, dest, content, Number.parseInt(modeText, 8));
}

/** A file written by a program in the container; the token-cache faults act on `.token_cache`. */
export function writeInContainer(proc: Process, path: string, content: Buffer, mode: number): CommandReply {
  const { volume, faults } = proc.inv.project;
  const target = containerPath(path, proc.workdir);
  const cacheFault = target === TOKEN_CACHE_PATH ? faults().tokenCache : 'ok';
  if (cacheFault === 'missing') return reply(0);
  volume.write(target, cacheFault === 'corrupt' ? garble(content) : content, mode);
  return reply(0);
}

/** `mv [-f] SOURCE DEST` within the shared volume (a rename: atomic, the mode kept). */
export function mv(proc: Process): CommandReply {
  const args = proc.args.filter((a) => a !== '-f');
  const [source, dest, extra] = args;
  if (
    source === undefined ||
    dest === undefined ||
    extra !== undefined ||
    args.some((a) => a.startsWith('-'))
  )
    return reply(1, '', 'hunter-sim: only `mv [-f] SOURCE DEST` is simulated\n');
  const moved = proc.inv.project.volume.rename(
    containerPath(source, proc.workdir),
    containerPath(dest, proc.workdir),
  );
  return moved ? reply(0) : reply(1, '', `mv: cannot stat '${source}': No such file or directory\n`);
}

/** `rm [-f] [--] FILE…` within the shared volume; `-f`: a missing file is no error. */
export function rm(proc: Process): CommandReply {
  const dashes = proc.args.indexOf('--');
  const flags = dashes < 0 ? proc.args.filter((a) => a.startsWith('-')) : proc.args.slice(0, dashes);
  const names = dashes < 0 ? proc.args.filter((a) => !a.startsWith('-')) : proc.args.slice(dashes + 1);
  if (flags.some((f) => f !== '-f') || names.length === 0)
    return reply(1, '', 'hunter-sim: only `rm [-f] [--] FILE…` is simulated\n');
  let err = '';
  for (const name of names) {
    const removed = proc.inv.project.volume.remove(containerPath(name, proc.workdir));
    if (!removed && !flags.includes('-f')) err += `rm: cannot remove '${name}': No such file or directory\n`;
  }
  return reply(err === '' ? 0 : 1, '', err);
}

/** `sha256sum FILE…` (or stdin when none). */
export async function sha256sum(proc: Process): Promise<CommandReply> {
  const hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');
  if (proc.args.length === 0) {
    return reply(0, `${hex(await readAll(proc.inv.call.stdin, proc.inv.call.signal))}  -\n`);
  }
  let out = '';
  let err = '';
  for (const name of proc.args) {
    const file = proc.inv.project.volume.read(containerPath(name, proc.workdir));
    if (file) out += `${hex(file.content)}  ${name}\n`;
    else err += `sha256sum: ${name}: No such file or directory\n`;
  }
  return reply(err === '' ? 0 : 1, out, err);
}

const STDIN_CAP = 16 * 1024 * 1024;

/** All of the stand-in's stdin (bounded; stops when the caller goes away). */
export async function readAll(stream: Readable, signal: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    if (signal.aborted) break;
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > STDIN_CAP) throw new Error('stdin larger than the simulator accepts');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
