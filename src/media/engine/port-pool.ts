// RTP/RTCP socket pairs from the configured range: RTP on an even port, RTCP on the next odd
// one (RFC 3550 §11). Next-fit allocation, so a port just freed is the last to be reused and a
// late packet from the previous call does not land in a new one.
import { createSocket, type Socket } from 'node:dgram';
import { MediaEngineError } from './errors.js';

export interface SocketPair {
  rtp: Socket;
  rtcp: Socket;
  port: number;
}

function bind(socket: Socket, address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onError = (): void => resolve(false);
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(true);
    });
  });
}

export class PortPool {
  private next: number;
  private readonly inUse = new Set<number>();
  private readonly first: number;
  private readonly last: number;

  constructor(min: number, max: number) {
    this.first = min % 2 === 0 ? min : min + 1;
    this.last = max % 2 === 0 ? max - 1 : max - 1;
    if (this.last < this.first + 1)
      throw new RangeError(`RTP port range ${min}-${max} holds no even/odd pair`);
    this.next = this.first;
  }

  /** Sockets open now (RTP and RTCP count separately). */
  get openSockets(): number {
    return this.inUse.size * 2;
  }

  async allocate(address: string): Promise<SocketPair> {
    const pairs = (this.last + 1 - this.first) / 2;
    for (let attempt = 0; attempt < pairs; attempt++) {
      const port = this.next;
      this.next = port + 2 > this.last ? this.first : port + 2;
      if (this.inUse.has(port)) continue;
      this.inUse.add(port);
      const rtp = createSocket({ type: 'udp4', reuseAddr: false });
      const rtcp = createSocket({ type: 'udp4', reuseAddr: false });
      if ((await bind(rtp, address, port)) && (await bind(rtcp, address, port + 1)))
        return { rtp, rtcp, port };
      this.inUse.delete(port);
      await Promise.all([closeQuietly(rtp), closeQuietly(rtcp)]);
    }
    throw new MediaEngineError(
      'NO_PORTS',
      `no free RTP port pair in ${this.first}-${this.last + 1} on ${address}: widen HOTLINE_MEDIA_RTP_PORT_MIN/_MAX`,
    );
  }

  async release(pair: SocketPair): Promise<void> {
    await Promise.all([closeQuietly(pair.rtp), closeQuietly(pair.rtcp)]);
    this.inUse.delete(pair.port);
  }
}

function closeQuietly(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // never bound, or already closed
    }
  });
}
