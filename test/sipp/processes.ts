// Where the SIP tests' peers run, and the guarantee that none outlives the test process.
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeUdpPort } from '../helpers/ports.js';

export const workDir = mkdtempSync(path.join(tmpdir(), 'hotline-sip-test-'));

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Tracks a peer process until it exits, so a failing test cannot leave it running. */
export function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function udpPortsFree(first: number, count: number): Promise<boolean> {
  const sockets = Array.from({ length: count }, () => createSocket('udp4'));
  const bound = await Promise.all(
    sockets.map(
      (s, i) =>
        new Promise<boolean>((resolve) => {
          s.once('error', () => resolve(false));
          s.bind(first + i, '127.0.0.1', () => resolve(true));
        }),
    ),
  );
  await Promise.all(
    sockets.filter((_, i) => bound[i]).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
  return bound.every(Boolean);
}

/** The first port the kernel hands out for ephemeral sockets (every test's sockets land above it). */
function ephemeralLow(): number {
  try {
    return (
      Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768
    );
  } catch {
    return 32768;
  }
}

/**
 * A base port with the next `count` UDP ports free too (sipp's media uses port and port+2; a
 * media server wants a whole RTP range). Looked for below the ephemeral range, where only ports
 * picked on purpose live, so a range is rarely taken between this check and its use.
 */
export async function freeUdpRange(count: number): Promise<number> {
  const high = ephemeralLow() - count;
  for (let i = 0; i < 100; i++) {
    const base = 20_000 + Math.floor(Math.random() * Math.max(1, high - 20_000));
    if (await udpPortsFree(base, count)) return base;
  }
  for (let i = 0; i < 20; i++) {
    const base = await freeUdpPort();
    if (base + count < 65535 && (await udpPortsFree(base, count))) return base;
  }
  throw new Error(`no ${count} consecutive free UDP ports`);
}
