// The worker thread's side: one LocalMediaEngine, driven by messages from WorkerMediaEngine.
// RTP sockets live here, so the caller's event loop (SIP, ARI, the controller) never delays a
// packet and the engine gets a core of its own.
import { parentPort, workerData } from 'node:worker_threads';
import type { MediaEngineOptions } from './contract.js';
import { LocalMediaEngine } from './engine.js';
import type { CallMessage, WorkerMessage } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('the media engine worker must run in a worker thread');

const post = (message: WorkerMessage): void => port.postMessage(message);
const engine = new LocalMediaEngine({
  ...(workerData as MediaEngineOptions),
  log: (message) => post({ kind: 'log', message }),
});
engine.on((event) => post({ kind: 'event', event }));

port.on('message', (message: CallMessage) => {
  void handle(message);
});

async function handle({ id, method, args }: CallMessage): Promise<void> {
  try {
    const fn = (engine as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
    if (typeof fn !== 'function') throw new Error(`unknown media engine method ${method}`);
    const value = await fn.apply(engine, args);
    if (id !== 0) post({ kind: 'result', id, ok: true, value });
  } catch (err) {
    const e = err as Error & { code?: string };
    if (id !== 0)
      post({ kind: 'result', id, ok: false, error: { name: e.name, code: e.code, message: e.message } });
    else post({ kind: 'log', message: `${method} failed: ${e.message}` });
  }
}

// Last line of defence: report, and keep every other call's media going.
process.on('uncaughtException', (err) =>
  post({ kind: 'log', message: `media engine worker: ${err.stack ?? err.message}` }),
);

post({ kind: 'ready' });
