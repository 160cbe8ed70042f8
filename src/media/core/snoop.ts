// POST /channels/{id}/snoop: a Snoop channel that hears what a channel hears (spy in), says
// (spy out) or both, and can whisper into it; it enters the app at once, in state Up. It lives
// as long as the channel it taps.
import type { Codec } from '../sip/contract.js';
import { Channel, type ChannelDriver, type ChannelSnapshot } from './channel.js';
import { ChannelState } from './channel-state.js';
import type { MediaCore } from './core.js';
import { badRequest, CoreError } from './errors.js';
import { hangupChannel } from './hangup.js';
import { newUniqueId, nextNameSuffix } from './ids.js';
import { enterStasis, splitAppArgs } from './stasis.js';

export interface SnoopRequest {
  spy?: string;
  whisper?: string;
  app?: string;
  appArgs?: string;
  snoopId?: string;
}

type Direction = 'none' | 'in' | 'out' | 'both';

class SnoopDriver implements ChannelDriver {
  readonly technology = 'Snoop' as const;
  readonly protocolId = '';
  readonly reportsQos = false;
  answer(): Promise<void> {
    return Promise.resolve();
  }
  indicateRinging(): void {}
  indicateProgress(): void {}
  hangup(): void {}
  codec(): Codec | null {
    return null;
  }
}

function direction(value: string | undefined, what: 'spy' | 'whisper'): Direction {
  if (!value || value === 'none') return 'none';
  if (value === 'in' || value === 'out' || value === 'both') return value;
  throw badRequest(`Invalid direction specified for ${what}`);
}

export function snoopChannel(core: MediaCore, channelId: string, req: SnoopRequest): ChannelSnapshot {
  const spy = direction(req.spy, 'spy');
  const whisper = direction(req.whisper, 'whisper');
  if (spy === 'none' && whisper === 'none')
    throw badRequest('Direction must be specified for at least spy or whisper');
  if (!req.app) throw badRequest('Application name is required');
  const target = core.channel(channelId, 'Provided channel was not found');
  const id = req.snoopId || newUniqueId();
  if (core.channels.has(id))
    throw new CoreError('CHANNEL_EXISTS', 'Channel with given unique ID already exists');
  const snoop = new Channel({
    id,
    name: `Snoop/${target.id}-${nextNameSuffix()}`,
    driver: new SnoopDriver(),
    state: ChannelState.Up,
    dialplan: { context: 'default', exten: 's', priority: 1, app_name: '', app_data: '' },
    language: core.settings.defaultLanguage,
  });
  snoop.snoopTarget = target.id;
  try {
    core.engine.createSnoopEndpoint(id, target.id, { spy, whisper });
  } catch (err) {
    throw new CoreError('INTERNAL', `Snoop channel could not be created: ${(err as Error).message}`);
  }
  core.addChannel(snoop);
  target.snoops.add(id);
  const snapshot = snoop.snapshot();
  const app = req.app;
  queueMicrotask(() => {
    if (snoop.hangingUp) return;
    if (!enterStasis(core, snoop, app, splitAppArgs(req.appArgs)))
      void hangupChannel(core, snoop, { kind: 'request', cause: 16 });
  });
  return snapshot;
}
