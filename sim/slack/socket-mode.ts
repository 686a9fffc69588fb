import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { opaqueToken } from './ids.ts';
import {
  type BlockActionsInput,
  blockActionsPayload,
  type EventEnvelopeInput,
  eventCallback,
  type SlashCommandInput,
  slashCommandFields,
  type ViewSubmissionInput,
  viewSubmissionPayload,
} from './payloads.ts';

/**
 * A stand-in for Slack's Socket Mode endpoint. @slack/socket-mode 3.x connects with undici's
 * WebSocket, which takes `ws://` as readily as `wss://`, so this serves plain ws on loopback.
 * Each URL carries a one-use ticket, as Slack's do: a client must call apps.connections.open
 * again for every (re)connection.
 */

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: Record<string, unknown>;
}

export interface SendOptions {
  /** How long to wait for an open connection and then for the ack; default 5000 ms. */
  readonly timeoutMs?: number;
}

interface PendingAck {
  readonly resolve: (ack: SocketAck) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class FakeSocketMode {
  /** `ws://127.0.0.1:PORT` */
  readonly origin: string;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly open = new Set<WebSocket>();
  private readonly pending = new Map<string, PendingAck>();
  private readonly ackLog: SocketAck[] = [];
  private connectionsEver = 0;

  constructor(
    private readonly server: Server,
    readonly appId: string,
  ) {
    this.origin = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
  }

  /** What apps.connections.open returns: a fresh one-use URL. */
  issueConnectionUrl(): string {
    const ticket = opaqueToken(16);
    this.tickets.add(ticket);
    return `${this.origin}/link/?ticket=${ticket}&app_id=${this.appId}`;
  }

  get openConnections(): number {
    return this.open.size;
  }

  /** Connections accepted since start (reconnections count again). */
  get connectionCount(): number {
    return this.connectionsEver;
  }

  acks(): readonly SocketAck[] {
    return [...this.ackLog];
  }

  sendSlashCommand(input: SlashCommandInput, options?: SendOptions): Promise<SocketAck> {
    return this.sendEnvelope('slash_commands', slashCommandFields(input), {
      ...options,
      acceptsResponsePayload: true,
    });
  }

  sendBlockActions(input: BlockActionsInput, options?: SendOptions): Promise<SocketAck> {
    return this.sendEnvelope('interactive', blockActionsPayload(input), {
      ...options,
      acceptsResponsePayload: false,
    });
  }

  /** A modal submitted; the ack may carry a `response_action` (errors, clear), as Slack allows. */
  sendViewSubmission(input: ViewSubmissionInput, options?: SendOptions): Promise<SocketAck> {
    return this.sendEnvelope('interactive', viewSubmissionPayload(input), {
      ...options,
      acceptsResponsePayload: true,
    });
  }

  sendEvent(
    event: Record<string, unknown>,
    envelope: EventEnvelopeInput,
    options?: SendOptions,
  ): Promise<SocketAck> {
    return this.sendEnvelope('events_api', eventCallback(event, envelope), {
      ...options,
      acceptsResponsePayload: false,
    });
  }

  /** Sends one envelope to the newest open connection and resolves with the client's ack. */
  async sendEnvelope(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: SendOptions & { acceptsResponsePayload: boolean },
  ): Promise<SocketAck> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const deadline = Date.now() + timeoutMs;
    const socket = await this.newestConnection(deadline);
    const envelopeId = randomUUID();
    const acked = new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.pending.delete(envelopeId);
          reject(new Error(`fake Socket Mode: no ack for ${type} envelope within ${timeoutMs} ms`));
        },
        Math.max(1, deadline - Date.now()),
      );
      this.pending.set(envelopeId, { resolve, reject, timer });
    });
    const extra = type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {};
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        accepts_response_payload: options.acceptsResponsePayload,
        payload,
        ...extra,
      }),
    );
    return acked;
  }

  /** Slack's "please reconnect" (`refresh_requested` before a pod recycles, `warning` ~10 s earlier). */
  requestRefresh(reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested'): void {
    const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } });
    for (const socket of this.open) socket.send(message);
  }

  /** Cuts every connection without a close handshake, as a network failure would. */
  dropConnections(): void {
    for (const socket of this.open) socket.terminate();
  }

  close(): Promise<void> {
    for (const socket of this.open) socket.terminate();
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error('fake Socket Mode closed'));
      this.pending.delete(id);
    }
    this.wss.close();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.origin.replace('ws:', 'http:'));
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(socket: WebSocket): void {
    this.connectionsEver += 1;
    this.open.add(socket);
    socket.on('close', () => this.open.delete(socket));
    socket.on('error', () => this.open.delete(socket));
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onClientMessage(data.toString());
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.size,
        debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
  }

  private onClientMessage(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { envelope_id: envelopeId, payload } = message as { envelope_id?: unknown; payload?: unknown };
    if (typeof envelopeId !== 'string') return;
    const ack: SocketAck =
      typeof payload === 'object' && payload !== null
        ? { envelope_id: envelopeId, payload: payload as Record<string, unknown> }
        : { envelope_id: envelopeId };
    this.ackLog.push(ack);
    const pending = this.pending.get(envelopeId);
    if (pending === undefined) return;
    this.pending.delete(envelopeId);
    clearTimeout(pending.timer);
    pending.resolve(ack);
  }

  /** Polls for an open connection until the deadline: the client may be between reconnects. */
  private async newestConnection(deadline: number): Promise<WebSocket> {
    for (;;) {
      const sockets = [...this.open].filter((socket) => socket.readyState === socket.OPEN);
      const newest = sockets.at(-1);
      if (newest !== undefined) return newest;
      if (Date.now() > deadline) throw new Error('fake Socket Mode: no client connected');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** Starts the stand-in on 127.0.0.1, port 0; attach it with FakeSlackApi.attachSocketMode(). */
export async function startFakeSocketMode(options: { appId?: string } = {}): Promise<FakeSocketMode> {
  const server = createServer((_req, res) => {
    res.writeHead(426, { connection: 'close' });
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return new FakeSocketMode(server, options.appId ?? 'A0FAKEAPP01');
}
