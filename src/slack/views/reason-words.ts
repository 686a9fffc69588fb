import { QUOTED_FIELD, renderCoded, type Translate } from '../../i18n/index.ts';
import { escapeMrkdwn, outsideText } from './format.ts';

/** A Slack user id, as the lifecycle stores who did something. */
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const SLACK_CHANNEL = /^[CG][A-Z0-9]{2,}$/;

/**
 * A stored reason or note as Slack shows it: coded messages in the deployment's language (a
 * `who` field as a mention, a `quoted` field — text from outside, a command's or Hunter's
 * words — in a code span), everything else escaped.
 */
export function reasonWords(t: Translate, text: string): string {
  return renderCoded(t, text, escapeMrkdwn, slackField);
}

/** The same for a thread note, whose own words are the bot's: only its coded parts change. */
export function noteWords(t: Translate, text: string): string {
  return renderCoded(t, text, (s) => s, slackField);
}

function slackField(name: string, value: string | number | boolean): string | number | boolean {
  if (typeof value !== 'string') return value;
  if (name === 'who' && SLACK_USER.test(value)) return `<@${value}>`;
  if (name === 'channel' && SLACK_CHANNEL.test(value)) return `<#${value}>`;
  if (name === QUOTED_FIELD) return outsideText(value);
  return escapeMrkdwn(value);
}
