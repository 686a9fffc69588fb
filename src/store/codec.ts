import { z } from 'zod';

/**
 * The one way values come back from Redis: JSON read against a schema, Lua replies against a
 * tuple. A value this version cannot read is an error that names the key (or the script) and
 * what was wrong — never a record with undefined fields deeper in.
 */
export class UnreadableValue extends Error {
  readonly code = 'store.unreadable';
}

function problemOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unknown problem';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

const NOT_JSON = Symbol('not JSON');

/** JSON.parse that answers NOT_JSON instead of throwing. */
function decoded(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

const REWRITE = 'it was not written by this version of pc-verify: delete the key or write it again';

/**
 * Parses `text`, read from `key`, as JSON that must satisfy `schema`. `fix`: what to do about
 * a value that does not (by default: delete or rewrite the key).
 */
export function readJson<S extends z.ZodType>(
  schema: S,
  text: string,
  key: string,
  fix = REWRITE,
): z.output<S> {
  const value = decoded(text);
  if (value === NOT_JSON) throw new UnreadableValue(`Redis key ${key} is unreadable (not JSON); ${fix}`);
  return parseValue(schema, value, key, fix);
}

/** Checks a value already decoded (a hash's fields, say) read from `key`. */
export function parseValue<S extends z.ZodType>(
  schema: S,
  value: unknown,
  key: string,
  fix = REWRITE,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new UnreadableValue(`Redis key ${key} is unreadable (${problemOf(parsed.error)}); ${fix}`);
}

/** Like readJson, but a value that cannot be read counts as none (state that the next write replaces). */
export function readJsonOrNone<S extends z.ZodType>(schema: S, text: string): z.output<S> | undefined {
  const value = decoded(text);
  if (value === NOT_JSON) return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** A Lua script's reply, checked against the shape the script returns. */
export function replyOf<S extends z.ZodType>(schema: S, reply: unknown, script: string): z.output<S> {
  const parsed = schema.safeParse(reply);
  if (parsed.success) return parsed.data;
  throw new UnreadableValue(
    `the ${script} script answered ${JSON.stringify(reply)} (${problemOf(parsed.error)}); the Redis scripts and this version of pc-verify disagree`,
  );
}

/** `{ok, value}` replies: a number flag, then a string. */
export const FlagReply = z.tuple([z.number(), z.string()]);
/** `{ok, word, state}` replies: a flag, a word, and an optional state or detail. */
export const FlagWordReply = z.tuple([z.number(), z.string()], z.string());
/** 1 or 0. */
export const OneOrZero = z.number();
