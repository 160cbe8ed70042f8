// The unreliable-transport half of RFC 3261 §17 transactions, for UDP. sip.js's transactions
// were written for WebSocket: they have no timers A, E and G (their timerG() is empty) and set
// D, I, J and K to zero, so over UDP nothing would be retransmitted and every retransmission we
// receive after a final response would be taken for a new request (a second BYE, a second DTMF
// digit). This layer sits between sip.js and the UDP socket, keyed by branch:
//   A/E  retransmit our requests until a response arrives (B/F: give up after 64·T1);
//   G/H  retransmit a non-2xx final response to an INVITE until its ACK (or 64·T1);
//   J    answer a retransmitted non-INVITE request from the final response already sent;
//   D    re-send our ACK when a final response to our INVITE is retransmitted.
// (2xx to INVITE is retransmitted by sip.js's dialog until the ACK, on every transport.)
import type { Flow } from './flow.js';
import { flowKey } from './flow.js';

export interface SipTimers {
  /** RTT estimate (RFC 3261 default 500 ms). Timers B, D, F, H, J, L, M are 64·T1. */
  t1: number;
  /** Longest retransmission interval for non-INVITE requests and INVITE responses (4 s). */
  t2: number;
  /** Longest time a message stays in the network (5 s). */
  t4: number;
}

export type Outgoing =
  | { kind: 'request'; method: string; branch: string }
  | { kind: 'response'; status: number; method: string; branch: string };

interface Retransmission {
  timer: NodeJS.Timeout;
  data: Buffer;
  flow: Flow;
  /** When the transaction gives up (64·T1 after the first send). */
  deadline: number;
}

export class UdpReliability {
  /** Timers A and E, by branch + method. */
  private readonly requests = new Map<string, Retransmission>();
  /** Timer G, by branch + peer. */
  private readonly responses = new Map<string, Retransmission>();
  /** Timer J: final responses to non-INVITE requests, by branch + method + peer. */
  private readonly finals = new Map<string, Retransmission>();
  /** Timer D: ACKs we sent, by branch. */
  private readonly acks = new Map<string, Retransmission>();

  constructor(
    private readonly timers: SipTimers,
    private readonly resend: (data: Buffer, flow: Flow) => void,
  ) {}

  /** Entries in flight, counted with the transactions. */
  get size(): number {
    return this.requests.size + this.responses.size + this.finals.size + this.acks.size;
  }

  clear(): void {
    for (const map of [this.requests, this.responses, this.finals, this.acks]) {
      for (const entry of map.values()) clearTimeout(entry.timer);
      map.clear();
    }
  }

  /** Something sip.js sent over UDP. */
  sent(message: Outgoing, data: Buffer, flow: Flow): void {
    if (message.kind === 'request') {
      if (message.method === 'ACK') this.hold(this.acks, message.branch, data, flow);
      else this.retransmitRequest(message, data, flow);
      return;
    }
    if (message.status < 200) return;
    const peer = flowKey(flow.address, flow.port);
    if (message.method === 'INVITE') {
      if (message.status >= 300) this.retransmitResponse(`${message.branch}|${peer}`, data, flow);
      return;
    }
    this.hold(this.finals, `${message.branch}|${message.method}|${peer}`, data, flow);
  }

  /** A request arrived; true when it was a retransmission answered here. */
  absorbRequest(method: string, branch: string | undefined, flow: Flow): boolean {
    if (!branch) return false;
    const peer = flowKey(flow.address, flow.port);
    if (method === 'ACK') {
      this.stop(this.responses, `${branch}|${peer}`);
      return false;
    }
    if (method === 'INVITE') return false;
    const final = this.finals.get(`${branch}|${method}|${peer}`);
    if (!final) return false;
    this.resend(final.data, final.flow);
    return true;
  }

  /** A response arrived; true when it was a retransmitted final response answered here. */
  absorbResponse(status: number, method: string, branch: string | undefined): boolean {
    if (!branch) return false;
    const key = `${branch}|${method}`;
    const pending = this.requests.get(key);
    if (pending && (method === 'INVITE' || status >= 200)) this.stop(this.requests, key);
    else if (pending) this.slowDown(key, pending);
    if (method !== 'INVITE' || status < 300 || pending) return false;
    const ack = this.acks.get(branch);
    if (!ack) return false;
    this.resend(ack.data, ack.flow);
    return true;
  }

  private get lifetime(): number {
    return 64 * this.timers.t1;
  }

  private retransmitRequest(message: Extract<Outgoing, { kind: 'request' }>, data: Buffer, flow: Flow): void {
    const key = `${message.branch}|${message.method}`;
    if (this.requests.has(key)) return;
    // Timer A doubles without bound for INVITE; Timer E stops doubling at T2.
    const cap = message.method === 'INVITE' ? Infinity : this.timers.t2;
    this.schedule(this.requests, key, data, flow, this.timers.t1, cap);
  }

  private retransmitResponse(key: string, data: Buffer, flow: Flow): void {
    if (this.responses.has(key)) return;
    this.schedule(this.responses, key, data, flow, this.timers.t1, this.timers.t2);
  }

  private schedule(
    map: Map<string, Retransmission>,
    key: string,
    data: Buffer,
    flow: Flow,
    first: number,
    cap: number,
  ): void {
    const deadline = Date.now() + this.lifetime;
    let interval = first;
    const fire = () => {
      const entry = map.get(key);
      if (!entry) return;
      this.resend(entry.data, entry.flow);
      interval = Math.min(interval * 2, cap);
      this.next(map, key, entry, interval, fire);
    };
    map.set(key, { timer: setTimeout(fire, interval), data, flow, deadline });
  }

  /** Arms the next retransmission, or the end of the transaction if that comes first. */
  private next(
    map: Map<string, Retransmission>,
    key: string,
    entry: Retransmission,
    interval: number,
    fire: () => void,
  ): void {
    const left = entry.deadline - Date.now();
    if (left <= interval) {
      entry.timer = setTimeout(() => map.delete(key), Math.max(0, left));
      return;
    }
    entry.timer = setTimeout(fire, interval);
  }

  /** Timer E after a provisional response: keep retransmitting, every T2. */
  private slowDown(key: string, entry: Retransmission): void {
    clearTimeout(entry.timer);
    const fire = () => {
      if (this.requests.get(key) !== entry) return;
      this.resend(entry.data, entry.flow);
      this.next(this.requests, key, entry, this.timers.t2, fire);
    };
    this.next(this.requests, key, entry, this.timers.t2, fire);
  }

  private hold(map: Map<string, Retransmission>, key: string, data: Buffer, flow: Flow): void {
    const existing = map.get(key);
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => map.delete(key), this.lifetime);
    map.set(key, { timer, data, flow, deadline: Date.now() + this.lifetime });
  }

  private stop(map: Map<string, Retransmission>, key: string): void {
    const entry = map.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    map.delete(key);
  }
}
