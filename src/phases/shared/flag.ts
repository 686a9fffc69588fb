import { FLAG_VAR } from '../../config/expect.ts';
import { type CheckOutcome, fail, pass } from '../../domain/check.ts';
import { setEnvVar } from '../../hunter/envfile.ts';
import type { ApplyDecision } from '../../hunter/port.ts';
import type { Translate } from '../../i18n/index.ts';
import { pollWithBackoff } from '../../util/backoff.ts';
import { type PhaseContext, say, words } from '../context.ts';
import { type Disagreement, deathSince, disagreement } from './apply-watch.ts';
import { withEnvFileAccess } from './envfile-access.ts';
import { commandFailed } from './output.ts';

/**
 * `flag.off` / `flag.on`: write the flag into the env file (atomic, backup kept), restart or
 * recreate api and worker (`apply: auto` decides before the write, from the containers), wait
 * until /healthz answers again — a container that dies meanwhile fails it at once — and check
 * that both containers and /healthz agree with the file.
 */
export async function setFlagAndApply(ctx: PhaseContext, enabled: boolean): Promise<CheckOutcome> {
  const { target } = ctx;
  const t = words(ctx);
  const { path } = target.envFile;
  const value = enabled ? 'true' : 'false';
  const current = await withEnvFileAccess(path, 'read', () => target.envFile.read(), t);
  if (!current.ok) return current.outcome;
  const edited = setEnvVar(current.value, FLAG_VAR, value);
  if (!edited.ok)
    return fail(
      t('checks.flag.cannotEdit', { path, problem: edited.problem }),
      t('checks.flag.cannotEditHint', { path }),
    );
  // Decided before the file is touched, so a deployment that cannot be looked at is left as it was.
  const decided = target.containers ? await target.containers.applyMode(ctx.signal) : undefined;
  if (decided && !decided.ok)
    return fail(t('checks.flag.cannotLook', { message: decided.message }), decided.hint);
  // Recorded before the file is touched: a crash after this line leaves an intent to reconcile.
  if (!(await ctx.flag.intend(enabled))) return fail(t('checks.flag.notHeld'), t('checks.flag.notHeldHint'));
  if (edited.changed) {
    const written = await withEnvFileAccess(path, 'write', () => target.envFile.write(edited.text), t);
    if (!written.ok) return written.outcome;
  }
  const assignment = `${FLAG_VAR}=${value}`;
  await ctx.observer({
    kind: 'flag_changed',
    enabled,
    why: edited.changed
      ? t('checks.flag.writtenToFile', { assignment })
      : t('checks.flag.wasAlready', { name: FLAG_VAR, value }),
  });
  const wrote = edited.changed
    ? t('checks.flag.written', { assignment })
    : t('checks.flag.already', { name: FLAG_VAR, value });
  return applyAndVerify(ctx, enabled, wrote, decided?.value);
}

/** Restart or recreate, wait for /healthz (watching the containers), then check they all agree. */
async function applyAndVerify(
  ctx: PhaseContext,
  enabled: boolean,
  wrote: string,
  decided: ApplyDecision | undefined,
): Promise<CheckOutcome> {
  const mode = decided?.mode;
  const t = words(ctx);
  const applied = await ctx.target.commands.run({ kind: 'apply' }, { signal: ctx.signal });
  if (!applied.ok) return commandFailed(applied, t('checks.flag.applyHint', { ...say(ctx) }), ctx);
  const how = t(mode === 'recreate' ? 'checks.flag.recreated' : 'checks.flag.restarted');
  const auto = ctx.env.driver.kind === 'compose' && ctx.env.driver.apply === 'auto';
  const why = decided && auto ? ` (${autoWhy(decided, t)})` : '';
  const took = fmtSeconds(applied.ms, t);
  const ready = await waitUntilHealthAnswers(ctx);
  if (!ready.ok) {
    if (ready.died)
      return fail(t('checks.flag.but', { wrote, how, why, observed: ready.died.observed }), ready.died.hint);
    const limit = fmtSeconds(ctx.env.api.readyTimeout, t);
    return fail(
      t('checks.flag.noHealth', { wrote, how, took, limit, last: ready.last }),
      t('checks.flag.noHealthHint', { ...say(ctx) }),
    );
  }
  const differs = await disagreement(ctx, enabled, mode, ready.value);
  if (differs)
    return fail(t('checks.flag.but', { wrote, how, why, observed: differs.observed }), differs.hint);
  return pass(t('checks.flag.applied', { wrote, how, took, why, count: ready.attempts }));
}

const WATCH_EVERY_MS = 1_000;

type Ready =
  | { readonly ok: true; readonly value: string; readonly attempts: number }
  | { readonly ok: false; readonly last: string; readonly died?: Disagreement };

/** Polls /healthz; between polls, asks the daemon whether api and worker are still up. */
async function waitUntilHealthAnswers(ctx: PhaseContext): Promise<Ready> {
  const { containers } = ctx.target;
  const baseline = containers ? await containers.states(ctx.signal) : undefined;
  let died: Disagreement | undefined;
  let lastWatch = Number.NEGATIVE_INFINITY;
  const polled = await pollWithBackoff<string | undefined>(
    async (remainingMs) => {
      const res = await ctx.target.http.request({
        method: 'GET',
        path: '/healthz',
        signal: ctx.signal,
        timeoutMs: Math.max(1, Math.min(ctx.env.api.requestTimeout, remainingMs)),
      });
      if (res.ok && res.status === 200) return { done: true, value: res.body };
      // The daemon is asked at most once a second: enough to see a death within seconds, and
      // twenty environments waiting at once do not flood it.
      const now = ctx.target.clock.now().getTime();
      if (containers && baseline?.ok && now - lastWatch >= WATCH_EVERY_MS) {
        lastWatch = now;
        died = await deathSince(ctx, containers, baseline.value);
        if (died) return { done: true, value: undefined };
      }
      return { done: false, last: res.ok ? `HTTP ${res.status}` : res.message };
    },
    // /healthz is cheap (a refused connection, or a tiny JSON): poll it every 100 ms, so a run
    // learns the api is back within a tenth of a second instead of overshooting the restart.
    {
      clock: ctx.target.clock,
      signal: ctx.signal,
      timeoutMs: ctx.env.api.readyTimeout,
      initialDelayMs: 100,
      maxDelayMs: 100,
    },
  );
  if (died) return { ok: false, last: died.observed, died };
  if (!polled.ok) return polled;
  return { ok: true, value: polled.value ?? '', attempts: polled.attempts };
}

/** Why `apply: auto` chose as it did, in the run's words: which containers hold the flag fixed. */
function autoWhy(decided: ApplyDecision, t: Translate): string {
  if (decided.fixed === undefined) return decided.why;
  const list = (names: readonly string[]) =>
    new Intl.ListFormat(t.language, { type: 'conjunction' }).format(names);
  if (decided.fixed.length === 0 && decided.fromFile?.length)
    return t('checks.flag.autoRecreateFile', { names: list(decided.fromFile) });
  if (decided.fixed.length === 0) return t('checks.flag.autoRestart', { name: FLAG_VAR });
  return t('checks.flag.autoRecreate', { name: FLAG_VAR, names: list(decided.fixed) });
}

export function fmtSeconds(ms: number, t: Translate): string {
  return t('checks.flag.seconds', { seconds: (ms / 1000).toFixed(1) });
}
