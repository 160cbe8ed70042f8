// What the transport layer below sip.js deals in: flows (where a message came from, or goes to)
// and listeners (one per transport). sip.js's own transport is a browser WebSocket client, so the
// Node UDP and TCP listeners are ours. A WebSocket listener (the console's softphone) will be a
// third Listener of kind 'ws': the hub routes by flow and never looks inside a listener.

export type TransportKind = 'udp' | 'tcp';

export interface Flow {
  transport: TransportKind;
  address: string;
  port: number;
  /** The connection a stream flow belongs to; absent means "any connection to address:port, or a new one". */
  connection?: number;
}

export type PacketHandler = (data: Buffer, flow: Flow) => void;

export interface Listener {
  readonly kind: TransportKind;
  /** The port actually bound. */
  readonly port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sends one whole message; rejects with a TransportError when it cannot. */
  send(flow: Flow, data: Buffer): Promise<void>;
  /** Open connections (0 for datagram listeners). */
  connectionCount(): number;
  /** The connection open to address:port, if any (stream listeners). */
  connectionTo(address: string, port: number): number | undefined;
  /** Whether a connection is still open (stream listeners). */
  isOpen(connection: number | undefined): boolean;
  /** Keeps the flow's connection open while something (a registration, a call) relies on it. */
  hold(flow: Flow): () => void;
}

export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

export const flowKey = (address: string, port: number) => `${address}|${port}`;

/** A datagram that is only a keep-alive (CRLFs, NULs, "jak"), not a message. */
export function isKeepAlive(data: Buffer): boolean {
  if (data.length <= 4 && data.every((b) => b === 0x0d || b === 0x0a || b === 0x00 || b === 0x20))
    return true;
  return data.length <= 8 && /^jak\0?$/.test(data.toString('latin1'));
}
