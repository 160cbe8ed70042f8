// The SIP TCP listener: accepts connections, opens them to peers that have none, frames each
// stream by Content-Length, reuses a connection for everything to and from its peer
// (RFC 3261 §18), and closes connections that idle with nothing relying on them.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { StreamFramer, type Frame } from '../wire/stream-framer.js';
import { TransportError, flowKey, type Flow, type Listener, type PacketHandler } from './flow.js';

export interface TcpLimits {
  maxConnections: number;
  maxMessageBytes: number;
  /** An unheld connection silent this long is closed. */
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  /** Bytes queued for a peer that does not read before we give up on it. */
  maxQueuedBytes: number;
}

/** Called when a stream cannot be framed any more, before the connection closes. */
export type FramingErrorHandler = (frame: Extract<Frame, { kind: 'error' }>, flow: Flow) => Buffer | null;

interface Connection {
  id: number;
  socket: Socket;
  key: string;
  flow: Flow;
  framer: StreamFramer;
  lastActivity: number;
  holds: number;
  ready: Promise<void>;
  closing?: Promise<void>;
}

export class TcpListener implements Listener {
  readonly kind = 'tcp' as const;
  private server: Server | null = null;
  private boundPort = 0;
  private nextId = 1;
  private readonly connections = new Map<number, Connection>();
  private readonly byPeer = new Map<string, number>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly bindAddress: string,
    private readonly requestedPort: number,
    private readonly limits: TcpLimits,
    private readonly onPacket: PacketHandler,
    private readonly onFramingError: FramingErrorHandler,
    private readonly log: Logger,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    server.maxConnections = this.limits.maxConnections;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.bindAddress, port: this.requestedPort }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.log.warn({ err }, 'SIP TCP listener error'));
    this.boundPort = (server.address() as { port: number }).port;
    this.server = server;
    const every = Math.max(50, Math.min(this.limits.idleTimeoutMs / 4, 10_000));
    this.sweeper = setInterval(() => this.closeIdle(), every);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    const server = this.server;
    this.server = null;
    const closing = [...this.connections.values()].map((c) => this.close(c));
    await Promise.all(closing);
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  connectionCount(): number {
    return this.connections.size;
  }

  connectionTo(address: string, port: number): number | undefined {
    return this.byPeer.get(flowKey(address, port));
  }

  isOpen(connection: number | undefined): boolean {
    const c = connection === undefined ? undefined : this.connections.get(connection);
    return !!c && !c.socket.destroyed;
  }

  hold(flow: Flow): () => void {
    const connection = flow.connection === undefined ? undefined : this.connections.get(flow.connection);
    if (!connection) return () => {};
    connection.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      connection.holds--;
      connection.lastActivity = Date.now();
    };
  }

  async send(flow: Flow, data: Buffer): Promise<void> {
    if (!this.server) throw new TransportError('SIP TCP listener is not running');
    const connection = this.find(flow) ?? this.open(flow);
    await connection.ready;
    if (connection.socket.destroyed)
      throw new TransportError(`TCP connection to ${connection.key} is closed`);
    if (connection.socket.writableLength > this.limits.maxQueuedBytes) {
      connection.socket.destroy();
      throw new TransportError(`TCP peer ${connection.key} is not reading; connection dropped`);
    }
    connection.lastActivity = Date.now();
    connection.socket.write(data);
  }

  private find(flow: Flow): Connection | undefined {
    const byId = flow.connection === undefined ? undefined : this.connections.get(flow.connection);
    if (byId && !byId.socket.destroyed) return byId;
    const id = this.byPeer.get(flowKey(flow.address, flow.port));
    return id === undefined ? undefined : this.connections.get(id);
  }

  private accept(socket: Socket): void {
    if (!socket.remoteAddress || socket.remotePort === undefined) {
      socket.destroy();
      return;
    }
    this.track(socket, socket.remoteAddress, socket.remotePort, Promise.resolve());
  }

  private open(flow: Flow): Connection {
    if (this.connections.size >= this.limits.maxConnections) {
      throw new TransportError(`too many SIP TCP connections (${this.limits.maxConnections})`);
    }
    const socket = connect({ host: flow.address, port: flow.port, noDelay: true });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TransportError(`TCP connect to ${flow.address}:${flow.port} timed out`));
      }, this.limits.connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new TransportError(`TCP connect to ${flow.address}:${flow.port} failed: ${err.message}`));
      });
    });
    // The connection is known by the peer's address and port, which is what Vias and flows name.
    return this.track(socket, flow.address, flow.port, ready);
  }

  private track(socket: Socket, address: string, port: number, ready: Promise<void>): Connection {
    const id = this.nextId++;
    const key = flowKey(address, port);
    const connection: Connection = {
      id,
      socket,
      key,
      flow: { transport: 'tcp', address, port, connection: id },
      framer: new StreamFramer(this.limits.maxMessageBytes),
      lastActivity: Date.now(),
      holds: 0,
      ready,
    };
    ready.catch(() => {});
    this.connections.set(id, connection);
    this.byPeer.set(key, id);
    socket.on('data', (chunk: Buffer) => this.receive(connection, chunk));
    socket.on('end', () => socket.end());
    socket.on('error', (err) => this.log.debug({ err, peer: key }, 'SIP TCP connection error'));
    socket.on('close', () => this.forget(connection));
    return connection;
  }

  private receive(connection: Connection, chunk: Buffer): void {
    connection.lastActivity = Date.now();
    for (const frame of connection.framer.push(chunk)) {
      if (frame.kind === 'message') this.onPacket(frame.data, connection.flow);
      else if (frame.kind === 'ping') connection.socket.write('\r\n');
      else {
        this.log.info(
          { peer: connection.key, reason: frame.reason },
          'closing SIP TCP connection: stream cannot be framed',
        );
        const reply = this.onFramingError(frame, connection.flow);
        if (reply) connection.socket.write(reply);
        void this.close(connection);
      }
    }
  }

  private forget(connection: Connection): void {
    this.connections.delete(connection.id);
    if (this.byPeer.get(connection.key) === connection.id) this.byPeer.delete(connection.key);
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const connection of this.connections.values()) {
      // A held connection stays open while silent, but not with half a message stuck in it.
      if (connection.holds > 0 && connection.framer.pending === 0) continue;
      if (now - connection.lastActivity >= this.limits.idleTimeoutMs) void this.close(connection);
    }
  }

  private close(connection: Connection): Promise<void> {
    if (connection.socket.destroyed) return Promise.resolve();
    connection.closing ??= new Promise((resolve) => {
      const timer = setTimeout(() => connection.socket.destroy(), 1000);
      connection.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      connection.socket.end();
    });
    return connection.closing;
  }
}
