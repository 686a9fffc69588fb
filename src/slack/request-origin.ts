import type { BotIdentity } from './buttons.ts';

/**
 * Where an answer may be sent: a response_url on Slack's own host — the configured Web API's
 * host (and its `hooks.` host), else `hooks.slack.com` — with the same scheme. Anything else in
 * a signed request would make the bot POST its answers wherever the request said.
 */
export function onSlackHost(responseUrl: string, apiUrl: string | undefined): boolean {
  let target: URL;
  let api: URL;
  try {
    target = new URL(responseUrl);
    api = new URL(apiUrl ?? 'https://slack.com/api/');
  } catch {
    return false;
  }
  const hosts = apiUrl === undefined ? ['hooks.slack.com'] : [api.host, `hooks.${api.host}`];
  return target.protocol === api.protocol && hosts.includes(target.host) && !target.username;
}

/**
 * A slash command counts only from the workspace and app this bot is (auth.test), as clicks do:
 * another app's signing secret must not reach this bot's commands.
 */
export function fromThisApp(
  body: { readonly team_id?: unknown; readonly api_app_id?: unknown },
  me: BotIdentity | undefined,
): boolean {
  if (me === undefined) return true;
  if (me.teamId && body.team_id !== me.teamId) return false;
  if (me.appId && body.api_app_id !== me.appId) return false;
  return true;
}
