// The SIP UDP listener: one socket that receives requests and responses and sends both.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Logger } from 'pino';
import { TransportError, isKeepAlive, type Flow, type Listener, type PacketHandler } from './flow.js';

export class UdpListener implements Listener {
  readonly kind = 'udp' as const;
  private socket: Socket | null = null;
  private boundPort = 0;

  constructor(
    private readonly bindAddress: string,
    private readonly requestedPort: number,
    private readonly onPacket: PacketHandler,
    private readonly log: Logger,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    const socket = createSocket({
      type: isIPv6(this.bindAddress) ? 'udp6' : 'udp4',
      recvBufferSize: 4 << 20,
    });
    socket.on('message', (data, rinfo) => {
      if (isKeepAlive(data)) return;
      this.onPacket(data, { transport: 'udp', address: rinfo.address, port: rinfo.port });
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: this.bindAddress, port: this.requestedPort }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // After binding, a socket error (e.g. an ICMP report on some systems) must not crash the process.
    socket.on('error', (err) => this.log.warn({ err }, 'SIP UDP socket error'));
    this.boundPort = socket.address().port;
    this.socket = socket;
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  send(flow: Flow, data: Buffer): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new TransportError('SIP UDP listener is not running'));
    return new Promise((resolve, reject) => {
      socket.send(data, flow.port, flow.address, (err) => {
        if (err)
          reject(new TransportError(`UDP send to ${flow.address}:${flow.port} failed: ${err.message}`));
        else resolve();
      });
    });
  }

  connectionCount(): number {
    return 0;
  }

  connectionTo(): number | undefined {
    return undefined;
  }

  isOpen(): boolean {
    return false;
  }

  hold(): () => void {
    return () => {};
  }
}
