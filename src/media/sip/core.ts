// sip.js's UserAgentCore, set up as a server. We use its transactions, dialogs and message
// builders as they are and take over one step: UserAgentCore.receiveRequest, which answers 404
// to any Request-URI not addressed to its one configured user (a phone's logic). A server answers
// many numbers, so requests pass our own checks (transport/hub.ts) and then go straight to the
// core's inside/outside-dialog routing, below that check.
import type { Logger } from 'pino';
import {
  Levels,
  LoggerFactory,
  NameAddrHeader,
  URI,
  UserAgentCore,
  type DigestAuthentication,
  type IncomingRequestMessage,
  type IncomingInviteRequest,
  type IncomingRegisterRequest,
} from 'sip.js/lib/core/index.js';
import { ACCEPT_HEADER, ALLOW_HEADER } from './wire/validate.js';
import { CONTACT_HOST, VIA_HOST, type TransportHub } from './transport/hub.js';

export interface CoreHandlers {
  onInvite(uas: IncomingInviteRequest): void;
  onRegister(uas: IncomingRegisterRequest): void;
  /** Credentials for a challenge to one of our requests (trunk calls); sip.js asks per challenge. */
  authentication(): DigestAuthentication | undefined;
}

/** The private steps of UserAgentCore we call or replace (sip.js 0.21.2). */
interface CoreInternals {
  receiveRequest(message: IncomingRequestMessage): void;
  receiveInsideDialogRequest(message: IncomingRequestMessage): void;
  receiveOutsideDialogRequest(message: IncomingRequestMessage): void;
}

export const USER_AGENT = 'Hotline';

function loggerFactoryFor(log: Logger): LoggerFactory {
  const factory = new LoggerFactory();
  factory.builtinEnabled = false;
  factory.level = log.isLevelEnabled('trace')
    ? Levels.debug
    : log.isLevelEnabled('debug')
      ? Levels.warn
      : Levels.error;
  const sipLog = log.child({ module: 'sip.js' });
  // sip.js logs routine protocol events (a stray response, a late ACK) as warnings: one level down.
  factory.connector = (level, category, _label, content) => {
    const text = typeof content === 'string' ? content : JSON.stringify(content);
    if (level === 'error') sipLog.warn({ category }, text);
    else if (level === 'warn') sipLog.debug({ category }, text);
    else sipLog.trace({ category }, text);
  };
  return factory;
}

export function createCore(hub: TransportHub, handlers: CoreHandlers, log: Logger): UserAgentCore {
  const contactUri = new URI('sip', 'hotline', CONTACT_HOST);
  const core = new UserAgentCore(
    {
      aor: new URI('sip', 'hotline', CONTACT_HOST),
      contact: {
        pubGruu: undefined,
        tempGruu: undefined,
        uri: contactUri,
        toString: () => `<${contactUri.toString()}>`,
      },
      displayName: '',
      loggerFactory: loggerFactoryFor(log),
      hackViaTcp: false,
      routeSet: [],
      sipjsId: 'hotline',
      supportedOptionTags: [],
      supportedOptionTagsResponse: [],
      userAgentHeaderFieldValue: USER_AGENT,
      viaForceRport: true,
      viaHost: VIA_HOST,
      authenticationFactory: () => handlers.authentication(),
      transportAccessor: () => hub,
    },
    {
      onInvite: (uas) => handlers.onInvite(uas),
      onRegister: (uas) => handlers.onRegister(uas),
    },
  );
  const internals = core as unknown as CoreInternals;
  const merged = new MergedRequests(core);
  internals.receiveRequest = (message) => receiveRequest(core, internals, merged, message);
  return core;
}

/**
 * RFC 3261 §8.2.2.2: a request without a To tag whose From tag, Call-ID and CSeq match a
 * transaction in progress, but which is not that transaction, arrived twice by different paths
 * (a loop): 482. sip.js scans every server transaction for each request, which grows with the
 * call rate (every INVITE transaction lives 64·T1); this keeps an index instead.
 */
class MergedRequests {
  private readonly byKey = new Map<string, string>();
  constructor(private readonly core: UserAgentCore) {}

  /** True when the request duplicates another transaction in progress. */
  isMerged(message: IncomingRequestMessage): boolean {
    const key = `${message.fromTag}|${message.callId}|${message.cseq}`;
    const known = this.byKey.get(key);
    if (known !== undefined && known !== message.viaBranch && this.core.userAgentServers.has(known))
      return true;
    this.byKey.set(key, message.viaBranch);
    if (this.byKey.size > 2 * this.core.userAgentServers.size + 1000) this.forgetFinished();
    return false;
  }

  private forgetFinished(): void {
    for (const [key, id] of this.byKey) if (!this.core.userAgentServers.has(id)) this.byKey.delete(key);
  }
}

function dialogExists(core: UserAgentCore, message: IncomingRequestMessage): boolean {
  return core.dialogs.has(`${message.callId}${message.toTag}${message.fromTag}`);
}

function receiveRequest(
  core: UserAgentCore,
  internals: CoreInternals,
  merged: MergedRequests,
  message: IncomingRequestMessage,
): void {
  if (message.method === 'OPTIONS') {
    if (message.toTag && !dialogExists(core, message)) core.replyStateless(message, { statusCode: 481 });
    else core.replyStateless(message, { statusCode: 200, extraHeaders: [ALLOW_HEADER, ACCEPT_HEADER] });
    return;
  }
  if (message.method === 'INVITE' && !message.hasHeader('contact') && message.from) {
    // RFC 2543 allowed an INVITE without Contact; its From is then the remote target.
    message.headers['Contact'] = [
      { raw: `<${message.from.uri.toString()}>`, parsed: new NameAddrHeader(message.from.uri, '', {}) },
    ];
  }
  if (!message.toTag && message.method !== 'ACK' && merged.isMerged(message)) {
    core.replyStateless(message, { statusCode: 482 });
    return;
  }
  if (message.toTag) {
    internals.receiveInsideDialogRequest(message);
    return;
  }
  if (message.method === 'INFO') {
    // INFO only exists inside a dialog (RFC 6086); outside one there is no call to apply it to.
    core.replyStateless(message, { statusCode: 481 });
    return;
  }
  internals.receiveOutsideDialogRequest(message);
}
