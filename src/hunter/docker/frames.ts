/**
 * Docker multiplexes stdout and stderr of a container without a TTY into one stream of frames:
 * an 8-byte header (stream type, three zero bytes, big-endian payload length), then the payload.
 * Chunks from the socket cut frames anywhere, so the demuxer keeps the unfinished part.
 */
export interface Demuxed {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

const HEADER = 8;

export class FrameDemuxer {
  #pending: Buffer = Buffer.alloc(0);
  readonly #out: Buffer[] = [];
  readonly #err: Buffer[] = [];
  #outSize = 0;
  #errSize = 0;

  /** `cap`: bytes kept per stream; past it the oldest output is dropped (the tail is what a person reads). */
  constructor(private readonly cap = Number.POSITIVE_INFINITY) {}

  push(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    while (this.#pending.length >= HEADER) {
      const size = this.#pending.readUInt32BE(4);
      if (this.#pending.length < HEADER + size) return;
      const stream = this.#pending[0];
      const payload = this.#pending.subarray(HEADER, HEADER + size);
      this.#pending = this.#pending.subarray(HEADER + size);
      // 0 is stdin (never sent back); 1 stdout; 2 stderr; 3 is the daemon's own error text.
      if (stream === 2 || stream === 3) this.#errSize = keep(this.#err, payload, this.#errSize, this.cap);
      else this.#outSize = keep(this.#out, payload, this.#outSize, this.cap);
    }
  }

  /** What arrived; a frame cut off by the end of the stream is kept as stdout. */
  result(): Demuxed {
    const rest = this.#pending.length > HEADER ? this.#pending.subarray(HEADER) : Buffer.alloc(0);
    return { stdout: Buffer.concat([...this.#out, rest]), stderr: Buffer.concat(this.#err) };
  }
}

function keep(parts: Buffer[], payload: Buffer, size: number, cap: number): number {
  parts.push(Buffer.from(payload));
  let total = size + payload.length;
  while (total > cap && parts.length > 1) total -= parts.shift()!.length;
  return total;
}

/** One frame, as the daemon writes it (the simulator and the tests write frames too). */
export function frame(stream: 1 | 2, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(HEADER);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}
