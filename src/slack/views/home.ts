import type { FlagState } from '../../store/flag-state.ts';
import type { ResultSummary } from '../../store/results.ts';
import type { Block } from '../chat.ts';
import { context, section } from './format.ts';

export interface HomeRow {
  readonly env: string;
  readonly tier: string;
  readonly latest?: ResultSummary;
  /** What a run in progress is doing, in words. */
  readonly running?: string;
  readonly flag?: FlagState;
}

/** A Home view holds 100 blocks; two per environment plus the header and a note. */
const MAX_ROWS = 45;

/** App Home: one line per environment — last run, verdict, flag state, when, by whom. */
export function homeView(rows: readonly HomeRow[]): Block[] {
  const blocks: Block[] = [section('*pc-verify* — Partner Center activation, per environment')];
  for (const row of rows.slice(0, MAX_ROWS)) {
    const latest = row.latest;
    const verdict = latest ? `*${latest.report.verdict}* (${latest.report.state})` : 'never verified';
    const now = row.running ? ` · now: ${row.running}` : '';
    blocks.push(section(`*${row.env}* (${row.tier}) — ${verdict} · flag ${flagWords(row)}${now}`));
    const by = latest ? ` by ${person(latest)}` : '';
    const when = latest ? `last run ${slackDate(latest.report.finishedAt)}${by}` : 'no run yet';
    const flagNote = row.flag ? ` · flag set ${slackDate(row.flag.at)} via ${row.flag.via}` : '';
    blocks.push(context(`${when}${flagNote}`));
  }
  if (rows.length > MAX_ROWS)
    blocks.push(context(`…and ${rows.length - MAX_ROWS} more: \`/pc-verify status\``));
  return blocks;
}

function flagWords(row: HomeRow): string {
  const on = row.flag?.on ?? row.latest?.flagOn;
  return on === undefined ? 'unknown' : on ? '*ON*' : '*OFF*';
}

function person(summary: ResultSummary): string {
  return summary.requester.kind === 'slack' ? `<@${summary.requester.userId}>` : summary.requester.user;
}

/** Slack renders this in each reader's time zone; the ISO text is the fallback. */
export function slackDate(iso: string): string {
  return `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time}|${iso}>`;
}
