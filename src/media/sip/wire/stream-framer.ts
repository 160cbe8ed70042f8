// Cuts a TCP byte stream into SIP messages by Content-Length (RFC 3261 §18.3), with the RFC 5626
// keep-alives (CRLFCRLF ping, CRLF pong) and a size limit so a peer cannot make us buffer forever.
// Hand-written: sip.js only ships a WebSocket transport, where every frame is a whole message.

export type Frame =
  | { kind: 'message'; data: Buffer }
  /** A CRLFCRLF ping: answer with a CRLF pong. */
  | { kind: 'ping' }
  /** The stream cannot be framed any more; `head` is what we have of the offending message. */
  | { kind: 'error'; reason: 'too-large' | 'bad-content-length'; head: Buffer };

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

function contentLengthOf(head: string): number | 'bad' {
  let found: number | undefined;
  for (const line of head.split('\r\n')) {
    const match = /^(?:content-length|l)[ \t]*:(.*)$/i.exec(line);
    if (!match) continue;
    const text = match[1]!.trim();
    if (!/^\d{1,10}$/.test(text)) return 'bad';
    const value = Number(text);
    if (found !== undefined && found !== value) return 'bad';
    found = value;
  }
  // RFC 3261 §18.3 requires Content-Length on streams; without it we assume no body.
  return found ?? 0;
}

export class StreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private broken = false;

  constructor(private readonly maxMessageBytes: number) {}

  /** Bytes held waiting for the rest of a message. */
  get pending(): number {
    return this.buffer.length;
  }

  push(chunk: Buffer): Frame[] {
    if (this.broken) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
      if (frame.kind === 'error') {
        this.broken = true;
        this.buffer = Buffer.alloc(0);
        return frames;
      }
    }
  }

  private next(): Frame | null {
    while (this.buffer.subarray(0, 2).equals(CRLF)) {
      if (this.buffer.subarray(0, 4).equals(HEAD_END)) {
        this.buffer = this.buffer.subarray(4);
        return { kind: 'ping' };
      }
      if (this.buffer.length < 4 && HEAD_END.subarray(0, this.buffer.length).equals(this.buffer)) return null;
      this.buffer = this.buffer.subarray(2);
    }
    const headEnd = this.buffer.indexOf(HEAD_END);
    if (headEnd < 0) {
      if (this.buffer.length > this.maxMessageBytes) {
        return { kind: 'error', reason: 'too-large', head: this.buffer.subarray(0, this.maxMessageBytes) };
      }
      return null;
    }
    const head = this.buffer.subarray(0, headEnd + 4);
    const length = contentLengthOf(head.toString('latin1'));
    if (length === 'bad') return { kind: 'error', reason: 'bad-content-length', head };
    const total = headEnd + 4 + length;
    if (total > this.maxMessageBytes) return { kind: 'error', reason: 'too-large', head };
    if (this.buffer.length < total) return null;
    const data = this.buffer.subarray(0, total);
    this.buffer = this.buffer.subarray(total);
    return { kind: 'message', data };
  }
}
