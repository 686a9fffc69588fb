import type { Translate } from '../../i18n/index.ts';
import type { FlagRecord } from '../../store/flag-record.ts';
import type { ResultSummary } from '../../store/results.ts';
import type { Block } from '../chat.ts';
import { flagWords as flagRecordWords } from './flag.ts';
import { context, section, slackDate } from './format.ts';

export interface HomeRow {
  readonly env: string;
  readonly tier: string;
  readonly latest?: ResultSummary;
  /** What a run in progress is doing, in words. */
  readonly running?: string;
  readonly flag?: FlagRecord;
  /** The day-2 watch, in words. */
  readonly watch?: string;
  /** The change window and any freeze, in words. */
  readonly window?: string;
}

/** A Home view holds 100 blocks; two per environment plus the header and a note. */
const MAX_ROWS = 45;

/** App Home: one line per environment — last run, verdict, flag state, when, by whom. */
export function homeView(t: Translate, rows: readonly HomeRow[]): Block[] {
  const blocks: Block[] = [section(t('home.title'))];
  for (const row of rows.slice(0, MAX_ROWS)) {
    const latest = row.latest;
    const renewal = latest?.report.purpose === 'login' ? t('home.renewal') : '';
    const verdict = latest
      ? `${renewal}*${latest.report.verdict}* (${latest.report.state})`
      : t('home.neverVerified');
    const now = row.running ? t('home.now', { what: row.running }) : '';
    blocks.push(
      section(t('home.row', { env: row.env, tier: row.tier, verdict, flag: flagWords(t, row), now })),
    );
    const by = latest ? t('home.by', { who: person(latest) }) : '';
    const when = latest
      ? t('home.lastRun', { when: slackDate(latest.report.finishedAt), by })
      : t('home.noRunYet');
    const flagNote = row.flag ? ` · ${flagRecordWords(t, row.flag, row.env)}` : '';
    const watchNote = row.watch ? ` · ${row.watch}` : '';
    const windowNote = row.window ? ` · ${row.window}` : '';
    blocks.push(context(`${when}${flagNote}${watchNote}${windowNote}`));
  }
  if (rows.length > MAX_ROWS) blocks.push(context(t('home.more', { count: rows.length - MAX_ROWS })));
  return blocks;
}

function flagWords(t: Translate, row: HomeRow): string {
  if (row.flag?.unverified) return t('home.flagUnverified');
  const observed = row.flag?.observed;
  const on = observed === 'on' ? true : observed === 'off' ? false : row.latest?.flagOn;
  return on === undefined ? t('home.flagUnknown') : on ? '*ON*' : '*OFF*';
}

function person(summary: ResultSummary): string {
  return summary.requester.kind === 'slack' ? `<@${summary.requester.userId}>` : summary.requester.user;
}

export { slackDate } from './format.ts';
