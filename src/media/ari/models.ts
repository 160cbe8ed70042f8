// The data models of Hotline's ARI declarations, named and typed as in Asterisk 22 (ari-client
// reads the event models to turn event payloads into Channel, Bridge, Playback... objects).

type Prop = { type: string; required?: boolean; description?: string };
type Model = {
  id: string;
  description: string;
  properties: Record<string, Prop>;
  extends?: string;
  subTypes?: string[];
  discriminator?: string;
};

/** "name*:Type" → property; * = required. */
function model(id: string, description: string, props: string[], extra: Partial<Model> = {}): Model {
  const properties: Record<string, Prop> = {};
  for (const spec of props) {
    const m = /^([a-z_]+)(\*)?:(.+)$/.exec(spec);
    if (!m) throw new Error(`bad model property ${spec}`);
    properties[m[1]!] = m[2] ? { type: m[3]!, required: true } : { type: m[3]! };
  }
  return { id, description, properties, ...extra };
}

const CHANNEL = 'channel*:Channel';

const EVENT_MODELS: Model[] = [
  model('ApplicationReplaced', 'Notification that another WebSocket has taken over for an application.', []),
  model('BridgeCreated', 'Notification that a bridge has been created.', ['bridge*:Bridge']),
  model('BridgeDestroyed', 'Notification that a bridge has been destroyed.', ['bridge*:Bridge']),
  model('ChannelCreated', 'Notification that a channel has been created.', [CHANNEL]),
  model('ChannelDestroyed', 'Notification that a channel has been destroyed.', [
    'cause*:int',
    'cause_txt*:string',
    'tech_cause:int',
    CHANNEL,
  ]),
  model('ChannelEnteredBridge', 'Notification that a channel has entered a bridge.', [
    'bridge*:Bridge',
    'channel:Channel',
  ]),
  model('ChannelLeftBridge', 'Notification that a channel has left a bridge.', ['bridge*:Bridge', CHANNEL]),
  model('ChannelStateChange', "Notification of a channel's state change.", [CHANNEL]),
  model('ChannelDtmfReceived', 'DTMF received on a channel.', ['digit*:string', 'duration_ms*:int', CHANNEL]),
  model('ChannelDialplan', 'Channel changed location in the dialplan.', [
    CHANNEL,
    'dialplan_app*:string',
    'dialplan_app_data*:string',
  ]),
  model('ChannelCallerId', 'Channel changed Caller ID.', [
    'caller_presentation*:int',
    'caller_presentation_txt*:string',
    CHANNEL,
  ]),
  model('ChannelConnectedLine', 'Channel changed Connected Line.', [CHANNEL]),
  model('ChannelHangupRequest', 'A hangup was requested on the channel.', [
    'cause:int',
    'tech_cause:int',
    'soft:boolean',
    CHANNEL,
  ]),
  model('ChannelVarset', 'Channel variable changed.', [
    'variable*:string',
    'value*:string',
    'channel:Channel',
  ]),
  model('ChannelHold', 'A channel initiated a media hold.', [CHANNEL, 'musicclass:string']),
  model('ChannelUnhold', 'A channel initiated a media unhold.', [CHANNEL]),
  model('ChannelTalkingStarted', 'Talking was detected on the channel.', [CHANNEL]),
  model('ChannelTalkingFinished', 'Talking is no longer detected on the channel.', [
    CHANNEL,
    'duration*:int',
  ]),
  model('Dial', 'Dialing state has changed.', [
    'caller:Channel',
    'peer*:Channel',
    'forward:string',
    'forwarded:Channel',
    'dialstring:string',
    'dialstatus*:string',
  ]),
  model('EndpointStateChange', 'Endpoint state changed.', ['endpoint*:Endpoint']),
  model('PlaybackStarted', 'Event showing the start of a media playback operation.', ['playback*:Playback']),
  model(
    'PlaybackContinuing',
    'Event showing the continuation of a media playback operation from one media URI to the next in the list.',
    ['playback*:Playback'],
  ),
  model('PlaybackFinished', 'Event showing the completion of a media playback operation.', [
    'playback*:Playback',
  ]),
  model('RecordingStarted', 'Event showing the start of a recording operation.', [
    'recording*:LiveRecording',
  ]),
  model('RecordingFinished', 'Event showing the completion of a recording operation.', [
    'recording*:LiveRecording',
  ]),
  model('RecordingFailed', 'Event showing failure of a recording operation.', ['recording*:LiveRecording']),
  model('StasisStart', 'Notification that a channel has entered a Stasis application.', [
    'args*:List[string]',
    CHANNEL,
    'replace_channel:Channel',
  ]),
  model('StasisEnd', 'Notification that a channel has left a Stasis application.', [CHANNEL]),
];

/** Event type names Hotline sends. */
export const EVENT_TYPES = EVENT_MODELS.map((m) => m.id);

const CHANNEL_MODELS: Model[] = [
  model('CallerID', 'Caller identification', ['name*:string', 'number*:string']),
  model('DialplanCEP', 'Dialplan location (context/extension/priority)', [
    'context*:string',
    'exten*:string',
    'priority*:long',
    'app_name*:string',
    'app_data*:string',
  ]),
  model('Channel', 'A specific communication connection between Asterisk and an Endpoint.', [
    'id*:string',
    'protocol_id*:string',
    'name*:string',
    'state*:string',
    'caller*:CallerID',
    'connected*:CallerID',
    'accountcode*:string',
    'dialplan*:DialplanCEP',
    'creationtime*:Date',
    'language*:string',
    'channelvars:object',
    'caller_rdnis:string',
    'tenantid:string',
  ]),
  model('RTPstat', 'A statistics of a RTP.', [
    'txcount*:int',
    'rxcount*:int',
    'txjitter:double',
    'rxjitter:double',
    'txploss*:int',
    'rxploss*:int',
    'local_ssrc*:int',
    'remote_ssrc*:int',
    'txoctetcount*:int',
    'rxoctetcount*:int',
    'channel_uniqueid*:string',
  ]),
];

export const MODELS: Record<string, Model[]> = {
  asterisk: [
    model('BuildInfo', 'Info about how Asterisk was built', [
      'os*:string',
      'kernel*:string',
      'options*:string',
      'machine*:string',
      'date*:string',
      'user*:string',
    ]),
    model('SystemInfo', 'Info about Asterisk', ['version*:string', 'entity_id*:string']),
    model('SetId', 'Effective user/group id', ['user*:string', 'group*:string']),
    model('ConfigInfo', 'Info about Asterisk configuration', [
      'name*:string',
      'default_language*:string',
      'max_channels:int',
      'max_open_files:int',
      'max_load:double',
      'setid*:SetId',
    ]),
    model('StatusInfo', 'Info about Asterisk status', ['startup_time*:Date', 'last_reload_time*:Date']),
    model('AsteriskInfo', 'Asterisk system information', [
      'build:BuildInfo',
      'system:SystemInfo',
      'config:ConfigInfo',
      'status:StatusInfo',
    ]),
    model('AsteriskPing', 'Asterisk ping information', [
      'asterisk_id*:string',
      'ping*:string',
      'timestamp*:string',
    ]),
    model('Variable', 'The value of a channel variable', ['value*:string']),
  ],
  endpoints: [
    model('Endpoint', 'An external device that may offer/accept calls to/from Asterisk.', [
      'technology*:string',
      'resource*:string',
      'state:string',
      'channel_ids*:List[string]',
    ]),
  ],
  channels: CHANNEL_MODELS,
  bridges: [
    model('Bridge', 'The merging of media from one or more channels.', [
      'id*:string',
      'technology*:string',
      'bridge_type*:string',
      'bridge_class*:string',
      'creator*:string',
      'name*:string',
      'channels*:List[string]',
      'video_mode:string',
      'video_source_id:string',
      'creationtime*:Date',
    ]),
  ],
  recordings: [
    model('StoredRecording', 'A past recording that may be played back.', ['name*:string', 'format*:string']),
    model('LiveRecording', 'A recording that is in progress', [
      'name*:string',
      'format*:string',
      'target_uri*:string',
      'state*:string',
      'duration:int',
      'talking_duration:int',
      'silence_duration:int',
      'cause:string',
    ]),
  ],
  sounds: [
    model('FormatLangPair', 'Identifies the format and language of a sound file', [
      'language*:string',
      'format*:string',
    ]),
    model('Sound', 'A media file that may be played back.', [
      'id*:string',
      'text:string',
      'formats*:List[FormatLangPair]',
    ]),
  ],
  playbacks: [
    model('Playback', 'Object representing the playback of media to a channel', [
      'id*:string',
      'media_uri*:string',
      'next_media_uri:string',
      'target_uri*:string',
      'language:string',
      'state*:string',
    ]),
  ],
  events: [
    model('Message', 'Base type for errors and events', ['type*:string', 'asterisk_id:string'], {
      discriminator: 'type',
      subTypes: ['MissingParams', 'Event'],
    }),
    model('MissingParams', 'Error event sent when required params are missing.', ['params*:List[string]'], {
      extends: 'Message',
    }),
    model(
      'Event',
      'Base type for asynchronous events from Asterisk.',
      ['application*:string', 'timestamp*:Date'],
      {
        extends: 'Message',
        subTypes: EVENT_TYPES,
      },
    ),
    ...EVENT_MODELS.map((m) => ({ ...m, extends: 'Event' })),
  ],
  applications: [
    model('Application', 'Details of a Stasis application', [
      'name*:string',
      'channel_ids*:List[string]',
      'bridge_ids*:List[string]',
      'endpoint_ids*:List[string]',
      'device_names*:List[string]',
      'events_allowed*:List[object]',
      'events_disallowed*:List[object]',
    ]),
  ],
};
