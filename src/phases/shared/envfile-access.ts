import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { type CheckOutcome, fail } from '../../domain/check.ts';

/** What the OS says when this process may not touch a file: the machine's problem, not Hunter's. */
const DENIED: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
};

/**
 * Reads or writes the env file; a refusal by the OS becomes a failing check that says it is a
 * permissions problem, names the file and says what to fix. Any other error is thrown on (a bug).
 */
export async function withEnvFileAccess<T>(
  path: string,
  action: 'read' | 'write',
  body: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; outcome: CheckOutcome }> {
  try {
    return { ok: true, value: await body() };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    const words = code === undefined ? undefined : DENIED[code];
    if (words === undefined) throw error;
    return { ok: false, outcome: deniedOutcome(path, action, `${code}: ${words}`) };
  }
}

function deniedOutcome(path: string, action: 'read' | 'write', why: string): CheckOutcome {
  const dir = dirname(path);
  const who = runningAs();
  if (action === 'read') {
    return fail(
      `pc-verify could not read the env file ${path} (${why})`,
      `This is a permissions problem on the machine pc-verify runs on, not a Hunter problem: ${who} may not read ${path}. ` +
        'Give that user read access to it, then try again.',
    );
  }
  return fail(
    `pc-verify could not write the env file ${path} (${why}); the file was left as it was, so the flag did not change`,
    `This is a permissions problem on the machine pc-verify runs on, not a Hunter problem: ${who} may not replace ${path}. ` +
      `pc-verify writes a temporary file in ${dir} and renames it over the env file, so that user needs write access to ${dir}, ` +
      `and the file must not be immutable (\`lsattr ${path}\`; \`chattr -i\` clears it) nor on a read-only mount. ` +
      'Fix that, then try again; until then change the flag in the env file by hand if it cannot wait.',
  );
}

function runningAs(): string {
  try {
    const me = userInfo();
    return `the user pc-verify runs as (${me.username}, uid ${me.uid})`;
  } catch {
    return 'the user pc-verify runs as';
  }
}
