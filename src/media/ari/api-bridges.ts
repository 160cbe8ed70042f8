// The bridges resource: its operations as Asterisk 22 declares them.
import { op, type OperationDecl } from './declare.js';
import { PLAY, RECORD } from './api-channels.js';

const br = (m: OperationDecl['method'], p: string, n: string, r: string, s: string, specs: string[] = []) =>
  op('bridges', m, p, n, r, s, specs);

export const BRIDGE_OPERATIONS: OperationDecl[] = [
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
];
