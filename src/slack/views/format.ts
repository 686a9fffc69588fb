import type { CheckResult, CheckStatus } from '../../domain/check.ts';
import type { PhaseStatus } from '../../domain/phase.ts';
import { clip } from '../../util/truncate.ts';
import type { Block } from '../chat.ts';

export const CHECK_MARK: Readonly<Record<CheckStatus, string>> = {
  pass: ':white_check_mark:',
  fail: ':x:',
  warn: ':warning:',
  skip: ':black_circle:',
};

export const PHASE_MARK: Readonly<Record<PhaseStatus | 'running', string>> = {
  pass: ':white_check_mark:',
  fail: ':x:',
  not_run: ':white_circle:',
  running: ':hourglass_flowing_sand:',
};

/** Slack's mrkdwn treats these as markup; user-visible data is escaped before it goes in. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Text someone outside wrote (a worker log line, an exception, Azure AD's error description),
 * on one line: escaped, so `<!channel>` cannot ping and `<https://…|…>` cannot become a link,
 * and in a code span, so it reads as quoted output rather than as the bot's own words.
 */
export function outsideText(text: string): string {
  const line = escapeMrkdwn(text.replace(/\s+/g, ' ').trim()).replaceAll('`', "'");
  return line === '' ? '' : `\`${line}\``;
}

/** A section block's text is limited to 3000 characters; long output is cut with a note. */
export function codeBlock(text: string, max = 1_200): string {
  return `\`\`\`${escapeMrkdwn(clip(text, max)).replaceAll('```', "'''")}\`\`\``;
}

export function checkLine(check: CheckResult): string {
  return `${CHECK_MARK[check.status]} ${escapeMrkdwn(check.title)}`;
}

export const section = (text: string) => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(text, 2_900) },
});
export const context = (text: string) => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: clip(text, 2_900) }],
});

/** Slack renders this in each reader's time zone; the ISO text is the fallback. */
export function slackDate(iso: string): string {
  return `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time}|${iso}>`;
}

/** What a button's confirm dialog says: its title, its question (mrkdwn) and its two answers. */
export interface ConfirmWords {
  readonly title: string;
  readonly text: string;
  readonly yes: string;
  readonly no: string;
}

/** A button behind Slack's confirm dialog, carrying `value` (a run's id). */
export function confirmedButton(
  actionId: string,
  label: string,
  value: string,
  style: 'primary' | 'danger',
  words: ConfirmWords,
): Block {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label },
    style,
    value,
    confirm: {
      title: { type: 'plain_text', text: words.title },
      text: { type: 'mrkdwn', text: words.text },
      confirm: { type: 'plain_text', text: words.yes },
      deny: { type: 'plain_text', text: words.no },
      style,
    },
  };
}
