import type { Workspace } from './workspace.ts';

export type ApiReply = { readonly ok: boolean } & Record<string, unknown>;

export interface MethodContext {
  readonly ws: Workspace;
  readonly args: Record<string, unknown>;
  /** Scopes granted to the calling token. */
  readonly scopes: ReadonlySet<string>;
  /** Socket Mode stand-in's next connection URL, when one is attached. */
  readonly issueSocketUrl: (() => string) | undefined;
}

export interface MethodSpec {
  /** The scope Slack requires of the token for this method; undefined: none. */
  readonly scope: string | undefined;
  /**
   * When the scope depends on the conversation (the `*:history` methods check it themselves):
   * the scopes Slack lists as accepted for the method.
   */
  readonly acceptedScopes?: readonly string[];
  /** Bot methods refuse app-level tokens and vice versa (`not_allowed_token_type`). */
  readonly tokenType: 'bot' | 'app';
  readonly handle: (ctx: MethodContext) => ApiReply;
}

export function fail(error: string, extra: Record<string, unknown> = {}): ApiReply {
  return { ok: false, error, ...extra };
}
