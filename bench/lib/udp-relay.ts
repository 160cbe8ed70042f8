// The ceiling for media benchmarks: the least a Node process can do to carry a two-party call —
// two UDP sockets per call, each packet forwarded as it is to the other leg's peer (latched
// from the first packet), no parsing, no header rewrite. Run as a child process.
import { createSocket, type Socket } from 'node:dgram';
import { serveRequests } from './child.js';

interface RelayLeg {
  socket: Socket;
  peer: { address: string; port: number } | null;
}

export class UdpRelay {
  private legs: RelayLeg[] = [];

  /** Opens `calls` pairs of sockets; returns [portA, portB] per call. */
  async open(calls: number): Promise<[number, number][]> {
    const ports: [number, number][] = [];
    for (let i = 0; i < calls; i++) {
      const a: RelayLeg = { socket: createSocket('udp4'), peer: null };
      const b: RelayLeg = { socket: createSocket('udp4'), peer: null };
      for (const [leg, other] of [
        [a, b],
        [b, a],
      ] as const) {
        leg.socket.on('message', (msg, rinfo) => {
          leg.peer ??= { address: rinfo.address, port: rinfo.port };
          if (other.peer) other.socket.send(msg, other.peer.port, other.peer.address);
        });
      }
      await Promise.all(
        [a, b].map((l) => new Promise<void>((resolve) => l.socket.bind(0, '127.0.0.1', resolve))),
      );
      this.legs.push(a, b);
      ports.push([a.socket.address().port, b.socket.address().port]);
    }
    return ports;
  }

  close(): void {
    for (const leg of this.legs) leg.socket.close();
    this.legs = [];
  }
}

if (process.send && process.argv[1]?.endsWith('udp-relay.ts')) {
  const relay = new UdpRelay();
  let cpuStart = process.cpuUsage();
  let wallStart = performance.now();
  serveRequests((command) => {
    if (command.cmd === 'open') return relay.open(command.calls as number);
    if (command.cmd === 'cpu-start') {
      cpuStart = process.cpuUsage();
      wallStart = performance.now();
      return Promise.resolve(null);
    }
    if (command.cmd === 'cpu') {
      const cpu = process.cpuUsage(cpuStart);
      return Promise.resolve(((cpu.user + cpu.system) / 1000 / (performance.now() - wallStart)) * 100);
    }
    relay.close();
    return Promise.resolve(null);
  });
}
