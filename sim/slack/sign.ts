import { createHmac, randomBytes } from 'node:crypto';
import {
  type AppHomeOpenedInput,
  appHomeOpenedEvent,
  type BlockActionsInput,
  blockActionsPayload,
  type EventEnvelopeInput,
  eventCallback,
  type SlashCommandInput,
  slashCommandFields,
  type ViewSubmissionInput,
  viewSubmissionPayload,
} from './payloads.ts';

export * from './payloads.ts';

/**
 * Requests as Slack sends them to a Bolt HTTP receiver: signed with the signing secret.
 * Bolt reads a body as form data only for this exact Content-Type (a `;charset=…` suffix
 * makes it try JSON and answer 400), so the builders set it exactly.
 */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const JSON_CONTENT_TYPE = 'application/json';

export interface SlackRequestBody {
  readonly rawBody: string;
  readonly contentType: typeof FORM_CONTENT_TYPE | typeof JSON_CONTENT_TYPE;
}

export function slashCommandBody(input: SlashCommandInput): SlackRequestBody {
  return {
    rawBody: new URLSearchParams(slashCommandFields(input)).toString(),
    contentType: FORM_CONTENT_TYPE,
  };
}

/** Interactivity arrives as one form field, `payload=<JSON>`. */
export function blockActionsBody(input: BlockActionsInput): SlackRequestBody {
  const rawBody = new URLSearchParams({ payload: JSON.stringify(blockActionsPayload(input)) }).toString();
  return { rawBody, contentType: FORM_CONTENT_TYPE };
}

/** A modal's submit arrives like a click: one form field, `payload=<JSON>`. */
export function viewSubmissionBody(input: ViewSubmissionInput): SlackRequestBody {
  const rawBody = new URLSearchParams({ payload: JSON.stringify(viewSubmissionPayload(input)) }).toString();
  return { rawBody, contentType: FORM_CONTENT_TYPE };
}

/** Events API deliveries are JSON. */
export function eventBody(event: Record<string, unknown>, envelope: EventEnvelopeInput): SlackRequestBody {
  return { rawBody: JSON.stringify(eventCallback(event, envelope)), contentType: JSON_CONTENT_TYPE };
}

/** The Events API's one-time Request URL check; Bolt answers with the challenge. */
export function urlVerificationBody(challenge: string): SlackRequestBody {
  return {
    rawBody: JSON.stringify({ token: 'fakeVerificationToken0001', challenge, type: 'url_verification' }),
    contentType: JSON_CONTENT_TYPE,
  };
}

export function appHomeOpenedBody(input: AppHomeOpenedInput & EventEnvelopeInput): SlackRequestBody {
  return eventBody(appHomeOpenedEvent(input), input);
}

export function nowSeconds(nowMs = Date.now()): number {
  return Math.floor(nowMs / 1000);
}

/** A timestamp Bolt must refuse: six minutes old (its window is five). */
export function staleTimestamp(nowMs = Date.now()): number {
  return nowSeconds(nowMs) - 6 * 60;
}

export function signature(secret: string, rawBody: string, ts: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${ts}:${rawBody}`).digest('hex')}`;
}

/** The headers Slack adds: `X-Slack-Signature: v0=HMAC-SHA256(secret, "v0:{ts}:{rawBody}")`. */
export function signRequest(
  secret: string,
  rawBody: string,
  ts: number = nowSeconds(),
  contentType: string = FORM_CONTENT_TYPE,
): Record<string, string> {
  return {
    'Content-Type': contentType,
    'X-Slack-Request-Timestamp': String(ts),
    'X-Slack-Signature': signature(secret, rawBody, ts),
  };
}

/** Headers signed with a secret nobody configured: what a forger can produce. */
export function forgedHeaders(rawBody: string, ts: number = nowSeconds()): Record<string, string> {
  return signRequest(randomBytes(16).toString('hex'), rawBody, ts);
}

export interface PostedResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface PostSignedOptions {
  readonly secret: string;
  /** Request timestamp in seconds; default now. Use staleTimestamp() for a replay. */
  readonly ts?: number;
  /** Overrides the body's Content-Type (e.g. to show that `;charset=UTF-8` gets a 400). */
  readonly contentType?: string;
  readonly timeoutMs?: number;
}

/** Signs `body` and POSTs it; a plain string is sent as form data. */
export function postSigned(
  url: string,
  body: SlackRequestBody | string,
  options: PostSignedOptions,
): Promise<PostedResponse> {
  const request = typeof body === 'string' ? { rawBody: body, contentType: FORM_CONTENT_TYPE } : body;
  const contentType = options.contentType ?? request.contentType;
  const headers = signRequest(options.secret, request.rawBody, options.ts ?? nowSeconds(), contentType);
  return postRaw(url, request.rawBody, headers, options.timeoutMs);
}

/** POSTs exactly these bytes and headers: for tampered bodies, missing headers and the like. */
export async function postRaw(
  url: string,
  rawBody: string,
  headers: Record<string, string>,
  timeoutMs = 10_000,
): Promise<PostedResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: rawBody,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return {
    status: response.status,
    body: await response.text(),
    headers: Object.fromEntries(response.headers.entries()),
  };
}
