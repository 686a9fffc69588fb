import type { WatchCauseKind, WatchState } from '../../domain/watch.ts';
import type { Translate } from '../../i18n/index.ts';
import type { WatchChange } from '../../watch/announcer.ts';
import { outsideText, slackDate } from './format.ts';

const CAUSES: readonly WatchCauseKind[] = [
  'token',
  'unreachable',
  'exception',
  'drift',
  'api_down',
  'probe_failed',
];

function causeWords(t: Translate, kind: WatchCauseKind): string {
  return t(`views.watch.cause.${kind}`);
}

/** What to do about each cause, naming the command when there is one. */
export function nextStep(t: Translate, kind: WatchCauseKind, env: string): string {
  return t(`views.watch.next.${kind}`, { env });
}

/** The thread reply (broadcast to the channel) for a change of the watch's state. */
export function watchChangeText(t: Translate, change: WatchChange): string {
  if (change.to === 'healthy') {
    const cause = change.from?.startsWith('failing:') ? change.from.slice(8) : undefined;
    const known = CAUSES.find((kind) => kind === cause);
    const was = change.from?.startsWith('failing:')
      ? t('views.watch.wasFailing', { cause: known ? causeWords(t, known) : change.from })
      : '';
    return `:white_check_mark: ${t('views.watch.healthy', { env: change.env, was, when: slackDate(change.at) })}`;
  }
  const kind = change.cause?.kind ?? 'exception';
  const detail = change.cause?.detail ? `\n> ${outsideText(change.cause.detail)}` : '';
  const words = t('views.watch.failing', {
    env: change.env,
    cause: causeWords(t, kind),
    when: slackDate(change.at),
    detail,
    next: nextStep(t, kind, change.env),
  });
  return `:rotating_light: ${words}`;
}

/** One line for `status` and App Home. */
export function watchWords(
  t: Translate,
  state: WatchState | undefined,
  watch: { interval: number } | false,
  env: string,
): string {
  if (watch === false) return t('home.watch.off');
  const every = t('home.watch.every', { interval: duration(watch.interval) });
  if (!state) return t('home.watch.noProbe', { every });
  const probed = t('home.watch.probed', { when: slackDate(state.lastProbeAt) });
  if (state.status === 'idle')
    return t('home.watch.idle', { every, why: state.idleWhy ?? t('home.watch.nothingToWatch') });
  if (state.status === 'healthy')
    return t('home.watch.healthy', { every, since: slackDate(state.since), probed });
  const kind = state.cause?.kind ?? 'exception';
  return t('home.watch.failing', {
    every,
    sign: ':rotating_light:',
    since: slackDate(state.since),
    cause: causeWords(t, kind),
    detail: outsideText(state.cause?.detail ?? ''),
    probed,
    next: nextStep(t, kind, env),
  });
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
