// Hotline's own ARI API declarations: the operations the embedded server implements, with the
// same resource paths, nicknames, parameter names, parameter types and response classes as
// Asterisk 22's REST API, so `ari-client` builds the same client from them. One table drives
// both the swagger documents (swagger.ts) and request parsing (params.ts).

export type ParamType = 'string' | 'int' | 'long' | 'boolean' | 'containers' | 'double';
export type ParamKind = 'path' | 'query' | 'body';

export interface ParamDecl {
  name: string;
  type: ParamType;
  kind: ParamKind;
  required: boolean;
  /** Comma-separated list (or repeated parameter, or JSON array). */
  multiple: boolean;
  default?: string | number | boolean;
  values?: readonly string[];
}

export interface OperationDecl {
  resource: string;
  path: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  nickname: string;
  responseClass: string;
  summary: string;
  params: ParamDecl[];
}

/**
 * Parameter shorthand: "name*:type" (required), "name:type[]" (multiple),
 * "name:type=default", "name:type{a|b|c}" (allowed values), "@name:containers" (JSON body).
 * Path parameters are those named in the path.
 */
function params(path: string, specs: string[]): ParamDecl[] {
  return specs.map((spec) => {
    const m = /^(@)?([A-Za-z_]+)(\*)?:([a-z]+)(\[\])?(?:\{([^}]*)\})?(?:=(.*))?$/.exec(spec);
    if (!m) throw new Error(`bad parameter spec ${spec}`);
    const [, body, name, required, type, multiple, values, def] = m;
    const kind: ParamKind = body ? 'body' : path.includes(`{${name}}`) ? 'path' : 'query';
    const decl: ParamDecl = {
      name: name!,
      type: type as ParamType,
      kind,
      required: Boolean(required) || kind === 'path',
      multiple: Boolean(multiple),
    };
    if (values) decl.values = values.split('|');
    if (def !== undefined)
      decl.default =
        type === 'int' || type === 'long' ? Number(def) : type === 'boolean' ? def === 'true' : def;
    return decl;
  });
}

function op(
  resource: string,
  method: OperationDecl['method'],
  path: string,
  nickname: string,
  responseClass: string,
  summary: string,
  specs: string[] = [],
): OperationDecl {
  return { resource, method, path, nickname, responseClass, summary, params: params(path, specs) };
}

const ch = (m: OperationDecl['method'], p: string, n: string, r: string, s: string, specs: string[] = []) =>
  op('channels', m, p, n, r, s, specs);
const br = (m: OperationDecl['method'], p: string, n: string, r: string, s: string, specs: string[] = []) =>
  op('bridges', m, p, n, r, s, specs);

const ORIGINATE = [
  'endpoint*:string',
  'extension:string',
  'context:string',
  'priority:long',
  'label:string',
  'app:string',
  'appArgs:string',
  'callerId:string',
  'timeout:int=30',
  '@variables:containers',
  'otherChannelId:string',
  'originator:string',
  'formats:string',
];
const PLAY = ['media*:string[]', 'lang:string', 'offsetms:int', 'skipms:int=3000'];
const RECORD = [
  'name*:string',
  'format*:string',
  'maxDurationSeconds:int=0',
  'maxSilenceSeconds:int=0',
  'ifExists:string{fail|overwrite|append}=fail',
  'beep:boolean=false',
  'terminateOn:string{none|any|*|#}=none',
];
const DIRECTION = 'direction:string{both|in|out}=both';

export const OPERATIONS: OperationDecl[] = [
  op('asterisk', 'GET', '/asterisk/info', 'getInfo', 'AsteriskInfo', 'Gets Asterisk system information.', [
    'only:string[]{build|system|config|status}',
  ]),
  op('asterisk', 'GET', '/asterisk/ping', 'ping', 'AsteriskPing', 'Response pong message.'),
  op(
    'asterisk',
    'GET',
    '/asterisk/variable',
    'getGlobalVar',
    'Variable',
    'Get the value of a global variable.',
    ['variable*:string'],
  ),
  op(
    'asterisk',
    'POST',
    '/asterisk/variable',
    'setGlobalVar',
    'void',
    'Set the value of a global variable.',
    ['variable*:string', 'value:string'],
  ),

  op('endpoints', 'GET', '/endpoints', 'list', 'List[Endpoint]', 'List all endpoints.'),
  op(
    'endpoints',
    'GET',
    '/endpoints/{tech}',
    'listByTech',
    'List[Endpoint]',
    'List available endoints for a given endpoint technology.',
    ['tech*:string'],
  ),
  op('endpoints', 'GET', '/endpoints/{tech}/{resource}', 'get', 'Endpoint', 'Details for an endpoint.', [
    'tech*:string',
    'resource*:string',
  ]),

  ch('GET', '/channels', 'list', 'List[Channel]', 'List all active channels in Asterisk.'),
  ch('POST', '/channels', 'originate', 'Channel', 'Create a new channel (originate).', [
    ...ORIGINATE.slice(0, 10),
    'channelId:string',
    ...ORIGINATE.slice(10),
  ]),
  ch('POST', '/channels/create', 'create', 'Channel', 'Create channel.', [
    'endpoint*:string',
    'app*:string',
    'appArgs:string',
    'channelId:string',
    'otherChannelId:string',
    'originator:string',
    'formats:string',
    '@variables:containers',
  ]),
  ch('GET', '/channels/{channelId}', 'get', 'Channel', 'Channel details.', ['channelId*:string']),
  ch(
    'POST',
    '/channels/{channelId}',
    'originateWithId',
    'Channel',
    'Create a new channel (originate with id).',
    ['channelId*:string', ...ORIGINATE],
  ),
  ch('DELETE', '/channels/{channelId}', 'hangup', 'void', 'Delete (i.e. hangup) a channel.', [
    'channelId*:string',
    'reason_code:string',
    'reason:string{normal|busy|congestion|no_answer|timeout|rejected|unallocated|normal_unspecified|number_incomplete|codec_mismatch|interworking|failure|answered_elsewhere}',
  ]),
  ch(
    'POST',
    '/channels/{channelId}/continue',
    'continueInDialplan',
    'void',
    'Exit application; continue execution in the dialplan.',
    ['channelId*:string', 'context:string', 'extension:string', 'priority:int', 'label:string'],
  ),
  ch(
    'POST',
    '/channels/{channelId}/redirect',
    'redirect',
    'void',
    'Redirect the channel to a different location.',
    ['channelId*:string', 'endpoint*:string'],
  ),
  ch('POST', '/channels/{channelId}/answer', 'answer', 'void', 'Answer a channel.', ['channelId*:string']),
  ch('POST', '/channels/{channelId}/ring', 'ring', 'void', 'Indicate ringing to a channel.', [
    'channelId*:string',
  ]),
  ch(
    'DELETE',
    '/channels/{channelId}/ring',
    'ringStop',
    'void',
    'Stop ringing indication on a channel if locally generated.',
    ['channelId*:string'],
  ),
  ch('POST', '/channels/{channelId}/dtmf', 'sendDTMF', 'void', 'Send provided DTMF to a given channel.', [
    'channelId*:string',
    'dtmf:string',
    'before:int=0',
    'between:int=100',
    'duration:int=100',
    'after:int=0',
  ]),
  ch('POST', '/channels/{channelId}/mute', 'mute', 'void', 'Mute a channel.', [
    'channelId*:string',
    DIRECTION,
  ]),
  ch('DELETE', '/channels/{channelId}/mute', 'unmute', 'void', 'Unmute a channel.', [
    'channelId*:string',
    DIRECTION,
  ]),
  ch('POST', '/channels/{channelId}/hold', 'hold', 'void', 'Hold a channel.', ['channelId*:string']),
  ch('DELETE', '/channels/{channelId}/hold', 'unhold', 'void', 'Remove a channel from hold.', [
    'channelId*:string',
  ]),
  ch('POST', '/channels/{channelId}/moh', 'startMoh', 'void', 'Play music on hold to a channel.', [
    'channelId*:string',
    'mohClass:string',
  ]),
  ch('DELETE', '/channels/{channelId}/moh', 'stopMoh', 'void', 'Stop playing music on hold to a channel.', [
    'channelId*:string',
  ]),
  ch('POST', '/channels/{channelId}/silence', 'startSilence', 'void', 'Play silence to a channel.', [
    'channelId*:string',
  ]),
  ch('DELETE', '/channels/{channelId}/silence', 'stopSilence', 'void', 'Stop playing silence to a channel.', [
    'channelId*:string',
  ]),
  ch('POST', '/channels/{channelId}/play', 'play', 'Playback', 'Start playback of media.', [
    'channelId*:string',
    ...PLAY,
    'playbackId:string',
  ]),
  ch(
    'POST',
    '/channels/{channelId}/play/{playbackId}',
    'playWithId',
    'Playback',
    'Start playback of media and specify the playbackId.',
    ['channelId*:string', 'playbackId*:string', ...PLAY],
  ),
  ch('POST', '/channels/{channelId}/record', 'record', 'LiveRecording', 'Start a recording.', [
    'channelId*:string',
    ...RECORD,
  ]),
  ch(
    'GET',
    '/channels/{channelId}/variable',
    'getChannelVar',
    'Variable',
    'Get the value of a channel variable or function.',
    ['channelId*:string', 'variable*:string'],
  ),
  ch(
    'POST',
    '/channels/{channelId}/variable',
    'setChannelVar',
    'void',
    'Set the value of a channel variable or function.',
    ['channelId*:string', 'variable*:string', 'value:string'],
  ),
  ch('POST', '/channels/{channelId}/snoop', 'snoopChannel', 'Channel', 'Start snooping.', [
    'channelId*:string',
    'spy:string{none|both|out|in}=none',
    'whisper:string{none|both|out|in}=none',
    'app*:string',
    'appArgs:string',
    'snoopId:string',
  ]),
  ch('POST', '/channels/{channelId}/snoop/{snoopId}', 'snoopChannelWithId', 'Channel', 'Start snooping.', [
    'channelId*:string',
    'snoopId*:string',
    'spy:string{none|both|out|in}=none',
    'whisper:string{none|both|out|in}=none',
    'app*:string',
    'appArgs:string',
  ]),
  ch('POST', '/channels/{channelId}/dial', 'dial', 'void', 'Dial a created channel.', [
    'channelId*:string',
    'caller:string',
    'timeout:int=0',
  ]),
  ch('GET', '/channels/{channelId}/rtp_statistics', 'rtpstatistics', 'RTPstat', 'RTP stats on a channel.', [
    'channelId*:string',
  ]),
  ch('POST', '/channels/externalMedia', 'externalMedia', 'Channel', 'Start an External Media session.', [
    'channelId:string',
    'app*:string',
    '@variables:containers',
    'external_host:string',
    'encapsulation:string{rtp|audiosocket|none}=rtp',
    'transport:string{udp|tcp|websocket}=udp',
    'connection_type:string{client|server}=client',
    'format*:string',
    'direction:string{both}=both',
    'data:string',
    'transport_data:string',
  ]),

  br('GET', '/bridges', 'list', 'List[Bridge]', 'List all active bridges in Asterisk.'),
  br('POST', '/bridges', 'create', 'Bridge', 'Create a new bridge.', [
    'type:string',
    'bridgeId:string',
    'name:string',
    '@variables:containers',
  ]),
  br(
    'POST',
    '/bridges/{bridgeId}',
    'createWithId',
    'Bridge',
    'Create a new bridge or updates an existing one.',
    ['type:string', 'bridgeId*:string', 'name:string', '@variables:containers'],
  ),
  br('GET', '/bridges/{bridgeId}', 'get', 'Bridge', 'Get bridge details.', ['bridgeId*:string']),
  br('DELETE', '/bridges/{bridgeId}', 'destroy', 'void', 'Shut down a bridge.', ['bridgeId*:string']),
  br('POST', '/bridges/{bridgeId}/addChannel', 'addChannel', 'void', 'Add a channel to a bridge.', [
    'bridgeId*:string',
    'channel*:string[]',
    'role:string',
    'absorbDTMF:boolean=false',
    'mute:boolean=false',
    'inhibitConnectedLineUpdates:boolean=false',
  ]),
  br(
    'POST',
    '/bridges/{bridgeId}/removeChannel',
    'removeChannel',
    'void',
    'Remove a channel from a bridge.',
    ['bridgeId*:string', 'channel*:string[]'],
  ),
  br(
    'POST',
    '/bridges/{bridgeId}/moh',
    'startMoh',
    'void',
    'Play music on hold to a bridge or change the MOH class that is playing.',
    ['bridgeId*:string', 'mohClass:string'],
  ),
  br('DELETE', '/bridges/{bridgeId}/moh', 'stopMoh', 'void', 'Stop playing music on hold to a bridge.', [
    'bridgeId*:string',
  ]),
  br('POST', '/bridges/{bridgeId}/play', 'play', 'Playback', 'Start playback of media on a bridge.', [
    'bridgeId*:string',
    ...PLAY,
    'playbackId:string',
    'announcer_format:string',
  ]),
  br(
    'POST',
    '/bridges/{bridgeId}/play/{playbackId}',
    'playWithId',
    'Playback',
    'Start playback of media on a bridge.',
    ['bridgeId*:string', 'playbackId*:string', ...PLAY, 'announcer_format:string'],
  ),
  br('POST', '/bridges/{bridgeId}/record', 'record', 'LiveRecording', 'Start a recording.', [
    'bridgeId*:string',
    ...RECORD,
    'recorder_format:string',
  ]),

  op(
    'recordings',
    'GET',
    '/recordings/stored',
    'listStored',
    'List[StoredRecording]',
    'List recordings that are complete.',
  ),
  op(
    'recordings',
    'GET',
    '/recordings/stored/{recordingName}',
    'getStored',
    'StoredRecording',
    "Get a stored recording's details.",
    ['recordingName*:string'],
  ),
  op(
    'recordings',
    'DELETE',
    '/recordings/stored/{recordingName}',
    'deleteStored',
    'void',
    'Delete a stored recording.',
    ['recordingName*:string'],
  ),
  op(
    'recordings',
    'GET',
    '/recordings/stored/{recordingName}/file',
    'getStoredFile',
    'binary',
    'Get the file associated with the stored recording.',
    ['recordingName*:string'],
  ),
  op(
    'recordings',
    'POST',
    '/recordings/stored/{recordingName}/copy',
    'copyStored',
    'StoredRecording',
    'Copy a stored recording.',
    ['recordingName*:string', 'destinationRecordingName*:string'],
  ),
  op(
    'recordings',
    'GET',
    '/recordings/live/{recordingName}',
    'getLive',
    'LiveRecording',
    'List live recordings.',
    ['recordingName*:string'],
  ),
  op(
    'recordings',
    'DELETE',
    '/recordings/live/{recordingName}',
    'cancel',
    'void',
    'Stop a live recording and discard it.',
    ['recordingName*:string'],
  ),
  op(
    'recordings',
    'POST',
    '/recordings/live/{recordingName}/stop',
    'stop',
    'void',
    'Stop a live recording and store it.',
    ['recordingName*:string'],
  ),
  op(
    'recordings',
    'POST',
    '/recordings/live/{recordingName}/pause',
    'pause',
    'void',
    'Pause a live recording.',
    ['recordingName*:string'],
  ),
  op(
    'recordings',
    'DELETE',
    '/recordings/live/{recordingName}/pause',
    'unpause',
    'void',
    'Unpause a live recording.',
    ['recordingName*:string'],
  ),
  op(
    'recordings',
    'POST',
    '/recordings/live/{recordingName}/mute',
    'mute',
    'void',
    'Mute a live recording.',
    ['recordingName*:string'],
  ),
  op(
    'recordings',
    'DELETE',
    '/recordings/live/{recordingName}/mute',
    'unmute',
    'void',
    'Unmute a live recording.',
    ['recordingName*:string'],
  ),

  op('sounds', 'GET', '/sounds', 'list', 'List[Sound]', 'List all sounds.', ['lang:string', 'format:string']),
  op('sounds', 'GET', '/sounds/{soundId}', 'get', 'Sound', "Get a sound's details.", ['soundId*:string']),

  op('playbacks', 'GET', '/playbacks/{playbackId}', 'get', 'Playback', "Get a playback's details.", [
    'playbackId*:string',
  ]),
  op('playbacks', 'DELETE', '/playbacks/{playbackId}', 'stop', 'void', 'Stop a playback.', [
    'playbackId*:string',
  ]),
  op('playbacks', 'POST', '/playbacks/{playbackId}/control', 'control', 'void', 'Control a playback.', [
    'playbackId*:string',
    'operation*:string{restart|pause|unpause|reverse|forward}',
  ]),

  op('events', 'GET', '/events', 'eventWebsocket', 'Message', 'WebSocket connection for events.', [
    'app*:string[]',
    'subscribeAll:boolean',
  ]),

  op('applications', 'GET', '/applications', 'list', 'List[Application]', 'List all applications.'),
  op(
    'applications',
    'GET',
    '/applications/{applicationName}',
    'get',
    'Application',
    'Get details of an application.',
    ['applicationName*:string'],
  ),
  op(
    'applications',
    'POST',
    '/applications/{applicationName}/subscription',
    'subscribe',
    'Application',
    'Subscribe an application to a event source.',
    ['applicationName*:string', 'eventSource*:string[]'],
  ),
  op(
    'applications',
    'DELETE',
    '/applications/{applicationName}/subscription',
    'unsubscribe',
    'Application',
    'Unsubscribe an application from an event source.',
    ['applicationName*:string', 'eventSource*:string[]'],
  ),
];

export const RESOURCES: { name: string; description: string }[] = [
  { name: 'asterisk', description: 'Asterisk resources' },
  { name: 'endpoints', description: 'Endpoint resources' },
  { name: 'channels', description: 'Channel resources' },
  { name: 'bridges', description: 'Bridge resources' },
  { name: 'recordings', description: 'Recording resources' },
  { name: 'sounds', description: 'Sound resources' },
  { name: 'playbacks', description: 'Playback control resources' },
  { name: 'events', description: 'WebSocket resource' },
  { name: 'applications', description: 'Stasis application resources' },
];
