// Where the SIP tests' peers run, and the guarantee that none outlives the test process.
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
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
  for (let p = first; p < first + count; p++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(p, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (!ok) return false;
  }
  return true;
}

/** A base port with the next `count` UDP ports free too (sipp's media uses port and port+2). */
export async function freeUdpRange(count: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const base = await freeUdpPort();
    if (base + count < 65535 && (await udpPortsFree(base, count))) return base;
  }
  throw new Error(`no ${count} consecutive free UDP ports`);
}
