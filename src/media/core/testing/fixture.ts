// A core over the fakes of our SIP and engine contracts, with an application connected whose
// events are recorded, for unit tests of the core's logic.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../../logger.js';
import { MediaCore } from '../core.js';
import { Dialplan, dialplanSchema } from '../dialplan.js';
import { startCore, stopCore } from '../lifecycle.js';
import { FakeEngine } from './fake-engine.js';
import { FakeSipServer } from './fake-sip.js';

export type RecordedEvent = { type: string } & Record<string, unknown>;

export interface CoreFixture {
  core: MediaCore;
  sip: FakeSipServer;
  engine: FakeEngine;
  events: RecordedEvent[];
  dir: string;
  /** Event types about one channel (channel, peer, or playback target), in order. */
  typesFor(channelId: string): string[];
  /** Resolves at the first recorded (or later) event matching. */
  waitFor(pred: (e: RecordedEvent) => boolean): Promise<RecordedEvent>;
  close(): Promise<void>;
}

export const TEST_DIALPLAN = {
  routes: [
    { trunk: '*', context: 'from-trunk' },
    { endpoint: '*', context: 'from-agent' },
    { address: '127.0.0.1', name: 'caller', context: 'from-caller' },
  ],
  contexts: {
    'from-caller': [{ exten: '_X.', app: 'hotline', args: ['${EXTEN}'], priority: 2 }],
    'from-trunk': [{ exten: '4008001234', app: 'hotline', args: ['${EXTEN}', 'trunk'] }],
    'from-agent': [{ exten: '_X.', app: 'other-app' }],
  },
};

export function coreFixture(options: { maxCalls?: number; app?: string } = {}): Promise<CoreFixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hotline-core-'));
  const sounds = path.join(dir, 'sounds');
  for (const f of [
    'en/hello-world.wav',
    'en/demo-congrats.wav',
    'en/digits/1.wav',
    'en/digits/2.wav',
    'en/digits/hundred.wav',
    'zh/hello-world.wav',
  ]) {
    mkdirSync(path.dirname(path.join(sounds, f)), { recursive: true });
    writeFileSync(path.join(sounds, f), 'RIFF');
  }
  mkdirSync(path.join(dir, 'moh'));
  writeFileSync(path.join(dir, 'moh', 'song.wav'), 'RIFF');
  const sip = new FakeSipServer([
    { name: 'agent1', kind: 'endpoint', state: 'online', contacts: ['sip:agent1@127.0.0.1:5090'] },
    { name: 'agent2', kind: 'endpoint', state: 'offline', contacts: [] },
    { name: 'carrier', kind: 'trunk', state: 'unknown', contacts: [] },
  ]);
  const engine = new FakeEngine();
  const core = new MediaCore(
    sip,
    engine,
    new Dialplan(dialplanSchema.parse(TEST_DIALPLAN)),
    {
      bindAddress: '127.0.0.1',
      maxCalls: options.maxCalls ?? 10,
      soundsDirs: [sounds],
      mohClasses: { default: path.join(dir, 'moh') },
      recordingsDir: path.join(dir, 'recordings'),
      defaultLanguage: 'en',
      asteriskId: '02:00:00:00:00:01',
      defaultDialTimeoutS: 30,
    },
    silentLogger,
  );
  startCore(core);
  const events: RecordedEvent[] = [];
  const waiters: { pred: (e: RecordedEvent) => boolean; resolve: (e: RecordedEvent) => void }[] = [];
  core.apps.connect(
    [options.app ?? 'hotline'],
    {
      send(event) {
        const e = event as RecordedEvent;
        events.push(e);
        for (const w of [...waiters]) {
          if (w.pred(e)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(e);
          }
        }
      },
    },
    false,
  );
  const about = (e: RecordedEvent): string | undefined => {
    const pick = (k: string) => e[k] as { id?: string; target_uri?: string } | undefined;
    return pick('channel')?.id ?? pick('peer')?.id ?? pick('playback')?.target_uri?.replace(/^channel:/, '');
  };
  return Promise.resolve({
    core,
    sip,
    engine,
    events,
    dir,
    typesFor: (id) => events.filter((e) => about(e) === id).map((e) => e.type),
    waitFor(pred) {
      const seen = events.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    async close() {
      await stopCore(core);
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** Lets queued microtasks and promise chains run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}
