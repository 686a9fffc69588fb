import type { WatchCauseKind, WatchState } from '../../domain/watch.ts';
import type { WatchChange } from '../../watch/announcer.ts';
import { outsideText, slackDate } from './format.ts';

const CAUSE_WORDS: Record<WatchCauseKind, string> = {
  token: 'the Partner Center sign-in no longer works',
  unreachable: 'Hunter cannot reach Partner Center',
  exception: 'the periodic sync raised an exception',
  drift: 'the flag is not in the state pc-verify verified',
  api_down: 'Hunter’s api does not answer',
  probe_failed: 'pc-verify could not read the worker',
};

/** What to do about each cause, naming the command when there is one. */
export function nextStep(kind: WatchCauseKind, env: string): string {
  switch (kind) {
    case 'token':
      return `sign in again with \`/pc-verify login ${env}\` (Phase 2 alone: a new code in your DM; the flag is not touched).`;
    case 'unreachable':
      return 'check the worker’s way out to Partner Center (proxy, firewall, DNS) and Partner Center’s service status; the watch says here when syncs work again.';
    case 'exception':
      return 'read the traceback in `docker compose logs worker` and fix Hunter; the watch says here when the sync runs cleanly again.';
    case 'drift':
      return `someone changed the flag outside pc-verify (a hand edit of \`.env\`?): verify it again with \`/pc-verify ${env}\`, or turn it OFF and verify that with \`/pc-verify off ${env}\`.`;
    case 'api_down':
      return 'look at `docker compose ps` and `docker compose logs api`; the watch says here when it answers again.';
    case 'probe_failed':
      return 'check that the bot can still run the driver’s `logs` command (the bot log has the details).';
  }
}

/** The thread reply (broadcast to the channel) for a change of the watch's state. */
export function watchChangeText(change: WatchChange): string {
  if (change.to === 'healthy') {
    const was = change.from?.startsWith('failing:')
      ? ` (it was failing: ${CAUSE_WORDS[change.from.slice(8) as WatchCauseKind] ?? change.from})`
      : '';
    return `:white_check_mark: *${change.env}* is healthy again${was}: /healthz shows the flag as verified and the periodic Partner Center sync runs cleanly. Checked ${slackDate(change.at)}.`;
  }
  const kind = change.cause?.kind ?? 'exception';
  const detail = change.cause?.detail ? `\n> ${outsideText(change.cause.detail)}` : '';
  return `:rotating_light: *${change.env}*: ${CAUSE_WORDS[kind]} — the watch found it ${slackDate(change.at)}.${detail}\n*Next:* ${nextStep(kind, change.env)}`;
}

/** One line for `status` and App Home. */
export function watchWords(
  state: WatchState | undefined,
  watch: { interval: number } | false,
  env: string,
): string {
  if (watch === false) return 'watch off';
  const every = `every ${duration(watch.interval)}`;
  if (!state) return `watch ${every}: no probe yet`;
  const probed = `last probe ${slackDate(state.lastProbeAt)}`;
  if (state.status === 'idle') return `watch ${every}: idle (${state.idleWhy ?? 'nothing to watch'})`;
  if (state.status === 'healthy')
    return `watch ${every}: *healthy* since ${slackDate(state.since)} (${probed})`;
  const kind = state.cause?.kind ?? 'exception';
  return `watch ${every}: :rotating_light: *FAILING* since ${slackDate(state.since)} — ${CAUSE_WORDS[kind]}: ${outsideText(state.cause?.detail ?? '')} (${probed}). Next: ${nextStep(kind, env)}`;
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
