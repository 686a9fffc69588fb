import { z } from 'zod';
import type { Message, MessageKey, MessageParams } from './message.ts';
import type { Translate } from './translate.ts';

/**
 * A `Message` kept where the store holds a string (a run's reason, a thread note): a key and
 * its fields, never words. The edge turns each one into words in the deployment's language
 * (`renderCoded`); text around it (a check's own words, a person's reason) is left as it is.
 */
const OPEN = '⟦';
const CLOSE = '⟧';
const TOKEN = /⟦([A-Za-z0-9_.]+)(?:\|([^⟧]*))?⟧/g;
const Nested = z.strictObject({ coded: z.string() });
const Params = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), Nested]));

/**
 * A message as a storable string. Its string fields are a person's or a system's text: their
 * brackets are defused, so no text can pass for a code of ours (a reason typed as
 * `⟦thread.note…⟧` stays words). `nested` names fields that hold coded text this process made
 * (a run's stored reason inside a DM): those are worded at the edge too.
 */
export function coded(m: Message, nested: Readonly<Record<string, string>> = {}): string {
  const own = Object.fromEntries(
    Object.entries(m.params ?? {}).map(([name, value]) => [
      name,
      typeof value === 'string' ? defuse(value) : value,
    ]),
  );
  const inner = Object.fromEntries(Object.entries(nested).map(([name, text]) => [name, { coded: text }]));
  const params = { ...own, ...inner };
  if (Object.keys(params).length === 0) return `${OPEN}${m.key}${CLOSE}`;
  const fields = JSON.stringify(params).replaceAll(CLOSE, '\\u27e7');
  return `${OPEN}${m.key}|${fields}${CLOSE}`;
}

/**
 * The field of a coded message that holds text from outside — a command's message, what Hunter
 * or Azure AD wrote — as opposed to the bot's own words: a chat edge shows it as quoted text
 * (Slack: escaped, in a code span), so it can neither ping, link nor pass for the bot's words.
 */
export const QUOTED_FIELD = 'quoted';

/** Text that must never read as a code: its code brackets become plain ones. */
export function defuse(text: string): string {
  return text.replaceAll(OPEN, '[').replaceAll(CLOSE, ']');
}

/** Whether a stored text holds a coded message anywhere. */
export function isCoded(text: string): boolean {
  return text.includes(OPEN);
}

/**
 * Words for a stored text: each coded message through `t` (its fields through `field` first,
 * e.g. a Slack id as a mention), the text around them through `plain` (e.g. escaping). A code
 * whose key or fields do not read back is shown as plain text rather than lost.
 */
export function renderCoded(
  t: Translate,
  text: string,
  plain: (text: string) => string = (s) => s,
  field: (name: string, value: string | number | boolean) => string | number | boolean = (_, v) => v,
): string {
  let out = '';
  let at = 0;
  for (const match of text.matchAll(TOKEN)) {
    out += plain(text.slice(at, match.index));
    out += wordsOf(t, match[1] ?? '', match[2], plain, field) ?? plain(match[0]);
    at = match.index + match[0].length;
  }
  return out + plain(text.slice(at));
}

function wordsOf(
  t: Translate,
  key: string,
  fields: string | undefined,
  plain: (text: string) => string,
  field: (name: string, value: string | number | boolean) => string | number | boolean,
): string | undefined {
  let params: MessageParams | undefined;
  if (fields !== undefined) {
    const read = Params.safeParse(safeJson(fields));
    if (!read.success) return undefined;
    // Only a field coded as nested (`coded(m, nested)`) holds coded words; any other field is
    // plain text, escaped by `field`, whatever it looks like.
    params = Object.fromEntries(
      Object.entries(read.data).map(([name, value]) => [
        name,
        typeof value === 'object' ? renderCoded(t, value.coded, plain, field) : field(name, value),
      ]),
    );
  }
  try {
    return t(key as MessageKey, params);
  } catch {
    return undefined;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
