import { randomBytes } from 'node:crypto';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A Slack-shaped id: the kind letter then 10 upper-case alphanumerics (`C07QX2M4H1Z`). */
export function slackId(kind: 'A' | 'B' | 'C' | 'D' | 'E' | 'S' | 'T' | 'U' | 'V'): string {
  const bytes = randomBytes(10);
  let id = kind;
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

/**
 * Message timestamps as Slack issues them (`1732831312.000200`): seconds, a dot, six digits,
 * strictly increasing across the whole fake so "latest" and thread order are unambiguous.
 */
export class TsClock {
  private lastMicros = 0;

  constructor(private readonly nowMs: () => number = Date.now) {}

  next(): string {
    const micros = Math.max(this.nowMs() * 1000, this.lastMicros + 100);
    this.lastMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    const fraction = String(Math.floor(micros % 1_000_000)).padStart(6, '0');
    return `${seconds}.${fraction}`;
  }
}

/** Opaque secret-looking path segment for response URLs and socket tickets. */
export function opaqueToken(bytes = 12): string {
  return randomBytes(bytes).toString('hex');
}
