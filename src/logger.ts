// One pino logger for the process: JSON lines by default, pretty in a terminal.
import pino, { type Logger } from 'pino';
import type { HotlineConfig } from './config.js';

export type { Logger } from 'pino';

export function createLogger(config: Pick<HotlineConfig, 'log'>, name = 'hotline'): Logger {
  const pretty = config.log.pretty ?? process.stdout.isTTY;
  return pino({
    name,
    level: config.log.level,
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
  });
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
