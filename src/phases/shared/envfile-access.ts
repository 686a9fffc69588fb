import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { type CheckOutcome, fail } from '../../domain/check.ts';
import type { Translate } from '../../i18n/index.ts';

/** What the OS says when this process may not touch a file: the machine's problem, not Hunter's. */
const DENIED = ['EACCES', 'EPERM', 'EROFS'] as const;
type Denied = (typeof DENIED)[number];

/**
 * Reads or writes the env file; a refusal by the OS becomes a failing check that says it is a
 * permissions problem, names the file and says what to fix, and a file (or directory) that is
 * not there one that says so: pc-verify edits the deployment's file, it never invents one. Any
 * other error is thrown on (a bug).
 */
export async function withEnvFileAccess<T>(
  path: string,
  action: 'read' | 'write',
  body: () => Promise<T>,
  t: Translate,
): Promise<{ ok: true; value: T } | { ok: false; outcome: CheckOutcome }> {
  try {
    return { ok: true, value: await body() };
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException | null)?.code;
    if (errno === 'ENOENT') return { ok: false, outcome: missingOutcome(path, action, t) };
    const code = DENIED.find((c) => c === errno);
    if (code === undefined) throw error;
    return { ok: false, outcome: deniedOutcome(path, action, code, t) };
  }
}

function missingOutcome(path: string, action: 'read' | 'write', t: Translate): CheckOutcome {
  const observed =
    action === 'read'
      ? t('checks.envFile.missing', { path })
      : t('checks.envFile.missingOnWrite', { path, dir: dirname(path) });
  return fail(observed, t('checks.envFile.missingHint', { path }));
}

function deniedOutcome(path: string, action: 'read' | 'write', code: Denied, t: Translate): CheckOutcome {
  const why = `${code}: ${t(`checks.envFile.${code}`)}`;
  const who = runningAs(t);
  if (action === 'read')
    return fail(
      t('checks.envFile.readDenied', { path, why }),
      t('checks.envFile.readDeniedHint', { who, path }),
    );
  return fail(
    t('checks.envFile.writeDenied', { path, why }),
    t('checks.envFile.writeDeniedHint', { who, path, dir: dirname(path) }),
  );
}

function runningAs(t: Translate): string {
  try {
    const me = userInfo();
    return t('checks.envFile.runningAs', { name: me.username, uid: me.uid });
  } catch {
    return t('checks.envFile.runningAsUnknown');
  }
}
