import type { ServerErrorBody } from './network.ts';

export type LoginFailureKind = 'declined' | 'expired' | 'cancelled' | 'misconfigured' | 'error';

export const AUTH_HINTS: Readonly<Record<LoginFailureKind, string>> = {
  declined: 'The person declined the sign-in. Start the run again when they are ready to approve it.',
  expired:
    'Nobody finished the sign-in in time. Start the run again and complete the login before the code expires.',
  cancelled: 'The run was cancelled while waiting for the sign-in.',
  misconfigured:
    'Device flow errors mean the Azure AD app registration or credentials are wrong: check the app registration ' +
    '(client id, tenant id) and the Partner Center API permissions, then run the flow again.',
  error:
    'The sign-in failed: check the app registration and the Partner Center API permissions, and that this host ' +
    'reaches the Azure AD authority; then run the flow again.',
};

/** Azure AD codes that mean the app registration or the tenant is wrong, not the person. */
const MISCONFIGURED_CODES = new Set([700016, 90002, 90014, 50059, 65001, 700024, 7000218, 50020]);
const MISCONFIGURED_ERRORS = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_scope',
  'invalid_request',
]);

/** Maps what Azure AD answered (or MSAL said) to an outcome a person understands. */
export function classifyFailure(
  serverError: ServerErrorBody | undefined,
  msalCode: string,
  cancelled: boolean,
): LoginFailureKind {
  if (cancelled) return 'cancelled';
  if (serverError) {
    if (
      serverError.error === 'access_denied' ||
      (serverError.codes.includes(70019) && serverError.error === 'access_denied')
    ) {
      return 'declined';
    }
    if (serverError.error === 'expired_token' || serverError.error === 'code_expired') return 'expired';
    if (
      MISCONFIGURED_ERRORS.has(serverError.error) ||
      serverError.codes.some((c) => MISCONFIGURED_CODES.has(c))
    ) {
      return 'misconfigured';
    }
  }
  if (/expired|timeout/i.test(msalCode)) return 'expired';
  if (/cancel/i.test(msalCode)) return 'cancelled';
  return 'error';
}

/** "error (AADSTS700016)" — what Azure AD said, never a token or a code. */
export function describeServerError(serverError: ServerErrorBody | undefined, msalCode: string): string {
  if (!serverError) return `MSAL: ${msalCode}`;
  const codes = serverError.codes.map((c) => `AADSTS${c}`).join(', ');
  return codes ? `Azure AD: ${serverError.error} (${codes})` : `Azure AD: ${serverError.error}`;
}

/** `ops.engineer@contoso.example` → `o***@c***.example`: enough to recognise, not to copy. */
export function maskUsername(username: string): string {
  const [local = '', domain = ''] = username.split('@');
  const parts = domain.split('.');
  const tld = parts.length > 1 ? `.${parts.at(-1)}` : '';
  const maskedDomain = domain ? `@${parts[0]?.[0] ?? ''}***${tld}` : '';
  return `${local[0] ?? ''}***${maskedDomain}`;
}
