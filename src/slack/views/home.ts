import type { ResultSummary } from '../../store/results.ts';
import type { Block } from '../chat.ts';
import { context, section } from './format.ts';

export interface HomeRow {
  readonly env: string;
  readonly tier: string;
  readonly latest?: ResultSummary;
  readonly running?: string;
}

/** App Home: one line per environment — last run, verdict, flag state, when, by whom. */
export function homeView(rows: readonly HomeRow[]): Block[] {
  const blocks: Block[] = [section('*pc-verify* — Partner Center activation, per environment')];
  for (const row of rows) {
    const latest = row.latest;
    const who =
      latest?.requester.kind === 'slack' ? `<@${latest.requester.userId}>` : (latest?.requester.user ?? '—');
    const verdict = latest ? `${latest.report.verdict} (${latest.report.state})` : 'never verified';
    const flag = latest?.flagOn === undefined ? 'unknown' : latest.flagOn ? 'ON' : 'OFF';
    const when = latest
      ? `<!date^${Math.floor(Date.parse(latest.report.finishedAt) / 1000)}^{date_short} {time}|${latest.report.finishedAt}>`
      : '—';
    blocks.push(
      section(
        `*${row.env}* (${row.tier}) — ${verdict} · flag ${flag}${row.running ? ` · now: ${row.running}` : ''}`,
      ),
    );
    blocks.push(context(`last run ${when} by ${who}`));
  }
  return blocks;
}
