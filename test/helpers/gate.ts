import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy that can hold traffic: while held, what clients send is kept back (never reaches
 * the server), so every call through it hangs; `release` forwards what was kept, in order.
 * A test uses it to freeze Redis or Slack for one process without touching anyone else's.
 */
export class Gate {
  #held = false;
  #heldBytes = 0;
  readonly #flushes: (() => void)[] = [];
  readonly #sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async open(targetPort: number, targetHost = '127.0.0.1'): Promise<Gate> {
    let gate: Gate | undefined;
    const server = createServer((client) => gate?.connect(client, targetPort, targetHost));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gate = new Gate(server, (server.address() as { port: number }).port);
    return gate;
  }

  /** Bytes clients sent since the last `hold` that the server has not seen. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  hold(): void {
    this.#held = true;
    this.#heldBytes = 0;
  }

  release(): void {
    this.#held = false;
    for (const flush of this.#flushes.splice(0)) flush();
  }

  async close(): Promise<void> {
    this.release();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private connect(client: Socket, port: number, host: string): void {
    const upstream = createConnection({ port, host });
    this.#sockets.add(client).add(upstream);
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      if (!this.#held) return void upstream.write(chunk);
      this.#heldBytes += chunk.length;
      this.#flushes.push(() => upstream.write(chunk));
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }
}
