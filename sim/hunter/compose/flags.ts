/** Command-line flags the way cobra (compose's parser) reads them, with its error messages. */

export interface FlagDef {
  readonly long: string;
  readonly short?: string;
  /** Takes a value (`--since X`, `--since=X`, `-pX`). */
  readonly value?: boolean;
}

export type Flags = ReadonlyMap<string, readonly string[]>;

export type ParsedFlags =
  | { readonly ok: true; readonly flags: Flags; readonly args: readonly string[] }
  | { readonly ok: false; readonly error: string };

/**
 * `interspersed: false` stops at the first positional argument (compose's root command and
 * `exec`, whose command line belongs to the container).
 */
export function parseFlags(
  argv: readonly string[],
  defs: readonly FlagDef[],
  interspersed: boolean,
): ParsedFlags {
  const flags = new Map<string, string[]>();
  const args: string[] = [];
  const add = (def: FlagDef, value: string) => flags.set(def.long, [...(flags.get(def.long) ?? []), value]);
  for (let i = 0; i < argv.length; i++) {
    const item = argv[i]!;
    if (item === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!item.startsWith('-') || item === '-') {
      if (!interspersed) {
        args.push(...argv.slice(i));
        break;
      }
      args.push(item);
      continue;
    }
    if (item.startsWith('--')) {
      const [name, inline] = splitOnce(item.slice(2));
      const def = defs.find((d) => d.long === name);
      if (!def) return { ok: false, error: `unknown flag: --${name}` };
      if (!def.value) {
        add(def, inline ?? 'true');
        continue;
      }
      const value = inline ?? argv[++i];
      if (value === undefined) return { ok: false, error: `flag needs an argument: --${name}` };
      add(def, value);
      continue;
    }
    // Shorthand group: -dT, -p NAME, -pNAME.
    for (let j = 1; j < item.length; j++) {
      const short = item[j]!;
      const def = defs.find((d) => d.short === short);
      if (!def) return { ok: false, error: `unknown shorthand flag: '${short}' in ${item}` };
      if (!def.value) {
        add(def, 'true');
        continue;
      }
      const rest = item.slice(j + 1).replace(/^=/, '');
      const value = rest !== '' ? rest : argv[++i];
      if (value === undefined) return { ok: false, error: `flag needs an argument: '${short}' in -${short}` };
      add(def, value);
      break;
    }
  }
  return { ok: true, flags, args };
}

function splitOnce(text: string): [string, string | undefined] {
  const at = text.indexOf('=');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

export function lastValue(flags: Flags, long: string): string | undefined {
  return flags.get(long)?.at(-1);
}

export function has(flags: Flags, long: string): boolean {
  return flags.has(long);
}
