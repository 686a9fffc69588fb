import type { RunRecord } from '../domain/run.ts';
import { coded, message } from '../i18n/index.ts';
import { CACHE_INSTALLED } from '../phases/checks.ts';
import type { PhaseContext } from '../phases/context.ts';
import { STAGED_WORDS } from '../phases/phase2.ts';

/**
 * The approved run's sign-in goes live here, at the start of its Phase 3. Phase 2 of a run that
 * needs an approval staged the new cache beside the live one (`.token_cache.pending`), so nothing
 * has to be restored when the run ends any other way: `.token_cache` — the identity Hunter acts
 * as — was never touched. Why not copy the old cache aside and restore it: the restore would have
 * to happen on every unhappy end (a reject in the web process, an expiry in the reaper, a crash
 * in between), each a chance to leave the stranger's identity live; and the bot would hold, or
 * have to fetch, the previous refresh token. Here the refresh tokens stay in the api container,
 * and the only change to the live cache is one rename after the approval.
 */

/** The staged cache's full digest, as Phase 2 recorded it (and the approval's evidence covered it). */
export function stagedDigestOf(run: Pick<RunRecord, 'phases'>): string | undefined {
  const check = run.phases
    .find((p) => p.phase === 2)
    ?.checks.find((c) => c.id === CACHE_INSTALLED.id && c.status === 'pass');
  if (!check?.observed.startsWith(STAGED_WORDS)) return undefined;
  return /sha256 ([0-9a-f]{64})/.exec(check.observed)?.[1];
}

/** `why` is coded (src/i18n/coded.ts): worded where it is shown, a command's message escaped there. */
export type Promotion =
  | { readonly ok: true; readonly already: boolean }
  | { readonly ok: false; readonly why: string };

/**
 * Renames the staged cache over the live one, once: a Phase 3 resumed after a crash finds the
 * live cache already the approved one and does nothing. The staged file must be the one the
 * approver was shown (by digest), and so must the live file afterwards.
 */
export async function promoteStagedCache(ctx: PhaseContext, digest: string): Promise<Promotion> {
  const run = (kind: 'tokenCacheDigest' | 'stagedTokenCacheDigest' | 'promoteTokenCache') =>
    ctx.target.commands.run({ kind }, { signal: ctx.signal });
  const firstWord = (text: string) => text.trim().split(/\s+/)[0] ?? '';
  const live = await run('tokenCacheDigest');
  if (live.ok && firstWord(live.stdout) === digest) return { ok: true, already: true };
  const staged = await run('stagedTokenCacheDigest');
  const refused = (key: 'gone' | 'differs' | 'notMoved' | 'notReadBack', said?: string) => ({
    ok: false as const,
    why: coded(
      message(`thread.note.staged.${key}`, said === undefined ? undefined : { quoted: ctx.redact(said) }),
    ),
  });
  if (!staged.ok) return refused('gone', staged.message);
  if (firstWord(staged.stdout) !== digest) return refused('differs');
  const moved = await run('promoteTokenCache');
  if (!moved.ok) return refused('notMoved', moved.message);
  const after = await run('tokenCacheDigest');
  if (!after.ok || firstWord(after.stdout) !== digest) return refused('notReadBack');
  return { ok: true, already: false };
}
