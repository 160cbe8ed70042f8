// The transcription module at run time: starts a call's transcription when routing connects it
// with an agent (`call.connected`), stops it when the call ends (`call.ended`), and serves the
// IVR's speech menus. Everything a call's transcription does worth knowing goes to its trail
// (`call_events`, source `transcription`) and the live events stream.
import type { AriConnection } from '../ari/index.js';
import type { AppContext, Service } from '../context.js';
import { publishLive, type HotlineEventMap } from '../events.js';
import { recordCallEvent } from '../store/index.js';
import type { SpeechMenuRecognizer } from './contract.js';
import { messageOf } from './errors.js';
import { AriForkAdapter, type ForkAri } from './fork-ari.js';
import type { ForkSettings } from './fork.js';
import { policyFor } from './policy.js';
import { ProviderRegistry } from './providers/index.js';
import { CallTranscription, type Reporter, type SegmentSink } from './session.js';
import { PhraseRecognizer } from './speech-menu.js';
import { SegmentPublisher } from './store.js';

export interface TranscriptionService extends Service {
  /** For the IVR's `menu`/`gather` by speech. */
  speechMenu: SpeechMenuRecognizer;
  /** Calls being transcribed now. */
  active(): string[];
}

export interface TranscriptionOptions {
  /** Instead of the ARI connection (tests). */
  forkAri?: ForkAri;
  /** Instead of Postgres + Redis (tests). */
  sink?: SegmentSink;
}

export function forkSettingsOf(config: AppContext['config']['transcription']): ForkSettings {
  return {
    bindAddress: config.rtpBindAddress,
    advertiseAddress: config.rtpAdvertiseAddress ?? config.rtpBindAddress,
    portMin: config.rtpPortMin,
    portMax: config.rtpPortMax,
    wideband: config.wideband,
  };
}

export function startTranscription(
  ctx: AppContext,
  ari: AriConnection | null,
  options: TranscriptionOptions = {},
): TranscriptionService {
  const { config, db, events } = ctx;
  const log = ctx.log.child({ module: 'transcription' });
  const settings = config.transcription;
  const forkAri = options.forkAri ?? (ari ? new AriForkAdapter(ari) : null);
  if (!forkAri) throw new Error('transcription needs an ARI connection');
  const providers = new ProviderRegistry(settings);
  const sink = options.sink ?? new SegmentPublisher({ db, redis: ctx.redis, keys: ctx.keys, events, log });
  const calls = new Map<string, CallTranscription>();
  const fork = forkSettingsOf(settings);

  const report: Reporter = (callId, type, data) => {
    const level = type.endsWith('error') || type.endsWith('failed') ? 'warn' : 'info';
    log[level]({ callId, ...data }, type);
    if (type === 'transcription.error')
      events.emit('transcript.error', {
        callId,
        party: data.party as HotlineEventMap['transcript.error']['party'],
        provider: typeof data.provider === 'string' ? data.provider : '',
        code: typeof data.code === 'string' ? data.code : '',
        message: typeof data.message === 'string' ? data.message : '',
      });
    recordCallEvent(db, callId, 'transcription', type, data).catch((err: unknown) =>
      log.debug({ err: messageOf(err), callId }, 'no call row for the transcription event'),
    );
    publishLive(ctx.redis, ctx.keys, type, { callId, ...data }).catch(() => undefined);
  };

  async function callFacts(callId: string): Promise<{ startedAt: number; flow: string | null }> {
    const { rows } = await db
      .query<{ started_at: Date; flow: string | null }>(
        `SELECT started_at, COALESCE(data #>> '{ivr,flow}', data ->> 'flow') AS flow FROM calls WHERE id = $1`,
        [callId],
      )
      .catch(() => ({ rows: [] as { started_at: Date; flow: string | null }[] }));
    return { startedAt: rows[0]?.started_at.getTime() ?? Date.now(), flow: rows[0]?.flow ?? null };
  }

  async function onConnected(e: HotlineEventMap['call.connected']): Promise<void> {
    if (calls.has(e.callId)) return;
    const facts = await callFacts(e.callId);
    const policy = policyFor(settings, { queue: e.queue, flow: facts.flow, language: e.language });
    if (!policy.enabled) return;
    const provider = providers.withFallback(policy.provider);
    if (!provider.supports(policy.language)) {
      report(e.callId, 'transcription.failed', {
        code: 'TRANSCRIPTION_LANGUAGE_UNSUPPORTED',
        message: `No ASR provider configured for language ${policy.language} (${policy.provider})`,
      });
      return;
    }
    const session = new CallTranscription(
      { ari: forkAri!, fork, sink, report, log },
      {
        callId: e.callId,
        startedAt: facts.startedAt,
        language: policy.language,
        provider,
        parties: [
          { party: 'caller', channelId: e.callerChannelId },
          { party: 'agent', channelId: e.agentChannelId },
        ],
      },
    );
    calls.set(e.callId, session);
    await session.start();
  }

  async function onEnded(callId: string): Promise<void> {
    const session = calls.get(callId);
    if (!session) return;
    await session.stop();
    calls.delete(callId);
  }

  const offConnected = events.on('call.connected', (e) => {
    onConnected(e).catch((err: unknown) =>
      log.error({ err, callId: e.callId }, 'starting transcription failed'),
    );
  });
  const offEnded = events.on('call.ended', (e) => {
    onEnded(e.callId).catch((err: unknown) =>
      log.error({ err, callId: e.callId }, 'stopping transcription failed'),
    );
  });

  // Recognisers with their model loaded before the first calls (pocketsphinx.warmProcesses).
  if (settings.enabled && settings.pocketsphinx.warmProcesses > 0)
    providers
      .pocketsphinx()
      .warmUp()
      .catch((err: unknown) => log.warn({ err: messageOf(err) }, 'starting warm recognisers failed'));

  const speechMenu = new PhraseRecognizer({
    ari: forkAri,
    fork,
    providers,
    settings,
    log,
  });

  return {
    name: 'transcription',
    speechMenu,
    active: () => [...calls.keys()],
    async stop() {
      offConnected();
      offEnded();
      await Promise.all([...calls.values()].map((s) => s.stop()));
      calls.clear();
      await speechMenu.close();
      await providers.close();
    },
  };
}
