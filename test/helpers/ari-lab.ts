// Runs the ARI lab (../shared/ari-lab) against Hotline's embedded media server through
// scripts/conformance.mjs on free loopback ports, and reads what it found.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './cli.js';
import { freeSipPort, freeTcpPort } from './ports.js';
import { createServer } from 'node:net';
import { sharedDir } from '../../scripts/shared-dir.mjs';

export const labDir = path.resolve(process.env.HOTLINE_ARI_LAB ?? sharedDir('ari-lab'));
export const referenceDir = path.join(labDir, 'traces', 'asterisk-22');

export interface TraceLine {
  kind: 'request' | 'event' | 'note';
  type?: string;
  label?: string;
  status?: number;
  body?: unknown;
  text?: string;
}

export function readTrace(file: string): TraceLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TraceLine);
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ host: '127.0.0.1', port }, () => s.close(() => resolve(true)));
  });
}

/** A SIP port for baresip whose +1 (its TLS listener) and +1000 (ctrl_tcp, as run.mjs uses) are free too. */
export async function freeAgentPort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await freeSipPort();
    if (port + 1000 < 65536 && (await tcpFree(port + 1)) && (await tcpFree(port + 1000))) return port;
  }
  throw new Error('no free port for the baresip agent');
}

export interface ConformanceRun {
  code: number | null;
  output: string;
  out: string;
}

/**
 * scripts/conformance.mjs on free ports; `only` picks scenarios. A port found free can be taken
 * by another process before the lab's baresip binds it (it then exits with EADDRINUSE, 98): that
 * run is repeated once on fresh ports.
 */
export async function runConformance(out: string, only: string[]): Promise<ConformanceRun> {
  const run = await runConformanceOnce(out, only);
  if (!/did not register: exited 98\b/.test(run.output)) return run;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  return runConformanceOnce(out, only);
}

async function runConformanceOnce(out: string, only: string[]): Promise<ConformanceRun> {
  const ari = await freeTcpPort();
  const sip = await freeSipPort();
  const agent = await freeAgentPort();
  const args = [
    'scripts/conformance.mjs',
    '--ari',
    `http://127.0.0.1:${ari}`,
    '--sip',
    `127.0.0.1:${sip}`,
    '--agent-port',
    String(agent),
    '--out',
    out,
    '--only',
    only.join(','),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: projectRoot,
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output, out }));
  });
}

/** Runs compare.mjs on a subset of scenarios; returns its difference lines and totals. */
export function compare(
  out: string,
): Promise<{ lines: string[]; totals: Record<string, number>; code: number | null }> {
  return new Promise((resolve, reject) => {
    const names = readdirSync(out).filter((f) => f.endsWith('.jsonl'));
    const args = [path.join(labDir, 'compare.mjs'), referenceDir, out];
    const child = spawn(process.execPath, args);
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const all = text.split('\n');
      const totals = JSON.parse(all.filter((l) => l.startsWith('{')).pop() ?? '{}') as Record<string, number>;
      // Only scenarios that ran: compare.mjs lists the others as missing.
      const ran = new Set(names.map((n) => n.replace(/\.jsonl$/, '')));
      let current = '';
      let heading = '';
      let details = 0;
      const lines: string[] = [];
      for (const line of all) {
        const scenario = /^## ([^:]+):/.exec(line);
        if (scenario) current = scenario[1]!;
        if (scenario || !ran.has(current)) continue;
        if (line.startsWith('- ')) {
          heading = `${current}: ${line.slice(2)}`;
          details = 0;
          lines.push(heading);
        } else if (line.startsWith('    ') && heading) {
          // A difference's details follow on indented lines: one entry per detail.
          if (details++ === 0) lines.pop();
          lines.push(`${heading} ${line.trim()}`);
        }
      }
      resolve({ lines, totals, code });
    });
  });
}

const VALUE_KEYS = ['state', 'cause', 'dialstatus', 'digit', 'args'] as const;

function eventsByChannel(trace: TraceLine[]): Map<string, TraceLine[]> {
  const out = new Map<string, TraceLine[]>();
  for (const e of trace) {
    if (e.kind !== 'event' || e.type === 'ChannelVarset') continue;
    const b = e.body as Record<string, { id?: string; target_uri?: string } | undefined>;
    const who =
      b.channel?.id ?? b.peer?.id ?? b.playback?.target_uri ?? b.bridge?.id ?? b.recording?.target_uri ?? '?';
    out.set(who, [...(out.get(who) ?? []), e]);
  }
  return out;
}

function valuesOf(e: TraceLine): Record<string, unknown> {
  const b = e.body as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of VALUE_KEYS) if (k in b) out[k] = b[k];
  for (const inner of ['channel', 'peer', 'playback', 'recording', 'endpoint'] as const) {
    const o = b[inner] as Record<string, unknown> | undefined;
    if (o && 'state' in o) out[`${inner}.state`] = o.state;
  }
  return out;
}

/**
 * Values a controller branches on (state, cause, dialstatus, digit, args), event by event:
 * each channel's events are paired in order by type, and paired events must agree.
 */
export function eventValueDifferences(reference: TraceLine[], candidate: TraceLine[]): string[] {
  const diffs: string[] = [];
  const cand = eventsByChannel(candidate);
  for (const [who, refEvents] of eventsByChannel(reference)) {
    const theirs = [...(cand.get(who) ?? [])];
    for (const r of refEvents) {
      const at = theirs.findIndex((c) => c.type === r.type);
      if (at < 0) continue;
      const [c] = theirs.splice(0, at + 1).slice(-1);
      const rv = valuesOf(r);
      const cv = valuesOf(c!);
      for (const k of Object.keys(rv)) {
        if (JSON.stringify(rv[k]) !== JSON.stringify(cv[k]))
          diffs.push(`${who} ${r.type} ${k}: ${JSON.stringify(rv[k])} → ${JSON.stringify(cv[k])}`);
      }
    }
  }
  return diffs;
}
