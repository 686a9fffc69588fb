import { selectEnvironment } from '../config/select.ts';
import { translator } from '../i18n/index.ts';
import { clip } from '../util/truncate.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { refuseReader } from './read-access.ts';

const SHOWN = 10;

/** `/pc-verify history <env>`: the last ten results, newest first, with why each failed. */
export async function showHistory(deps: CommandDeps, who: Invocation, envName: string): Promise<Reply> {
  const found = selectEnvironment(deps.config, envName);
  if (!found.ok)
    return { text: `${found.message} Type \`/pc-verify help\` for the commands.`, outcome: 'refused' };
  const refused = await refuseReader(deps, who, found.env, 'history');
  if (refused) return refused;
  const env = found.env.name;
  const items = await deps.results.history(env, SHOWN);
  if (items.length === 0)
    return { text: `No runs of *${env}* yet. Start one: \`/pc-verify ${env}\`.`, outcome: 'answered' };
  const t = translator(deps.config.language ?? 'en');
  const lines = items.map(({ report, requester, ticket }) => {
    const who = requester.kind === 'slack' ? `<@${requester.userId}>` : requester.user;
    const why =
      report.verdict === 'FAIL' && report.reason ? ` — ${deps.words.escape(clip(report.reason, 160))}` : '';
    const kind = report.purpose === 'login' ? 'sign-in renewal ' : '';
    const id = ticket ? deps.words.escape(ticket.id) : '';
    const change = ticket
      ? ` · ${t('ticket.label', { ticket: ticket.url ? `<${ticket.url}|${id}>` : `\`${id}\`` })}`
      : '';
    return `• ${deps.words.date(report.finishedAt)} ${kind}*${report.verdict}* (${report.state}) by ${who}, run \`${report.runId}\`${change}${why}`;
  });
  return {
    text: [`Last ${items.length} runs of *${env}*, newest first:`, ...lines].join('\n'),
    outcome: 'answered',
  };
}
