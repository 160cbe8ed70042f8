// `hotline media-server`: the embedded media server on its own (SIP + RTP + ARI), without the
// controller, Postgres or Redis. For a media box of its own (controllers elsewhere drive it over
// ARI with ari.mode=external) and for ARI conformance runs (npm run lab:server).
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { MediaConfigError, startMediaServer } from '../media/index.js';

export function registerMediaCommands(program: Command): void {
  program
    .command('media-server')
    .description('run only the embedded media server (SIP, RTP, ARI) in the foreground')
    .action(async () => {
      let config;
      try {
        config = loadConfig();
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        process.stderr.write(`${err.message}\n`);
        process.exit(2);
      }
      const log = createLogger(config);
      let server;
      try {
        server = await startMediaServer(config, log);
      } catch (err) {
        if (!(err instanceof MediaConfigError)) throw err;
        process.stderr.write(`${err.message}\n`);
        process.exit(2);
      }
      log.info(
        { ari: server.ariUrl, sipUdpPort: server.sipUdpPort, sipTcpPort: server.sipTcpPort },
        'media server ready',
      );
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) process.exit(1);
        stopping = true;
        log.info({ signal }, 'stopping');
        server.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            log.error({ err }, 'stop failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
}
