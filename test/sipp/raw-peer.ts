// Hand-driven SIP peers for the tests: requests written as a plain UDP/TCP peer writes them,
// raw senders and collectors, and a UDP peer that waits for what it expects.
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';

/** Sends one datagram from a fresh socket and collects what comes back for `waitMs`. */
export async function udpExchange(port: number, data: Buffer | string, waitMs = 300): Promise<string[]> {
  const socket = createSocket('udp4');
  const replies: string[] = [];
  socket.on('message', (msg) => replies.push(msg.toString('latin1')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  socket.send(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, port, '127.0.0.1');
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return replies;
}

/** Sends bytes on a fresh TCP connection, collects what comes back for `waitMs`, then closes. */
export async function tcpExchange(port: number, data: Buffer | string, waitMs = 300): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port });
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.end();
    setTimeout(() => {
      socket.destroy();
      resolve();
    }, 500);
  });
  return received;
}

/** Status codes of the responses in a byte stream or a list of datagrams. */
export function statuses(replies: string | string[]): number[] {
  const text = Array.isArray(replies) ? replies.join('') : replies;
  return [...text.matchAll(/(?:^|\r\n\r\n|\r\n(?=SIP\/2\.0))SIP\/2\.0 (\d{3})/g)].map((m) => Number(m[1]));
}

export interface RequestSpec {
  method: string;
  /** Request-URI; default sip:<user>@127.0.0.1:<serverPort>. */
  uri?: string;
  user?: string;
  serverPort: number;
  /** The sending peer's port (for Via and Contact). */
  port: number;
  transport?: 'UDP' | 'TCP';
  callId: string;
  branch: string;
  cseq: number;
  cseqMethod?: string;
  fromUser?: string;
  fromTag?: string;
  toTag?: string;
  body?: string;
  contentType?: string;
  headers?: string[];
}

/** A SIP request as a plain UDP/TCP peer would write it. */
export function sipRequest(spec: RequestSpec): string {
  const user = spec.user ?? '1000';
  const uri = spec.uri ?? `sip:${user}@127.0.0.1:${spec.serverPort}`;
  const transport = spec.transport ?? 'UDP';
  const body = spec.body ?? '';
  const lines = [
    `${spec.method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/${transport} 127.0.0.1:${spec.port};branch=${spec.branch};rport`,
    `From: "Raw Peer" <sip:${spec.fromUser ?? 'raw'}@127.0.0.1:${spec.port}>;tag=${spec.fromTag ?? 'rawtag'}`,
    `To: <sip:${user}@127.0.0.1:${spec.serverPort}>${spec.toTag ? `;tag=${spec.toTag}` : ''}`,
    `Call-ID: ${spec.callId}`,
    `CSeq: ${spec.cseq} ${spec.cseqMethod ?? spec.method}`,
    `Contact: <sip:raw@127.0.0.1:${spec.port}${transport === 'TCP' ? ';transport=tcp' : ''}>`,
    'Max-Forwards: 70',
    ...(spec.headers ?? []),
    ...(body ? [`Content-Type: ${spec.contentType ?? 'application/sdp'}`] : []),
    `Content-Length: ${Buffer.byteLength(body, 'latin1')}`,
    '',
    body,
  ];
  return lines.join('\r\n');
}

export function offerSdp(port: number, formats = '0 8 101', direction = 'sendrecv', version = 1): string {
  const maps: Record<string, string> = {
    '0': 'a=rtpmap:0 PCMU/8000',
    '8': 'a=rtpmap:8 PCMA/8000',
    '9': 'a=rtpmap:9 G722/8000',
    '18': 'a=rtpmap:18 G729/8000',
    '101': 'a=rtpmap:101 telephone-event/8000',
  };
  return [
    'v=0',
    `o=raw 1 ${version} IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP ${formats}`,
    ...formats.split(' ').map((f) => maps[f] ?? ''),
    `a=${direction}`,
    '',
  ]
    .filter((l, i, all) => l !== '' || i === all.length - 1)
    .join('\r\n');
}

/** A hand-driven SIP peer on a UDP socket: sends text, waits for what it expects. */
export class RawUdpPeer {
  private readonly received: string[] = [];
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly socket: Socket,
    readonly port: number,
    private readonly serverPort: number,
  ) {
    socket.on('message', (msg) => {
      this.received.push(msg.toString('latin1'));
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async open(serverPort: number): Promise<RawUdpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RawUdpPeer(socket, socket.address().port, serverPort);
  }

  send(text: string): void {
    this.socket.send(Buffer.from(text, 'latin1'), this.serverPort, '127.0.0.1');
  }

  /** Every message received so far. */
  get messages(): readonly string[] {
    return this.received;
  }

  /** Takes the first received message matching `pattern` (waiting up to `ms`). */
  async next(pattern: RegExp, ms = 3000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      const index = this.received.findIndex((m) => pattern.test(m));
      if (index >= 0) return this.received.splice(index, 1)[0]!;
      const left = until - Date.now();
      if (left <= 0)
        throw new Error(
          `no message matching ${pattern} within ${ms} ms; got:\n${this.received.map((m) => m.split('\r\n')[0]).join('\n')}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** The value of a header in a message's text. */
export function header(message: string, name: string): string | undefined {
  return new RegExp(`\\r\\n${name}[ \\t]*:[ \\t]*([^\\r\\n]*)`, 'i').exec(message)?.[1];
}

export function toTagOf(message: string): string | undefined {
  return /;tag=([^;\s>]+)/.exec(header(message, 'To') ?? '')?.[1];
}
