// One handler per declared operation: reads the parsed parameters, calls the core, shapes the
// answer as Asterisk does (200 with a body, 201 for a new playback or recording, 204 for
// actions). Core errors become {"message": ...} answers in server.ts.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import {
  applications,
  bridges,
  channels,
  createChannel,
  dial,
  endpoints,
  externalMedia,
  type MediaCore,
  originate,
  playbacks,
  recordings,
  snoopChannel,
  CoreError,
} from '../core/index.js';
import type { Params } from './params.js';

export interface AriResponse {
  status: number;
  body?: unknown;
  /** Raw bytes (a recording's file) instead of JSON. */
  file?: { data: Buffer; contentType: string };
}

export type Handler = (core: MediaCore, p: Params) => AriResponse | Promise<AriResponse>;

const ok = (body: unknown): AriResponse => ({ status: 200, body });
const created = (body: unknown): AriResponse => ({ status: 201, body });
const noContent: AriResponse = { status: 204 };

const str = (p: Params, name: string): string | undefined => {
  const v = p[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
};
const num = (p: Params, name: string): number | undefined =>
  typeof p[name] === 'number' ? p[name] : undefined;
const bool = (p: Params, name: string): boolean | undefined =>
  typeof p[name] === 'boolean' ? p[name] : undefined;
const list = (p: Params, name: string): string[] => (Array.isArray(p[name]) ? (p[name] as string[]) : []);

/** The `variables` body parameter: {"variables": {...}} (ari-client wraps it so). */
function variables(p: Params): Record<string, string> | undefined {
  const v = p.variables;
  if (!v || typeof v !== 'object') return undefined;
  const inner = (v as Record<string, unknown>).variables;
  const vars = inner && typeof inner === 'object' ? inner : v;
  for (const value of Object.values(vars as Record<string, unknown>)) {
    if (typeof value !== 'string')
      throw new CoreError('BAD_REQUEST', "Only string values in the 'variables' object allowed");
  }
  return vars as Record<string, string>;
}

function originateRequest(p: Params) {
  return {
    endpoint: str(p, 'endpoint'),
    extension: str(p, 'extension'),
    context: str(p, 'context'),
    priority: num(p, 'priority'),
    label: str(p, 'label'),
    app: str(p, 'app'),
    appArgs: str(p, 'appArgs'),
    callerId: str(p, 'callerId'),
    timeout: num(p, 'timeout'),
    variables: variables(p),
    channelId: str(p, 'channelId'),
    otherChannelId: str(p, 'otherChannelId'),
    originator: str(p, 'originator'),
    formats: str(p, 'formats'),
  };
}

function playRequest(p: Params) {
  return {
    media: list(p, 'media'),
    lang: str(p, 'lang'),
    offsetms: num(p, 'offsetms'),
    skipms: num(p, 'skipms'),
    playbackId: str(p, 'playbackId'),
  };
}

function recordRequest(p: Params) {
  return {
    name: str(p, 'name'),
    format: str(p, 'format'),
    maxDurationSeconds: num(p, 'maxDurationSeconds'),
    maxSilenceSeconds: num(p, 'maxSilenceSeconds'),
    ifExists: str(p, 'ifExists'),
    beep: bool(p, 'beep'),
    terminateOn: str(p, 'terminateOn'),
  };
}

const VERSION = (() => {
  try {
    return (
      JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return '0.0.0';
  }
})();

function asteriskInfo(core: MediaCore, only: string[]): Record<string, unknown> {
  const all: Record<string, unknown> = {
    build: { os: os.type(), kernel: os.release(), options: '', machine: os.arch(), date: '', user: '' },
    system: { version: `22.0.0-hotline-${VERSION}`, entity_id: core.settings.asteriskId },
    config: {
      name: 'hotline',
      default_language: core.settings.defaultLanguage,
      max_channels: core.settings.maxCalls,
      setid: { user: '', group: '' },
    },
    status: {
      startup_time: core.startedAt.toISOString().replace('Z', '+0000'),
      last_reload_time: core.startedAt.toISOString().replace('Z', '+0000'),
    },
  };
  if (!only.length) return all;
  return Object.fromEntries(Object.entries(all).filter(([k]) => only.includes(k)));
}

export const HANDLERS: Record<string, Handler> = {
  'asterisk.getInfo': (core, p) => ok(asteriskInfo(core, list(p, 'only'))),
  'asterisk.ping': (core) =>
    ok({
      ping: 'pong',
      timestamp: new Date().toISOString().replace('Z', '+0000'),
      asterisk_id: core.settings.asteriskId,
    }),
  'asterisk.getGlobalVar': (core, p) => {
    const name = str(p, 'variable');
    if (!name) throw new CoreError('BAD_REQUEST', 'Variable name is required');
    return ok({ value: core.globals.get(name) ?? '' });
  },
  'asterisk.setGlobalVar': (core, p) => {
    const name = str(p, 'variable');
    if (!name) throw new CoreError('BAD_REQUEST', 'Variable name is required');
    core.globals.set(name, str(p, 'value') ?? '');
    return noContent;
  },

  'endpoints.list': (core) => ok(endpoints.listEndpoints(core)),
  'endpoints.listByTech': (core, p) => ok(endpoints.listEndpointsByTech(core, str(p, 'tech') ?? '')),
  'endpoints.get': (core, p) =>
    ok(endpoints.getEndpoint(core, str(p, 'tech') ?? '', str(p, 'resource') ?? '')),

  'channels.list': (core) => ok(channels.listChannels(core)),
  'channels.originate': (core, p) => ok(originate(core, originateRequest(p))),
  'channels.originateWithId': (core, p) => ok(originate(core, originateRequest(p))),
  'channels.create': (core, p) => ok(createChannel(core, originateRequest(p))),
  'channels.get': (core, p) => ok(channels.getChannel(core, str(p, 'channelId')!)),
  'channels.hangup': (core, p) => {
    channels.hangup(core, str(p, 'channelId')!, {
      reason: str(p, 'reason'),
      reason_code: str(p, 'reason_code'),
    });
    return noContent;
  },
  'channels.continueInDialplan': (core, p) => {
    channels.continueInDialplan(core, str(p, 'channelId')!, {
      context: str(p, 'context'),
      extension: str(p, 'extension'),
      priority: num(p, 'priority'),
      label: str(p, 'label'),
    });
    return noContent;
  },
  'channels.redirect': (core, p) => {
    channels.redirect(core, str(p, 'channelId')!, str(p, 'endpoint'));
    return noContent;
  },
  'channels.answer': async (core, p) => {
    await channels.answer(core, str(p, 'channelId')!);
    return noContent;
  },
  'channels.ring': (core, p) => (channels.ring(core, str(p, 'channelId')!), noContent),
  'channels.ringStop': (core, p) => (channels.ringStop(core, str(p, 'channelId')!), noContent),
  'channels.sendDTMF': (core, p) => {
    channels.sendDtmf(core, str(p, 'channelId')!, {
      dtmf: str(p, 'dtmf'),
      before: num(p, 'before'),
      between: num(p, 'between'),
      duration: num(p, 'duration'),
      after: num(p, 'after'),
    });
    return noContent;
  },
  'channels.mute': (core, p) => (channels.mute(core, str(p, 'channelId')!, str(p, 'direction')), noContent),
  'channels.unmute': (core, p) => (
    channels.unmute(core, str(p, 'channelId')!, str(p, 'direction')),
    noContent
  ),
  'channels.hold': (core, p) => (channels.hold(core, str(p, 'channelId')!), noContent),
  'channels.unhold': (core, p) => (channels.unhold(core, str(p, 'channelId')!), noContent),
  'channels.startMoh': (core, p) => (
    channels.startMoh(core, str(p, 'channelId')!, str(p, 'mohClass')),
    noContent
  ),
  'channels.stopMoh': (core, p) => (channels.stopMoh(core, str(p, 'channelId')!), noContent),
  'channels.startSilence': (core, p) => (channels.startSilence(core, str(p, 'channelId')!), noContent),
  'channels.stopSilence': (core, p) => (channels.stopSilence(core, str(p, 'channelId')!), noContent),
  'channels.play': (core, p) => created(playbacks.playOnChannel(core, str(p, 'channelId')!, playRequest(p))),
  'channels.playWithId': (core, p) =>
    created(playbacks.playOnChannel(core, str(p, 'channelId')!, playRequest(p))),
  'channels.record': (core, p) =>
    created(recordings.recordChannel(core, str(p, 'channelId')!, recordRequest(p))),
  'channels.getChannelVar': (core, p) =>
    ok({ value: channels.getVariable(core, str(p, 'channelId')!, str(p, 'variable')) }),
  'channels.setChannelVar': (core, p) => {
    channels.setVariable(
      core,
      str(p, 'channelId')!,
      str(p, 'variable'),
      typeof p.value === 'string' ? p.value : undefined,
    );
    return noContent;
  },
  'channels.snoopChannel': (core, p) => ok(snoopRequest(core, p)),
  'channels.snoopChannelWithId': (core, p) => ok(snoopRequest(core, p)),
  'channels.dial': (core, p) => {
    dial(core, str(p, 'channelId')!, { caller: str(p, 'caller'), timeout: num(p, 'timeout') });
    return noContent;
  },
  'channels.rtpstatistics': async (core, p) => ok(await channels.rtpStatistics(core, str(p, 'channelId')!)),
  'channels.externalMedia': async (core, p) =>
    ok(
      await externalMedia(core, {
        channelId: str(p, 'channelId'),
        app: str(p, 'app'),
        variables: variables(p),
        external_host: str(p, 'external_host'),
        encapsulation: str(p, 'encapsulation'),
        transport: str(p, 'transport'),
        connection_type: str(p, 'connection_type'),
        format: str(p, 'format'),
        direction: str(p, 'direction'),
        data: str(p, 'data'),
      }),
    ),

  'bridges.list': (core) =>
    ok([...core.bridges.values()].filter((b) => !b.destroyed).map((b) => b.snapshot())),
  'bridges.create': (core, p) =>
    ok(
      bridges
        .createBridge(core, { type: str(p, 'type'), bridgeId: str(p, 'bridgeId'), name: str(p, 'name') })
        .snapshot(),
    ),
  'bridges.createWithId': (core, p) => {
    const id = str(p, 'bridgeId')!;
    const existing = core.bridges.get(id);
    // Asterisk updates an existing bridge's name here; the type cannot change.
    if (existing && !existing.destroyed) return ok(existing.snapshot());
    return ok(
      bridges.createBridge(core, { type: str(p, 'type'), bridgeId: id, name: str(p, 'name') }).snapshot(),
    );
  },
  'bridges.get': (core, p) => ok(core.bridge(str(p, 'bridgeId')!).snapshot()),
  'bridges.destroy': (core, p) => (bridges.destroyBridge(core, str(p, 'bridgeId')!), noContent),
  'bridges.addChannel': async (core, p) => {
    await bridges.addChannels(core, str(p, 'bridgeId')!, list(p, 'channel'), {
      role: str(p, 'role'),
      absorbDTMF: bool(p, 'absorbDTMF'),
      mute: bool(p, 'mute'),
      inhibitConnectedLineUpdates: bool(p, 'inhibitConnectedLineUpdates'),
    });
    return noContent;
  },
  'bridges.removeChannel': async (core, p) => {
    await bridges.removeChannels(core, str(p, 'bridgeId')!, list(p, 'channel'));
    return noContent;
  },
  'bridges.startMoh': (core, p) => (
    bridges.startBridgeMoh(core, str(p, 'bridgeId')!, str(p, 'mohClass')),
    noContent
  ),
  'bridges.stopMoh': (core, p) => (bridges.stopBridgeMoh(core, str(p, 'bridgeId')!), noContent),
  'bridges.play': (core, p) => created(playbacks.playOnBridge(core, str(p, 'bridgeId')!, playRequest(p))),
  'bridges.playWithId': (core, p) =>
    created(playbacks.playOnBridge(core, str(p, 'bridgeId')!, playRequest(p))),
  'bridges.record': (core, p) =>
    created(
      recordings.recordBridge(core, str(p, 'bridgeId')!, {
        ...recordRequest(p),
        recorder_format: str(p, 'recorder_format'),
      }),
    ),

  'recordings.listStored': (core) => ok(core.stored.list()),
  'recordings.getStored': (core, p) => ok(core.stored.get(str(p, 'recordingName')!)),
  'recordings.deleteStored': (core, p) => (core.stored.delete(str(p, 'recordingName')!), noContent),
  'recordings.getStoredFile': (core, p) => {
    const found = core.stored.find(str(p, 'recordingName')!);
    if (!found) throw new CoreError('RECORDING_NOT_FOUND', 'Recording not found');
    return {
      status: 200,
      file: { data: readFileSync(found.file), contentType: core.stored.contentType(found.format) },
    };
  },
  'recordings.copyStored': (core, p) => {
    const dest = str(p, 'destinationRecordingName');
    if (!dest) throw new CoreError('BAD_REQUEST', 'destinationRecordingName is required');
    return ok(core.stored.copy(str(p, 'recordingName')!, dest));
  },
  'recordings.getLive': (core, p) => ok(recordings.getLiveRecording(core, str(p, 'recordingName')!)),
  'recordings.cancel': (core, p) => (recordings.cancelRecording(core, str(p, 'recordingName')!), noContent),
  'recordings.stop': (core, p) => (recordings.stopRecording(core, str(p, 'recordingName')!), noContent),
  'recordings.pause': (core, p) => (
    recordings.pauseRecording(core, str(p, 'recordingName')!, true),
    noContent
  ),
  'recordings.unpause': (core, p) => (
    recordings.pauseRecording(core, str(p, 'recordingName')!, false),
    noContent
  ),
  'recordings.mute': (core, p) => (recordings.muteRecording(core, str(p, 'recordingName')!, true), noContent),
  'recordings.unmute': (core, p) => (
    recordings.muteRecording(core, str(p, 'recordingName')!, false),
    noContent
  ),

  'sounds.list': (core, p) => ok(core.sounds.list({ lang: str(p, 'lang'), format: str(p, 'format') })),
  'sounds.get': (core, p) => {
    const sound = core.sounds.get(str(p, 'soundId')!);
    if (!sound) throw new CoreError('SOUND_NOT_FOUND', 'Sound not found');
    return ok(sound);
  },

  'playbacks.get': (core, p) => ok(playbacks.getPlayback(core, str(p, 'playbackId')!)),
  'playbacks.stop': (core, p) => (playbacks.stopPlayback(core, str(p, 'playbackId')!), noContent),
  'playbacks.control': (core, p) => (
    playbacks.controlPlayback(core, str(p, 'playbackId')!, str(p, 'operation')),
    noContent
  ),

  'applications.list': (core) => ok(applications.listApplications(core)),
  'applications.get': (core, p) => ok(applications.getApplication(core, str(p, 'applicationName')!)),
  'applications.subscribe': (core, p) =>
    ok(applications.subscribe(core, str(p, 'applicationName')!, list(p, 'eventSource'))),
  'applications.unsubscribe': (core, p) =>
    ok(applications.unsubscribe(core, str(p, 'applicationName')!, list(p, 'eventSource'))),
};

function snoopRequest(core: MediaCore, p: Params) {
  return snoopChannel(core, str(p, 'channelId')!, {
    spy: str(p, 'spy'),
    whisper: str(p, 'whisper'),
    app: str(p, 'app'),
    appArgs: str(p, 'appArgs'),
    snoopId: str(p, 'snoopId'),
  });
}
