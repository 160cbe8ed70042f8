// A playback: a playlist of media URIs played to a channel or a bridge, with Asterisk 22's
// lifecycle (res_stasis_playback): one PlaybackStarted per item, PlaybackContinuing between
// items, PlaybackFinished at the end; stopped, completed and cancelled all read "done".

export type PlaybackInternalState =
  'queued' | 'playing' | 'paused' | 'continuing' | 'complete' | 'failed' | 'canceled' | 'stopped';

export type PlaybackTarget = { channel: string } | { bridge: string };

/** How one item ended, as the runner sees it. */
export type ItemResult = 'done' | 'error' | 'stopped' | 'hangup';

export interface PlaybackSnapshot {
  id: string;
  media_uri: string;
  next_media_uri?: string;
  target_uri: string;
  language: string;
  state: string;
}

const PUBLIC_STATE: Record<PlaybackInternalState, string> = {
  queued: 'queued',
  playing: 'playing',
  paused: 'paused',
  continuing: 'continuing',
  failed: 'failed',
  complete: 'done',
  canceled: 'done',
  stopped: 'done',
};

/** The event each state publishes (queued and paused publish none, as in Asterisk). */
export function playbackEventType(state: PlaybackInternalState): string | null {
  switch (state) {
    case 'playing':
      return 'PlaybackStarted';
    case 'continuing':
      return 'PlaybackContinuing';
    case 'complete':
    case 'failed':
    case 'canceled':
    case 'stopped':
      return 'PlaybackFinished';
    default:
      return null;
  }
}

export class Playback {
  state: PlaybackInternalState = 'queued';
  index = 0;
  /** Set once a sound, recording or tone item starts: only those can be stopped or paused. */
  controllable = false;
  /** The engine playback id of the item playing now. */
  engineId: string | null = null;
  /** Resolves the item playing now early (stop, or the target hung up). */
  private interruptItem: ((result: ItemResult) => void) | null = null;
  /** Resolves when the runner has published its last event. */
  settled: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly medias: readonly string[],
    readonly language: string,
    readonly target: PlaybackTarget,
    readonly offsetMs: number,
    readonly skipMs: number,
  ) {}

  get targetUri(): string {
    return 'channel' in this.target ? `channel:${this.target.channel}` : `bridge:${this.target.bridge}`;
  }

  get mediaUri(): string {
    return this.medias[this.index] ?? this.medias[0] ?? '';
  }

  get isLast(): boolean {
    return this.index >= this.medias.length - 1;
  }

  snapshot(): PlaybackSnapshot {
    const out: PlaybackSnapshot = {
      id: this.id,
      media_uri: this.mediaUri,
      target_uri: this.targetUri,
      language: this.language,
      state: PUBLIC_STATE[this.state],
    };
    if (!this.isLast) {
      return {
        id: out.id,
        media_uri: out.media_uri,
        next_media_uri: this.medias[this.index + 1]!,
        target_uri: out.target_uri,
        language: out.language,
        state: out.state,
      };
    }
    return out;
  }

  /** Waits for the current item's end, which `interrupt` can bring early. */
  awaitItem(engineDone: Promise<ItemResult>): Promise<ItemResult> {
    return new Promise<ItemResult>((resolve) => {
      this.interruptItem = resolve;
      engineDone.then(resolve, () => resolve('error'));
    }).finally(() => {
      this.interruptItem = null;
    });
  }

  interrupt(result: ItemResult): void {
    this.interruptItem?.(result);
  }
}
