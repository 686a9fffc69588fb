import { selectEnvironment } from '../config/select.ts';
import type { CommandDeps, Reply } from './context.ts';

/** `/pc-verify history <env>`: the last ten results, newest first. */
export async function showHistory(deps: CommandDeps, envName: string): Promise<Reply> {
  const found = selectEnvironment(deps.config, envName);
  if (!found.ok) return { text: found.message };
  const items = await deps.results.history(found.env.name, 10);
  if (items.length === 0) return { text: `No runs of *${found.env.name}* yet.` };
  const lines = items.map(({ report, requester }) => {
    const who = requester.kind === 'slack' ? `<@${requester.userId}>` : requester.user;
    return `• ${report.finishedAt} — *${report.verdict}* (${report.state}) by ${who}, run \`${report.runId}\``;
  });
  return { text: [`Last ${items.length} runs of *${found.env.name}*:`, ...lines].join('\n') };
}
