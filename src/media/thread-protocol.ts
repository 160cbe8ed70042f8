// Messages between the controller's thread and the media server's own thread (media.thread).
import type { HotlineConfig } from '../config.js';
import type { MediaCounts } from './contract.js';

export interface MediaThreadData {
  config: HotlineConfig;
}

/** Controller → media thread. */
export type MediaThreadRequest = { kind: 'counts'; id: number } | { kind: 'stop' };

/** An error crossing the thread boundary, with what the controller needs to rebuild it. */
export interface ThreadError {
  name: string;
  message: string;
  code?: string;
  /** MediaConfigError's file and problems. */
  file?: string;
  problems?: string[];
}

/** Media thread → controller. */
export type MediaThreadReply =
  | { kind: 'ready'; ariUrl: string; sipUdpPort: number; sipTcpPort: number }
  | { kind: 'failed'; error: ThreadError }
  | { kind: 'counts'; id: number; counts: MediaCounts }
  | { kind: 'stopped' };

export function toThreadError(err: unknown): ThreadError {
  const e = err instanceof Error ? err : new Error(String(err));
  const extra = e as Error & { code?: unknown; file?: unknown; problems?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(typeof extra.code === 'string' ? { code: extra.code } : {}),
    ...(typeof extra.file === 'string' ? { file: extra.file } : {}),
    ...(Array.isArray(extra.problems) ? { problems: extra.problems.map(String) } : {}),
  };
}
