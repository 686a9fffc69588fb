import type { CallOptions, EngineHttp, EngineResult } from './engine.ts';
import { FrameDemuxer } from './frames.ts';

/**
 * A container's log lines written at or after `since`. The API's `since` takes whole (or
 * fractional) unix seconds; the lines come with `timestamps=1` and are filtered here by their
 * own nanosecond stamp, so a phase that began at .731 s does not see the line of .402 s.
 */
export async function logsSince(
  http: EngineHttp,
  containerId: string,
  since: Date,
  options: CallOptions & { readonly outputCap: number },
): Promise<EngineResult<string>> {
  const seconds = Math.floor(since.getTime() / 1000);
  const body = await http.bytes(
    {
      method: 'GET',
      path: `/containers/${encodeURIComponent(containerId)}/logs?stdout=1&stderr=1&timestamps=1&since=${seconds}`,
    },
    options,
  );
  if (!body.ok) return body;
  const demuxer = new FrameDemuxer(options.outputCap);
  demuxer.push(body.value);
  const { stdout, stderr } = demuxer.result();
  // Both streams are one log; interleave by stamp as `docker logs` does.
  const lines = [...stampedLines(stdout.toString('utf8')), ...stampedLines(stderr.toString('utf8'))]
    .filter((line) => compareStamp(line.stamp, since) >= 0)
    .sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0));
  return { ok: true, value: lines.map((l) => l.text).join('\n') };
}

export interface StampedLine {
  /** RFC 3339 with nanoseconds, UTC (`2026-12-07T01:02:03.123456789Z`). */
  readonly stamp: string;
  readonly text: string;
}

const STAMPED = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z) ?(.*)$/;

/** Lines that begin with docker's timestamp; anything else (a CLI's banner) is dropped. */
export function stampedLines(text: string): StampedLine[] {
  const lines: StampedLine[] = [];
  for (const line of text.split('\n')) {
    const match = STAMPED.exec(line.replace(/\r$/, ''));
    if (match) lines.push({ stamp: normalizeStamp(match[1]!), text: match[2]! });
  }
  return lines;
}

/** Nine fractional digits, so stamps compare as strings. */
function normalizeStamp(stamp: string): string {
  const [whole, fraction = ''] = stamp.slice(0, -1).split('.');
  return `${whole}.${fraction.padEnd(9, '0')}Z`;
}

export function compareStamp(stamp: string, at: Date): number {
  const ref = normalizeStamp(`${at.toISOString().slice(0, 23)}Z`);
  return stamp < ref ? -1 : stamp > ref ? 1 : 0;
}
