import { selectEnvironment } from '../config/select.ts';
import { QUOTED_FIELD, renderCoded, type Translate } from '../i18n/index.ts';
import { clip } from '../util/truncate.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { seeHelp, wordsFor } from './language.ts';
import { refuseReader } from './read-access.ts';

const SHOWN = 10;
/** A Slack user id, as the lifecycle stores who did something; anything else is escaped text. */
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

/** `/pc-verify history <env>`: the last ten results, newest first, with why each failed. */
export async function showHistory(deps: CommandDeps, who: Invocation, envName: string): Promise<Reply> {
  const found = selectEnvironment(deps.config, envName);
  if (!found.ok) return { text: seeHelp(wordsFor(deps), found.message), outcome: 'refused' };
  const refused = await refuseReader(deps, who, found.env, 'history');
  if (refused) return refused;
  const env = found.env.name;
  const items = await deps.results.history(env, SHOWN);
  if (items.length === 0)
    return { text: wordsFor(deps)('commands.history.none', { env }), outcome: 'answered' };
  const t = wordsFor(deps);
  const lines = items.map(({ report, requester, ticket }) => {
    const who = requester.kind === 'slack' ? `<@${requester.userId}>` : requester.user;
    // Cut once worded: a coded reason cut in the middle would no longer read as one.
    const why =
      report.verdict === 'FAIL' && report.reason ? ` — ${clip(reasonText(deps, t, report.reason), 240)}` : '';
    const kind = report.purpose === 'login' ? t('commands.history.renewal') : '';
    const when = deps.words.date(report.finishedAt);
    const { verdict, state, runId: id } = report;
    return t('commands.history.line', {
      when,
      kind,
      verdict,
      state,
      who,
      id,
      why: `${ticketText(deps, t, ticket)}${why}`,
    });
  });
  return {
    text: [t('commands.history.header', { count: items.length, env }), ...lines].join('\n'),
    outcome: 'answered',
  };
}

/**
 * A stored reason in words: its coded parts in the deployment's language (who as a mention,
 * text from outside quoted), the rest escaped.
 */
function reasonText(deps: CommandDeps, t: Translate, reason: string): string {
  return renderCoded(t, reason, deps.words.escape, (name, value) => {
    if (typeof value !== 'string') return value;
    if (name === 'who' && SLACK_USER.test(value)) return `<@${value}>`;
    return name === QUOTED_FIELD ? deps.words.quote(clip(value, 120)) : deps.words.escape(value);
  });
}

/** The change ticket a run was started with, as a link when the policy names its URL. */
function ticketText(
  deps: CommandDeps,
  t: Translate,
  ticket: { id: string; url?: string } | undefined,
): string {
  if (!ticket) return '';
  const id = deps.words.escape(ticket.id);
  return ` · ${t('ticket.label', { ticket: ticket.url ? `<${ticket.url}|${id}>` : `\`${id}\`` })}`;
}
