// The controller's one ARI connection (ari-client), shared by the IVR, routing and
// transcription. Channels enter the application for different reasons; `args[0]` says which:
// a channel Hotline originated carries the route name it was given (`appArgs('routing', id)`),
// anything else is a call from outside and goes to the fallback route (the IVR).
import ari, { type Channel, type Client, type StasisStart } from 'ari-client';
import type { Logger } from '../logger.js';

export type StasisStartHandler = (event: StasisStart, channel: Channel) => void | Promise<void>;

export interface AriSettings {
  url: string;
  username: string;
  password: string;
  app: string;
}

/** appArgs for originate/snoop/externalMedia that bring the channel back to `route`. */
export function appArgs(route: string, ...rest: string[]): string {
  return [route, ...rest].join(',');
}

export class AriConnection {
  private readonly routes = new Map<string, StasisStartHandler>();
  private readonly claims = new Map<string, StasisStartHandler>();
  private fallback: StasisStartHandler | null = null;

  constructor(
    readonly client: Client,
    readonly app: string,
    private readonly log: Logger,
  ) {
    client.on('StasisStart', (event, channel) => this.dispatch(event, channel));
  }

  /** Channels whose args[0] is `name` go to `handler`. */
  route(name: string, handler: StasisStartHandler): void {
    if (this.routes.has(name)) throw new Error(`ARI route ${name} is already taken`);
    this.routes.set(name, handler);
  }

  /** Calls from outside (args[0] is the dialled number, or nothing Hotline knows). */
  routeInbound(handler: StasisStartHandler): void {
    this.fallback = handler;
  }

  /**
   * The channel with this id (one the caller chose, e.g. externalMedia's `channelId`) goes to
   * `handler` once, whatever its args: Asterisk's externalMedia takes no appArgs, so its channel
   * enters with `args: []` and would otherwise reach the inbound route. Returns an undo.
   */
  claim(channelId: string, handler: StasisStartHandler): () => void {
    this.claims.set(channelId, handler);
    return () => {
      if (this.claims.get(channelId) === handler) this.claims.delete(channelId);
    };
  }

  private dispatch(event: StasisStart, channel: Channel): void {
    const claimed = this.claims.get(channel.id);
    if (claimed) this.claims.delete(channel.id);
    const handler = claimed ?? this.routes.get(event.args[0] ?? '') ?? this.fallback;
    if (!handler) {
      this.log.warn(
        { channel: channel.id, args: event.args },
        'no handler for a channel entering the app; hanging up',
      );
      channel.hangup().catch(() => undefined);
      return;
    }
    Promise.resolve(handler(event, channel)).catch((err: unknown) => {
      this.log.error({ err, channel: channel.id, args: event.args }, 'StasisStart handler failed');
    });
  }

  close(): void {
    this.client.stop();
  }
}

/**
 * Connects to an ARI server (the embedded media server or Asterisk), retrying while it is not
 * up yet, and starts the application's event WebSocket.
 */
export async function connectAri(
  settings: AriSettings,
  log: Logger,
  options: { attempts?: number; delayMs?: number } = {},
): Promise<AriConnection> {
  const attempts = options.attempts ?? 30;
  const delayMs = options.delayMs ?? 1000;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const client = await ari.connect(settings.url, settings.username, settings.password);
      const connection = new AriConnection(client, settings.app, log);
      await client.start(settings.app);
      log.info({ url: settings.url, app: settings.app }, 'ARI connected');
      return connection;
    } catch (err) {
      lastError = err;
      if (attempt < attempts) {
        log.warn(
          { url: settings.url, attempt, err: (err as Error).message },
          'ARI not reachable yet; retrying',
        );
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }
  throw new Error(
    `Cannot connect to ARI at ${settings.url} as ${settings.username}: ${(lastError as Error)?.message ?? lastError}. ` +
      'Check HOTLINE_ARI_URL, HOTLINE_ARI_USERNAME and HOTLINE_ARI_PASSWORD, and that the server is running.',
  );
}
