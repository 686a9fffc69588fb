/**
 * A link to a message, in Slack's permalink form (no API call, no extra scope); without the
 * workspace domain, a mention of the channel.
 */
export function messageLink(
  place: { channel: string; rootTs?: string } | undefined,
  teamDomain: string | undefined,
  label: string,
): string {
  if (!place) return label;
  if (!place.rootTs || !teamDomain || !/^[a-z0-9-]+$/.test(teamDomain))
    return `${label} in <#${place.channel}>`;
  const url = `https://${teamDomain}.slack.com/archives/${place.channel}/p${place.rootTs.replace('.', '')}`;
  return `<${url}|${label}>`;
}
