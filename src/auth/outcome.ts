import type { ServerErrorBody, TransportFailure } from './network.ts';

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

const TRANSPORT_WORDS: Readonly<Record<TransportFailure['kind'], string>> = {
  tls: 'its TLS certificate is not trusted by this host',
  refused: 'the connection was refused',
  dns: 'its host name was not found',
  timeout: 'it did not answer in time',
  cancelled: 'the request was cancelled',
  other: 'the request failed',
};

/** "Azure AD could not be reached: the connection was refused (ECONNREFUSED)". */
export function describeTransport(failure: TransportFailure): string {
  return `Azure AD could not be reached: ${TRANSPORT_WORDS[failure.kind]} (${failure.code})`;
}

export function transportHint(failure: TransportFailure): string {
  return failure.kind === 'tls'
    ? "The Azure AD authority's certificate is not trusted: if it comes from a private CA, add that CA with " +
        'NODE_EXTRA_CA_CERTS (never turn certificate checks off), and check auth.authority in the config.'
    : 'Azure AD could not be reached from this host: check auth.authority (and auth.knownAuthorities) in the ' +
        'config, DNS, the proxy and the firewall, then run the flow again.';
}

/** Everything known about a failed login or silent call, most specific first. */
export interface FailureEvidence {
  readonly cancelled: boolean;
  readonly serverError: ServerErrorBody | undefined;
  readonly transport: TransportFailure | undefined;
  readonly msalCode: string;
}

export function loginFailure(evidence: FailureEvidence): {
  kind: LoginFailureKind;
  detail: string;
  hint: string;
} {
  const { serverError, transport, msalCode } = evidence;
  const kind = classifyFailure(serverError, msalCode, evidence.cancelled);
  if (kind === 'cancelled') {
    return { kind, detail: 'cancelled while waiting for the sign-in', hint: AUTH_HINTS[kind] };
  }
  if (kind === 'error' && !serverError && transport) {
    return { kind, detail: describeTransport(transport), hint: transportHint(transport) };
  }
  if (kind === 'expired' && !serverError) {
    return {
      kind,
      detail: `the sign-in was not completed in time (MSAL: ${msalCode})`,
      hint: AUTH_HINTS[kind],
    };
  }
  return { kind, detail: describeServerError(serverError, msalCode), hint: AUTH_HINTS[kind] };
}
