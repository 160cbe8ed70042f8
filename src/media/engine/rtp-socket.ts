// Sending on an endpoint's RTP socket. Once the endpoint has latched onto its peer, the socket
// is connect()ed to it: the kernel then drops packets from any other source for us, and each
// send skips Node's per-packet address lookup. Node loses what is sent while the connect is
// still in progress (one event-loop turn), so those few packets are skipped rather than queued.
import type { Socket } from 'node:dgram';

export class RtpSocket {
  private state: 'none' | 'connecting' | 'connected' = 'none';

  constructor(readonly socket: Socket) {}

  send(buffer: Buffer, length: number, remote: { address: string; port: number }): void {
    if (this.state === 'connected') this.socket.send(buffer, 0, length);
    else if (this.state === 'none') this.socket.send(buffer, 0, length, remote.port, remote.address);
  }

  connect(remote: { address: string; port: number }): void {
    this.state = 'connecting';
    this.socket.connect(remote.port, remote.address, () => {
      if (this.state === 'connecting') this.state = 'connected';
      else this.disconnect(true); // re-configured meanwhile: undo
    });
  }

  disconnect(force = false): void {
    if (this.state === 'none' && !force) return;
    try {
      this.socket.disconnect();
    } catch {
      // not connected yet: nothing to undo
    }
    this.state = 'none';
  }
}
