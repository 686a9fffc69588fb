import type { Translate } from '../../i18n/index.ts';
import type { FlagRecord } from '../../store/flag-record.ts';
import { slackDate } from './format.ts';
import { reasonWords } from './reason-words.ts';

/** The flag record as a person reads it (`status`, App Home): desired, observed, and any doubt. */
export function flagWords(t: Translate, record: FlagRecord | undefined, env: string): string {
  if (!record) return t('home.flag.never');
  const observed = record.observed === 'unknown' ? t('home.flag.unknown') : record.observed.toUpperCase();
  const verified = record.verifiedAt ? t('home.flag.verified', { when: slackDate(record.verifiedAt) }) : '';
  const via =
    record.owner.kind === 'run'
      ? t('home.flag.viaRun', { id: record.owner.runId })
      : t('home.flag.viaKillSwitch');
  const desired = record.desired.toUpperCase();
  const words = t('home.flag.words', { desired, observed, verified, via });
  if (!record.unverified) return words;
  const since = slackDate(record.unverified.since);
  const why = reasonWords(t, record.unverified.why);
  return `:rotating_light: ${t('home.flag.unverified', { since, why, env, words })}`;
}
