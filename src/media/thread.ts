// The embedded media server in a thread of its own (media.thread, the default): SIP, the channel
// core and the ARI server get their own event loop, so a burst of controller work (flows, CRM
// requests, database writes, ari-client's request handling) does not delay a playback's start
// or a DTMF event, and the other way round. The controller still reaches it only over ARI, as
// it would Asterisk; the thread is what `hotline media-server` + `ari.mode=external` give with
// two processes, in one.
import { Worker } from 'node:worker_threads';
import type { HotlineConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { MediaConfigError } from './config-file.js';
import type { MediaCounts, MediaServer } from './contract.js';
import type {
  MediaThreadData,
  MediaThreadReply,
  MediaThreadRequest,
  ThreadError,
} from './thread-protocol.js';

function rebuild(error: ThreadError): Error {
  if (error.name === 'MediaConfigError' && error.file !== undefined)
    return new MediaConfigError(error.file, error.problems ?? []);
  return Object.assign(new Error(error.message), {
    name: error.name,
    ...(error.code ? { code: error.code } : {}),
  });
}

/**
 * Starts the media server in a worker thread; resolves once it listens (SIP and ARI), rejects
 * with the error it failed with (a MediaConfigError stays one).
 */
export function startMediaServerThread(config: HotlineConfig, log: Logger): Promise<MediaServer> {
  const data: MediaThreadData = { config };
  const worker = new Worker(new URL('./thread-entry.mjs', import.meta.url), { workerData: data });
  const waiting = new Map<number, (counts: MediaCounts) => void>();
  let nextId = 1;
  let stopping: Promise<void> | null = null;
  const send = (request: MediaThreadRequest) => worker.postMessage(request);
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));

  return new Promise<MediaServer>((resolve, reject) => {
    let ready = false;
    worker.on('error', (err) => {
      if (!ready) reject(err);
      else log.fatal({ err }, 'the media server thread crashed');
    });
    void exited.then((code) => {
      if (!ready) reject(new Error(`the media server thread exited (${code}) before it was ready`));
      else if (!stopping) {
        // Without its media server the hotline answers no calls: stop as an in-process crash would.
        log.fatal({ code }, 'the media server thread stopped unexpectedly');
        process.exit(1);
      }
    });
    worker.on('message', (message: MediaThreadReply) => {
      switch (message.kind) {
        case 'ready':
          ready = true;
          resolve({
            ariUrl: message.ariUrl,
            sipUdpPort: message.sipUdpPort,
            sipTcpPort: message.sipTcpPort,
            counts: () =>
              new Promise<MediaCounts>((done) => {
                const id = nextId++;
                waiting.set(id, done);
                send({ kind: 'counts', id });
              }),
            stop: () => {
              stopping ??= (async () => {
                send({ kind: 'stop' });
                await exited;
              })();
              return stopping;
            },
          });
          return;
        case 'failed':
          reject(rebuild(message.error));
          return;
        case 'counts':
          waiting.get(message.id)?.(message.counts);
          waiting.delete(message.id);
          return;
        case 'stopped':
          return;
      }
    });
  });
}
