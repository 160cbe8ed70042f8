// The channels resource: its operations as Asterisk 22 declares them.
import { op, type OperationDecl } from './declare.js';

const ch = (m: OperationDecl['method'], p: string, n: string, r: string, s: string, specs: string[] = []) =>
  op('channels', m, p, n, r, s, specs);

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
export const PLAY = ['media*:string[]', 'lang:string', 'offsetms:int', 'skipms:int=3000'];
export const RECORD = [
  'name*:string',
  'format*:string',
  'maxDurationSeconds:int=0',
  'maxSilenceSeconds:int=0',
  'ifExists:string{fail|overwrite|append}=fail',
  'beep:boolean=false',
  'terminateOn:string{none|any|*|#}=none',
];
const DIRECTION = 'direction:string{both|in|out}=both';

export const CHANNEL_OPERATIONS: OperationDecl[] = [
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
];
