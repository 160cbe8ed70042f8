// The embedded media server in a process of its own for bench:media, so its CPU (main thread
// plus the media engine's worker) is measured apart from the load generators and controller.
import { configSchema } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { parseMediaFileConfig, startMediaServer, type MediaServer } from '../../src/media/index.js';
import { serveRequests } from './child.js';

let server: MediaServer | null = null;
let cpuStart = process.cpuUsage();
let wallStart = performance.now();

serveRequests(async (command) => {
  switch (command.cmd) {
    case 'start': {
      const config = configSchema.parse({
        home: process.cwd(),
        log: { level: 'error' },
        ari: { mode: 'embedded', url: `http://127.0.0.1:${command.ariPort as number}`, app: 'bench' },
        media: {
          bindAddress: '127.0.0.1',
          sipUdpPort: command.sipPort,
          sipTcpPort: command.sipPort,
          rtpPortMin: command.rtpMin,
          rtpPortMax: command.rtpMax,
          maxCalls: 5000,
          rtpTimeoutSeconds: 60,
          soundsDirs: ['/usr/share/asterisk/sounds'],
          recordingsDir: command.recordingsDir,
        },
      });
      const file = parseMediaFileConfig({
        dialplan: {
          routes: [{ address: '127.0.0.1', name: 'bench', context: 'bench' }],
          contexts: { bench: [{ exten: '_X.', app: 'bench', args: ['${EXTEN}'] }] },
        },
      });
      server = await startMediaServer(config, silentLogger, { file });
      return { ariUrl: server.ariUrl, sipPort: server.sipUdpPort };
    }
    case 'cpu-start':
      cpuStart = process.cpuUsage();
      wallStart = performance.now();
      return null;
    case 'cpu': {
      const cpu = process.cpuUsage(cpuStart);
      return ((cpu.user + cpu.system) / 1000 / (performance.now() - wallStart)) * 100;
    }
    case 'counts':
      return server ? server.counts() : null;
    case 'stop':
      await server?.stop();
      server = null;
      return null;
    default:
      return null;
  }
});
