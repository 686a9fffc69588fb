import type { MessageKey } from './catalogue/shape.ts';

/** A field of a message: words are chosen at the edge, fields are filled in as they are. */
export type MessageParam = string | number | boolean | Date;
export type MessageParams = Readonly<Record<string, MessageParam>>;

/**
 * What the core says, as data: a key into the catalogue and its fields. The edge (Slack's views,
 * the terminal) turns it into words in the deployment's language.
 */
export interface Message {
  readonly key: MessageKey;
  readonly params?: MessageParams;
}

export function message(key: MessageKey, params?: MessageParams): Message {
  return params === undefined ? { key } : { key, params };
}

export type { MessageKey };
