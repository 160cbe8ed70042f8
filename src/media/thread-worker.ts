// The media server's side of media.thread: runs startMediaServer in this worker thread and
// answers the controller's messages. Its log lines go straight to file descriptor 1 (pino's
// destination), not through the controller's thread.
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../logger.js';
import { startMediaServer, type MediaServer } from './index.js';
import {
  toThreadError,
  type MediaThreadData,
  type MediaThreadReply,
  type MediaThreadRequest,
} from './thread-protocol.js';

const port = parentPort!;
const { config } = workerData as MediaThreadData;
const reply = (message: MediaThreadReply) => port.postMessage(message);

let server: MediaServer;
try {
  server = await startMediaServer(config, createLogger(config).child({ module: 'media' }));
  reply({
    kind: 'ready',
    ariUrl: server.ariUrl,
    sipUdpPort: server.sipUdpPort,
    sipTcpPort: server.sipTcpPort,
  });
  port.on('message', (request: MediaThreadRequest) => {
    if (request.kind === 'counts') {
      void server.counts().then((counts) => reply({ kind: 'counts', id: request.id, counts }));
    } else if (request.kind === 'stop') {
      void server.stop().finally(() => {
        reply({ kind: 'stopped' });
        port.close();
      });
    }
  });
} catch (err) {
  reply({ kind: 'failed', error: toThreadError(err) });
  port.close();
}
