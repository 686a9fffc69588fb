/**
 * Slack's mrkdwn as HTML: bold, italic, strike, code, code blocks, quotes, links, user and
 * channel mentions, dates. Everything is escaped first; markup is added only around escaped text.
 */

export interface MentionNames {
  user(id: string): string | undefined;
  channel(id: string): string | undefined;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Slack escapes only &, < and > in message text; undo that before escaping for HTML. */
function unescapeSlack(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

const SAFE_URL = /^(https?:|mailto:)/i;

export function mrkdwnToHtml(source: string, names: MentionNames): string {
  const blocks = source.split(/```/);
  return blocks
    .map((part, i) =>
      i % 2 === 1
        ? `<pre class="code-block">${escapeHtml(unescapeSlack(part.replace(/^\n/, '')))}</pre>`
        : lines(part, names),
    )
    .join('');
}

function lines(text: string, names: MentionNames): string {
  const out: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (quote.length > 0) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of text.split('\n')) {
    const quoted = /^(&gt;|>)\s?(.*)$/.exec(line);
    if (quoted) quote.push(inline(quoted[2] ?? '', names));
    else {
      flush();
      out.push(inline(line, names));
    }
  }
  flush();
  return out.join('<br>').replaceAll('</blockquote><br>', '</blockquote>');
}

/** Inline spans: `<…>` entities and `code` are cut out first, so formatting never reaches inside them. */
function inline(text: string, names: MentionNames): string {
  const pieces: string[] = [];
  const pattern = /<([^<>]+)>|\*`([^`]+)`\*|`([^`]+)`/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    pieces.push(format(escapeHtml(unescapeSlack(text.slice(last, match.index)))));
    pieces.push(
      match[1] !== undefined
        ? entity(match[1], names)
        : match[2] !== undefined
          ? `<b><code>${escapeHtml(unescapeSlack(match[2]))}</code></b>`
          : `<code>${escapeHtml(unescapeSlack(match[3] ?? ''))}</code>`,
    );
    last = (match.index ?? 0) + match[0].length;
  }
  pieces.push(format(escapeHtml(unescapeSlack(text.slice(last)))));
  return pieces.join('');
}

function format(escaped: string): string {
  return escaped
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1<b>$2</b>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1<i>$2</i>')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, '$1<s>$2</s>')
    .replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => {
      const glyph = EMOJI[name];
      return glyph === undefined
        ? whole
        : `<span class="emoji emoji-${name}" title=":${name}:">${glyph}</span>`;
    });
}

function entity(inner: string, names: MentionNames): string {
  const [target = '', label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="mention">@${escapeHtml(names.user(id) ?? label ?? id)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `<span class="mention">#${escapeHtml(names.channel(id) ?? label ?? id)}</span>`;
  }
  if (target.startsWith('!date^')) return `<time>${escapeHtml(slackDate(target, label))}</time>`;
  if (target.startsWith('!'))
    return `<span class="mention">@${escapeHtml(label ?? target.slice(1).split('^')[0] ?? '')}</span>`;
  const url = unescapeSlack(target);
  if (!SAFE_URL.test(url)) return escapeHtml(unescapeSlack(label ?? target));
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(unescapeSlack(label ?? target))}</a>`;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** `!date^<epoch>^<format>[^link]` with `{date_short}`, `{time}` and friends, in UTC. */
function slackDate(target: string, fallback: string | undefined): string {
  const [, epoch = '', template = ''] = target.split('^');
  const when = new Date(Number(epoch) * 1000);
  if (Number.isNaN(when.getTime())) return unescapeSlack(fallback ?? '');
  const iso = when.toISOString();
  const parts: Record<string, string> = {
    date_num: iso.slice(0, 10),
    date: when.toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }),
    date_short: when.toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }),
    date_long: when.toLocaleDateString('en-GB', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }),
    date_pretty: when.toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }),
    date_short_pretty: when.toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }),
    date_long_pretty: when.toLocaleDateString('en-GB', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }),
    time: `${iso.slice(11, 16)} UTC`,
    time_secs: `${iso.slice(11, 19)} UTC`,
  };
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => parts[key] ?? whole);
}

/**
 * Every emoji code the bot sends, as the emoji Slack shows (drawn with Noto Color Emoji, which
 * scripts/services.sh installs beside Chromium). A code missing here shows as `:name:` on the
 * page, which the browser test refuses.
 */
export const EMOJI: Readonly<Record<string, string>> = {
  arrow_down: '\u2B07\uFE0F',
  arrow_forward: '\u25B6\uFE0F',
  ballot_box_with_check: '\u2611\uFE0F',
  black_circle: '\u26AB',
  bust_in_silhouette: '\u{1F464}',
  busts_in_silhouette: '\u{1F465}',
  calendar: '\u{1F4C6}',
  closed_lock_with_key: '\u{1F510}',
  heavy_minus_sign: '\u2796',
  hourglass_flowing_sand: '\u23F3',
  key: '\u{1F511}',
  memo: '\u{1F4DD}',
  no_entry: '\u26D4',
  octagonal_sign: '\u{1F6D1}',
  pause_button: '\u23F8\uFE0F',
  raising_hand: '\u{1F64B}',
  repeat: '\u{1F501}',
  ticket: '\u{1F3AB}',
  rotating_light: '\u{1F6A8}',
  triangular_flag_on_post: '\u{1F6A9}',
  warning: '\u26A0\uFE0F',
  white_check_mark: '\u2705',
  white_circle: '\u26AA',
  x: '\u274C',
};
