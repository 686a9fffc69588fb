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
export function homeView(rows: readonly HomeRow[]): Block[] {
  const blocks: Block[] = [section('*pc-verify* — Partner Center activation, per environment')];
  for (const row of rows.slice(0, MAX_ROWS)) {
    const latest = row.latest;
    const renewal = latest?.report.purpose === 'login' ? 'sign-in renewal ' : '';
    const verdict = latest
      ? `${renewal}*${latest.report.verdict}* (${latest.report.state})`
      : 'never verified';
    const now = row.running ? ` · now: ${row.running}` : '';
    blocks.push(section(`*${row.env}* (${row.tier}) — ${verdict} · flag ${flagWords(row)}${now}`));
    const by = latest ? ` by ${person(latest)}` : '';
    const when = latest ? `last run ${slackDate(latest.report.finishedAt)}${by}` : 'no run yet';
    const flagNote = row.flag ? ` · ${flagRecordWords(row.flag, row.env)}` : '';
    const watchNote = row.watch ? ` · ${row.watch}` : '';
    const windowNote = row.window ? ` · ${row.window}` : '';
    blocks.push(context(`${when}${flagNote}${watchNote}${windowNote}`));
  }
  if (rows.length > MAX_ROWS)
    blocks.push(context(`…and ${rows.length - MAX_ROWS} more: \`/pc-verify status\``));
  return blocks;
}

function flagWords(row: HomeRow): string {
  if (row.flag?.unverified) return '*UNVERIFIED*';
  const observed = row.flag?.observed;
  const on = observed === 'on' ? true : observed === 'off' ? false : row.latest?.flagOn;
  return on === undefined ? 'unknown' : on ? '*ON*' : '*OFF*';
}

function person(summary: ResultSummary): string {
  return summary.requester.kind === 'slack' ? `<@${summary.requester.userId}>` : summary.requester.user;
}

export { slackDate } from './format.ts';
