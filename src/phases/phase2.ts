import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { DeviceCodeHandoff, Login, LoginParams } from '../auth/login.ts';
import { loginParamsFor } from '../auth/params.ts';
import { type CheckOutcome, fail, pass } from '../domain/check.ts';
import type { PhaseResult } from '../domain/phase.ts';
import { parseEnvFile } from '../hunter/envfile.ts';
import { openedStdinAsFile, STDIN_TO_FILE_SCRIPT } from '../hunter/stdin-to-file.ts';
import { type Translate, translator } from '../i18n/index.ts';
import { CACHE_INSTALLED, DEVICE_CODE, SILENT } from './checks.ts';
import { hintOf, type PhaseContext, startPhase, words } from './context.ts';
import { withEnvFileAccess } from './shared/envfile-access.ts';
import { commandFailed } from './shared/output.ts';

export interface Phase2Deps {
  readonly login: Login;
  /** Where the device code goes: the terminal or the requester's DM — nowhere else. */
  readonly handoff: (handoff: DeviceCodeHandoff) => Promise<void> | void;
  readonly dispatcher?: Dispatcher;
  /**
   * Stage the new cache as `.token_cache.pending` instead of replacing `.token_cache`: a run that
   * must be approved before it changes the environment (the identity Hunter acts as included).
   */
  readonly stage?: boolean;
  /** Just before a cache is staged: who must remove it if the run never gets its approval. */
  readonly onStaging?: () => Promise<void>;
  /** Who signed in, as soon as it is known (before anything is installed): the thread and the audit trail. */
  readonly onSignedIn?: (account: SignedInAccount, allowed: boolean) => Promise<void> | void;
}

export interface SignedInAccount {
  readonly username: string;
  readonly objectId: string;
}

interface SignedIn {
  params: LoginParams;
  cache: string;
  homeAccountId: string;
}

/**
 * Phase 2 — "log in once, then it runs silently". The bot holds the token cache only while
 * this phase runs: it is written into Hunter and then dropped with this closure.
 */
export function makePhase2Runner(deps: Phase2Deps) {
  return async function runPhase2(ctx: PhaseContext): Promise<PhaseResult> {
    const phase = startPhase(ctx, 2);
    await phase.start();
    let signedIn: SignedIn | undefined;
    const login = await phase.check(DEVICE_CODE, async () => {
      const result = await signIn(ctx, deps);
      signedIn = result.signedIn;
      return result.outcome;
    });
    const installed = await phase.check(
      CACHE_INSTALLED,
      () =>
        deps.stage ? stageCache(ctx, signedIn!.cache, deps.onStaging) : installCache(ctx, signedIn!.cache),
      [login],
    );
    await phase.check(SILENT, () => checkSilent(ctx, deps.login, signedIn!), [installed]);
    signedIn = undefined;
    return phase.finish();
  };
}

async function signIn(
  ctx: PhaseContext,
  deps: Phase2Deps,
): Promise<{ outcome: CheckOutcome; signedIn?: SignedIn }> {
  const { envFile: store } = ctx.target;
  const text = await withEnvFileAccess(store.path, 'read', () => store.read(), words(ctx));
  if (!text.ok) return { outcome: text.outcome };
  const envFile = parseEnvFile(text.value);
  const built = loginParamsFor(ctx.env, envFile.ok ? envFile.entries : new Map(), deps.dispatcher);
  if (!built.ok) return { outcome: fail(built.problem, hintOf(ctx, DEVICE_CODE)) };
  const outcome = await deps.login.deviceCode(
    built.params,
    async (handoff) => {
      await deps.handoff(handoff);
      await ctx.observer({ kind: 'login_handed_off', expiresAt: handoff.expiresAt });
    },
    ctx.signal,
  );
  if (outcome.kind !== 'success')
    return { outcome: fail(`${outcome.kind}: ${outcome.detail}`, outcome.hint) };
  const account = { username: outcome.username, objectId: outcome.objectId };
  const allowed = isAllowed(ctx.env.auth.allowedAccounts, account);
  await deps.onSignedIn?.(account, allowed);
  const t = words(ctx);
  const who = describeAccount(account, t);
  if (!allowed) {
    return {
      outcome: fail(
        t('checks.login.notAllowed', { account: who, env: ctx.env.name }),
        t('checks.login.notAllowedHint', { allowed: ctx.env.auth.allowedAccounts.join(', ') }),
      ),
    };
  }
  return {
    outcome: pass(t('checks.login.signedIn', { account: who })),
    signedIn: { params: built.params, cache: outcome.cache, homeAccountId: outcome.homeAccountId },
  };
}

/** "ops.engineer@contoso.example (object id 8d1…)": in full, so two accounts are never confused. */
export function describeAccount(account: SignedInAccount, t: Translate = translator('en')): string {
  return t('checks.login.account', { username: account.username, objectId: account.objectId });
}

/** Empty: any account. Otherwise the UPN (any case) or the object id must be listed. */
function isAllowed(allowed: readonly string[], account: SignedInAccount): boolean {
  if (allowed.length === 0) return true;
  const upn = account.username.toLowerCase();
  const oid = account.objectId.toLowerCase();
  return allowed.some((a) => a.toLowerCase() === upn || a.toLowerCase() === oid);
}

/** The cache goes in on stdin (never a command line, never a temp file) and is read back by digest. */
export async function installCache(ctx: PhaseContext, cache: string): Promise<CheckOutcome> {
  const { commands } = ctx.target;
  const t = words(ctx);
  const usual = hintOf(ctx, CACHE_INSTALLED);
  const installed = await commands.run({ kind: 'installTokenCache' }, { signal: ctx.signal, stdin: cache });
  if (!installed.ok) {
    const socket = openedStdinAsFile(installed.stderr);
    return commandFailed(
      installed,
      socket ? t('checks.login.stdinIsASocket', { script: STDIN_TO_FILE_SCRIPT }) : usual,
      ctx,
      5,
    );
  }
  const digest = await commands.run({ kind: 'tokenCacheDigest' }, { signal: ctx.signal });
  if (!digest.ok) return commandFailed(digest, usual, ctx, 5);
  const expected = createHash('sha256').update(cache).digest('hex');
  const seen = digest.stdout.trim().split(/\s+/)[0] ?? '';
  if (seen !== expected)
    return fail(t('checks.login.digestDiffers', { file: '.token_cache', digest: seen.slice(0, 12) }), usual);
  return pass(t('checks.login.written', { bytes: cache.length, digest: expected.slice(0, 12) }));
}

/**
 * The cache of a run that still needs its approval goes beside the live one, never over it:
 * Hunter keeps acting as the approved identity whatever happens to this run (a reject, an expiry,
 * a cancel, a crashed worker), and the staged file becomes live only through the approved run's
 * rename (staged-cache.ts in runs). Its full digest is in the observed text: the approval's
 * evidence covers it, and the rename is checked against it.
 */
async function stageCache(
  ctx: PhaseContext,
  cache: string,
  onStaging: Phase2Deps['onStaging'],
): Promise<CheckOutcome> {
  const { commands } = ctx.target;
  const t = words(ctx);
  const usual = hintOf(ctx, CACHE_INSTALLED);
  // Recorded before the file exists, so a worker that dies right after writing it leaves a trace.
  await onStaging?.();
  const staged = await commands.run({ kind: 'stageTokenCache' }, { signal: ctx.signal, stdin: cache });
  if (!staged.ok) return commandFailed(staged, usual, ctx, 5);
  const digest = await commands.run({ kind: 'stagedTokenCacheDigest' }, { signal: ctx.signal });
  if (!digest.ok) return commandFailed(digest, usual, ctx, 5);
  const expected = createHash('sha256').update(cache).digest('hex');
  const seen = digest.stdout.trim().split(/\s+/)[0] ?? '';
  if (seen !== expected)
    return fail(t('checks.login.digestDiffers', { file: STAGED_FILE, digest: seen.slice(0, 12) }), usual);
  return pass(t('checks.login.staged', { digest: expected }));
}

/**
 * What the staged check's observed text starts with, in every language: the file's name (the
 * words after it are the deployment's). staged-cache.ts reads the full digest back from it.
 */
export const STAGED_WORDS = '.token_cache.pending ';
const STAGED_FILE = '.token_cache.pending';

async function checkSilent(ctx: PhaseContext, login: Login, signedIn: SignedIn): Promise<CheckOutcome> {
  const result = await login.silent(signedIn.params, signedIn.cache, signedIn.homeAccountId, ctx.signal);
  return result.ok ? pass(words(ctx)('checks.login.silentWorks')) : fail(result.detail, result.hint);
}
