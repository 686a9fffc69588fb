import { type Translate, translator } from '../i18n/index.ts';
import type { ServerErrorBody, TransportFailure } from './network.ts';

export type LoginFailureKind = 'declined' | 'expired' | 'cancelled' | 'misconfigured' | 'error';

const EN = translator('en');

/** The runbook's Phase 2 advice for each way a sign-in fails, in `t`'s words. */
export function authHint(kind: LoginFailureKind, t: Translate = EN): string {
  return t(`checks.auth.hints.${kind}`);
}

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
export function describeServerError(
  serverError: ServerErrorBody | undefined,
  msalCode: string,
  t: Translate = EN,
): string {
  if (!serverError) return `MSAL: ${msalCode}`;
  const codes = serverError.codes.map((c) => `AADSTS${c}`).join(', ');
  return t('checks.auth.serverSaid', {
    error: codes ? `${serverError.error} (${codes})` : serverError.error,
  });
}

/** `ops.engineer@contoso.example` → `o***@c***.example`: enough to recognise, not to copy. */
export function maskUsername(username: string): string {
  const [local = '', domain = ''] = username.split('@');
  const parts = domain.split('.');
  const tld = parts.length > 1 ? `.${parts.at(-1)}` : '';
  const maskedDomain = domain ? `@${parts[0]?.[0] ?? ''}***${tld}` : '';
  return `${local[0] ?? ''}***${maskedDomain}`;
}

/** "Azure AD could not be reached: the connection was refused (ECONNREFUSED)". */
export function describeTransport(failure: TransportFailure, t: Translate = EN): string {
  return t('checks.auth.unreachable', {
    why: t(`checks.auth.transport.${failure.kind}`),
    code: failure.code,
  });
}

export function transportHint(failure: TransportFailure, t: Translate = EN): string {
  return t(failure.kind === 'tls' ? 'checks.auth.tlsHint' : 'checks.auth.unreachableHint');
}

/** Everything known about a failed login or silent call, most specific first. */
export interface FailureEvidence {
  readonly cancelled: boolean;
  readonly serverError: ServerErrorBody | undefined;
  readonly transport: TransportFailure | undefined;
  readonly msalCode: string;
}

export function loginFailure(
  evidence: FailureEvidence,
  t: Translate = EN,
): {
  kind: LoginFailureKind;
  detail: string;
  hint: string;
} {
  const { serverError, transport, msalCode } = evidence;
  const kind = classifyFailure(serverError, msalCode, evidence.cancelled);
  if (kind === 'cancelled') {
    return { kind, detail: t('checks.auth.cancelled'), hint: authHint(kind, t) };
  }
  if (kind === 'error' && !serverError && transport) {
    return { kind, detail: describeTransport(transport, t), hint: transportHint(transport, t) };
  }
  if (kind === 'expired' && !serverError) {
    return { kind, detail: t('checks.auth.notInTime', { code: msalCode }), hint: authHint(kind, t) };
  }
  return { kind, detail: describeServerError(serverError, msalCode, t), hint: authHint(kind, t) };
}
