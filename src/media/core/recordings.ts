// Recordings: live ones (being written, LiveRecording in ARI) and stored ones (files under the
// recordings folder, StoredRecording). A stored recording's name may hold subfolders
// ("calls/2024/abc"); its format is the file's extension.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import type { RecordingOptions } from '../engine/contract.js';
import { badRequest, CoreError } from './errors.js';

/** Formats a recording can be written in (the engine's), as ARI names them. */
export const RECORDING_FORMATS = ['wav', 'wav16', 'ulaw', 'alaw', 'sln', 'sln16'] as const;
export type RecordingFormat = (typeof RECORDING_FORMATS)[number];

const CONTENT_TYPES: Record<string, string> = {
  wav: 'audio/wav',
  wav16: 'audio/wav',
  ulaw: 'audio/basic',
  alaw: 'audio/x-alaw-basic',
  sln: 'audio/L16',
  sln16: 'audio/L16',
  g722: 'audio/G722',
};

export function isRecordingFormat(format: string | undefined): format is RecordingFormat {
  return (RECORDING_FORMATS as readonly string[]).includes(format ?? '');
}

export type LiveRecordingState = 'queued' | 'recording' | 'paused' | 'done' | 'failed' | 'canceled';

export interface LiveRecordingSnapshot {
  name: string;
  format: string;
  state: LiveRecordingState;
  target_uri: string;
  duration?: number;
  talking_duration?: number;
  silence_duration?: number;
  cause?: string;
}

export class LiveRecording {
  state: LiveRecordingState = 'queued';
  durationS: number | null = null;
  talkingS: number | null = null;
  silenceS: number | null = null;
  cause: string | null = null;
  muted = false;
  /** Resolves when the recording ends (done, failed or canceled). */
  finished: Promise<void>;
  private finish!: () => void;

  constructor(
    readonly name: string,
    readonly format: RecordingFormat,
    readonly targetUri: string,
    readonly options: RecordingOptions,
    /** Report talking/silence durations (only when silence detection was asked for). */
    readonly reportsTalking: boolean,
  ) {
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  end(): void {
    this.finish();
  }

  snapshot(): LiveRecordingSnapshot {
    const out: LiveRecordingSnapshot = {
      name: this.name,
      format: this.format,
      state: this.state,
      target_uri: this.targetUri,
    };
    if (this.state === 'failed' && this.cause) out.cause = this.cause;
    if (this.durationS !== null) out.duration = this.durationS;
    if (this.reportsTalking && this.talkingS !== null) {
      out.talking_duration = this.talkingS;
      out.silence_duration = this.silenceS ?? 0;
    }
    return out;
  }
}

export interface StoredRecordingSnapshot {
  name: string;
  format: string;
}

/** Names like "a/b/c" are fine; anything climbing out of the folder is refused (as Asterisk does). */
export function checkRecordingName(name: string | undefined): string {
  if (!name) throw badRequest('Recording name is required');
  if (name.includes('..') || name.startsWith('/') || name.includes('\0'))
    throw badRequest('Recording name invalid');
  return name;
}

export class StoredRecordings {
  constructor(readonly dir: string) {}

  pathFor(name: string, format: string): string {
    return path.join(this.dir, `${name}.${format === 'wav16' ? 'wav16' : format}`);
  }

  /** Makes sure the folder for `name` exists before a recording is written there. */
  prepare(name: string): void {
    mkdirSync(path.dirname(path.join(this.dir, name)), { recursive: true });
  }

  list(): StoredRecordingSnapshot[] {
    const out: StoredRecordingSnapshot[] = [];
    const walk = (dir: string, prefix: string) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.isDirectory()) walk(path.join(dir, e.name), `${prefix}${e.name}/`);
        else {
          const ext = path.extname(e.name).slice(1);
          if (ext in CONTENT_TYPES)
            out.push({ name: `${prefix}${e.name.slice(0, -ext.length - 1)}`, format: ext });
        }
      }
    };
    walk(this.dir, '');
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The stored recording called `name` (first format found), or null. */
  find(name: string): (StoredRecordingSnapshot & { file: string }) | null {
    if (name.includes('..') || name.includes('\0')) return null;
    for (const format of Object.keys(CONTENT_TYPES)) {
      const file = path.join(this.dir, `${name}.${format}`);
      if (existsSync(file) && statSync(file).isFile()) return { name, format, file };
    }
    return null;
  }

  get(name: string): StoredRecordingSnapshot {
    const found = this.find(name);
    if (!found) throw new CoreError('RECORDING_NOT_FOUND', 'Recording not found');
    return { name: found.name, format: found.format };
  }

  exists(name: string): boolean {
    return this.find(name) !== null;
  }

  delete(name: string): void {
    const found = this.find(name);
    if (!found) throw new CoreError('RECORDING_NOT_FOUND', 'Recording not found');
    rmSync(found.file);
  }

  copy(name: string, destination: string): StoredRecordingSnapshot {
    const found = this.find(name);
    if (!found) throw new CoreError('RECORDING_NOT_FOUND', 'Recording not found');
    checkRecordingName(destination);
    if (this.exists(destination))
      throw new CoreError('RECORDING_EXISTS', `A recording with the same name already exists on the system`);
    this.prepare(destination);
    copyFileSync(found.file, path.join(this.dir, `${destination}.${found.format}`));
    return { name: destination, format: found.format };
  }

  contentType(format: string): string {
    return CONTENT_TYPES[format] ?? 'application/octet-stream';
  }
}
