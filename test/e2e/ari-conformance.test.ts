// ARI conformance (issue 9): the lab's scenarios, driven by real sipp callers and a real baresip
// agent, run against the embedded media server, and their traces are compared with what a real
// Asterisk 22.10.1 did (../shared/ari-lab/traces/asterisk-22).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compare,
  eventValueDifferences,
  labDir,
  readTrace,
  referenceDir,
  runConformance,
} from '../helpers/ari-lab.js';

// Two groups on their own ports, run side by side. The agent phone registers only for a group
// with agent scenarios, so bad-requests (which lists the agent as online) goes with those.
const GROUPS = [
  ['answer-play-dtmf', 'caller-hangs-up-during-playback', 'ring-variables-hold-moh', 'record-caller'],
  ['bridge-caller-with-agent', 'create-then-dial-agent', 'snoop-to-external-media', 'bad-requests'],
];

describe.concurrent('the embedded media server against Asterisk 22 (ari-lab)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const group of GROUPS) {
    it(`behaves as Asterisk in ${group.join(', ')}`, { timeout: 240_000 }, async () => {
      // The lab lives beside the repository (../shared/ari-lab) or where HOTLINE_ARI_LAB says.
      expect(existsSync(path.join(labDir, 'run.mjs')), `no ARI lab at ${labDir}: set HOTLINE_ARI_LAB`).toBe(
        true,
      );
      const out = mkdtempSync(path.join(os.tmpdir(), 'hotline-lab-'));
      dirs.push(out);
      const run = await runConformance(out, group);
      const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
        scenarios: { name: string; ok: boolean; error: string | null }[];
      };
      // Every scenario completed, its sipp callers ended as scripted, nothing was left behind.
      expect(
        summary.scenarios.filter((s) => !s.ok),
        run.output,
      ).toEqual([]);
      expect(summary.scenarios.map((s) => s.name).sort()).toEqual(['authentication', ...group].sort());

      const { lines } = await compare(out);
      const serious = lines.filter((l) => !l.endsWith('[minor]') && !l.includes('[order]'));
      // No status code differs (a clear 4xx where Asterisk says 500 is accepted by compare.mjs),
      // no field is missing or of another type, no event type is never sent, and what the
      // transcriber received (RTP PT 0, 160-byte payloads, one SSRC, >= 100 packets) is the same.
      expect(serious).toEqual([]);

      for (const name of group) {
        const ref = readTrace(path.join(referenceDir, `${name}.jsonl`));
        const cand = readTrace(path.join(out, `${name}.jsonl`));
        expect(eventValueDifferences(ref, cand), name).toEqual([]);
      }
    });
  }
});
