/**
 * Cutting long text (command output, response bodies, log lines) to a readable length. Whole
 * lines are kept where that costs at most half the room; what was dropped is counted in a
 * `… (N more chars)` marker. Results never exceed `maxChars` (a non-negative integer).
 */

/** The start of `text`, at most `maxChars` long. */
export function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const room = maxChars - markerFor(text.length).length;
  if (room < 1) return hardCut(text, maxChars);
  const lineEnd = text.lastIndexOf('\n', room - 1);
  // Cut after a line break when that keeps at least half the room; otherwise mid-line.
  const end = lineEnd + 1 >= room / 2 ? lineEnd + 1 : safeEnd(text, room);
  return `${text.slice(0, end)}${markerFor(text.length - end)}`;
}

/** The end of `text`, at most `maxChars` long: the last lines of a command's output. */
export function tail(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const room = maxChars - markerFor(text.length).length - 1;
  if (room < 1) return hardCut(text, maxChars);
  const from = text.length - room;
  const lineStart = text.indexOf('\n', from - 1) + 1;
  const start = lineStart > 0 && text.length - lineStart >= room / 2 ? lineStart : safeStart(text, from);
  const separator = text[start - 1] === '\n' ? '\n' : ' ';
  return `${markerFor(start)}${separator}${text.slice(start)}`;
}

function markerFor(dropped: number): string {
  return `… (${dropped} more chars)`;
}

function hardCut(text: string, maxChars: number): string {
  if (maxChars <= 0) return '';
  return `${text.slice(0, safeEnd(text, maxChars - 1))}…`;
}

/** Never split a surrogate pair: an emoji cut in half is not valid UTF-16 for Slack. */
function safeEnd(text: string, end: number): number {
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

function safeStart(text: string, start: number): number {
  const code = text.charCodeAt(start);
  return code >= 0xdc00 && code <= 0xdfff ? start + 1 : start;
}
