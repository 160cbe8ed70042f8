// The IVR service: loads and watches the flows, answers every inbound channel the ARI connection
// hands it with the flow for the dialled number, keeps the call record (calls row and its
// `call_events` trail) and emits call.started / call.answered / call.ended.
import { mkdir } from 'node:fs/promises';
import type { AriConnection, Channel, StasisStart } from '../ari/index.js';
import { resolvePath } from '../config.js';
import type { AppContext, Service } from '../context.js';
import { publishLive } from '../events.js';
import type { CallRouter } from '../routing/index.js';
import { CallEventWriter, recordCallStart } from '../store/index.js';
import type { SpeechMenuRecognizer } from '../transcription/index.js';
import { IvrError } from './errors.js';
import type { LocalizedText } from './flow/fields.js';
import type { Flow } from './flow/flow.js';
import { FlowCatalog } from './flow/catalog.js';
import { IvrMetrics } from './metrics.js';
import { AriResources, TRANSFER_ROUTE } from './resources/ari.js';
import type { ChannelGone } from './resources/contract.js';
import { FilePromptSources } from './runtime/file-sources.js';
import { CallSession, type SessionEnd } from './runtime/session.js';
import { PgIvrStore } from './store/store.js';
import { PgCallTrail } from './store/trail.js';
import { EspeakTts, GoogleTts, TtsCache, type TtsProvider } from './tts/index.js';
import type { IvrServices } from './verbs/verb.js';

export interface IvrOptions {
  ari: AriConnection;
  /** Routing's CallRouter; without one, `enqueue` steps go to their `unavailable` step. */
  router?: CallRouter | null;
  /** Speech menus (`words` of menu options, `phrases` of gather); keys only without one. */
  speech?: SpeechMenuRecognizer | null;
  /** Hotline's own API URL: relative URLs of `http` steps (the demo CRM) resolve against it. */
  apiUrl?: string;
  now?: () => Date;
}

export interface IvrService extends Service {
  readonly catalog: FlowCatalog;
  readonly metrics: IvrMetrics;
  readonly resources: AriResources;
  readonly tts: TtsCache;
  /** Calls whose IVR part is running now. */
  activeCalls(): number;
  /** Settles when every fixed prompt of the flows is synthesised (started in the background). */
  readonly warmedUp: Promise<void>;
  /**
   * Hotline's own API is listening at `url`: relative URLs of `http` steps go there (unless
   * ivr.httpBaseUrl), through `fetch` when given (the app serves them in-process).
   */
  useApi(url: string, fetch?: typeof globalThis.fetch): void;
}

function ttsProvider(ctx: AppContext): TtsProvider {
  const { tts } = ctx.config.ivr;
  if (tts.provider === 'google') {
    return new GoogleTts({
      ...(tts.google.keyFile ? { keyFile: resolvePath(ctx.config, tts.google.keyFile) } : {}),
      ...(tts.google.projectId ? { projectId: tts.google.projectId } : {}),
      ...(tts.google.apiEndpoint ? { apiEndpoint: tts.google.apiEndpoint } : {}),
    });
  }
  return new EspeakTts({ speed: tts.espeakSpeed });
}

/** Every flow the configuration names must be loaded. */
function checkEntryFlows(ctx: AppContext, catalog: FlowCatalog): void {
  const { entryFlow, didFlows } = ctx.config.ivr;
  const wanted = [
    ['HOTLINE_IVR_ENTRY_FLOW (ivr.entryFlow)', entryFlow],
    ...Object.entries(didFlows).map(([did, flow]) => [`HOTLINE_IVR_DID_FLOWS (ivr.didFlows.${did})`, flow]),
  ] as const;
  for (const [field, flow] of wanted) {
    if (catalog.get(flow)) continue;
    throw new IvrError(
      'IVR_FLOW_NOT_FOUND',
      `${field} names flow "${flow}", but ${catalog.dir} has ${catalog.names().join(', ') || 'no flows'}`,
    );
  }
}

/** Every fixed text of the flows' prompts, per language: what can be synthesised ahead. */
export function fixedPrompts(
  flows: Iterable<Flow>,
  languages: string[],
): { text: string; language: string }[] {
  const out = new Map<string, { text: string; language: string }>();
  const add = (text: string, language: string) => {
    if (!text.includes('{{') && languages.includes(language))
      out.set(`${language}\0${text}`, { text, language });
  };
  const addText = (text: LocalizedText, only?: string) => {
    if (typeof text === 'string') for (const l of only ? [only] : languages) add(text, l);
    else for (const [l, t] of Object.entries(text)) if (!only || only === l) add(t, l);
  };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const item = value as { say?: LocalizedText; lang?: string; verb?: string; text?: LocalizedText };
    if (item.say !== undefined) addText(item.say, item.lang);
    if (item.verb === 'say' && item.text !== undefined) addText(item.text);
    Object.values(value).forEach(visit);
  };
  for (const flow of flows) for (const step of flow.steps.values()) visit(step);
  return [...out.values()];
}

async function warmUp(
  catalog: FlowCatalog,
  tts: TtsCache,
  languages: string[],
  stopped: () => boolean,
): Promise<number> {
  const prompts = fixedPrompts(catalog.snapshot().values(), languages);
  for (const { text, language } of prompts) {
    if (stopped()) break;
    await tts.media(text, language);
  }
  return prompts.length;
}

export async function startIvr(ctx: AppContext, options: IvrOptions): Promise<IvrService> {
  const { config, db, events } = ctx;
  const log = ctx.log.child({ module: 'ivr' });
  const languages = config.ivr.languages;
  const metrics = new IvrMetrics();
  const catalog = new FlowCatalog(resolvePath(config, config.ivr.flowsDir), {
    languages: Object.keys(languages),
    log,
    onReload: (_file, result) => metrics.reloaded(result.ok),
  });
  catalog.loadAll();
  checkEntryFlows(ctx, catalog);
  const ttsDir = resolvePath(config, config.ivr.ttsCacheDir);
  await mkdir(ttsDir, { recursive: true });
  const tts = new TtsCache({
    dir: ttsDir,
    provider: ttsProvider(ctx),
    languages,
    ...(config.ivr.tts.soundPrefix !== undefined ? { soundPrefix: config.ivr.tts.soundPrefix } : {}),
  });
  const sources = new FilePromptSources(resolvePath(config, config.ivr.promptsDir), tts);
  const resources = new AriResources(options.ari.client, options.ari.app, log);
  const store = new PgIvrStore(db);
  const services: IvrServices = {
    router: options.router ?? null,
    speech: options.speech ?? null,
    dialer: resources,
    bridges: resources,
    store,
    fetch: globalThis.fetch,
    httpBaseUrl: config.ivr.httpBaseUrl ?? options.apiUrl ?? null,
    languages,
    timezone: config.ivr.timezone,
    transferTrunk: config.ivr.transferTrunk ?? null,
    endpointTech: config.ivr.endpointTech,
    now: options.now ?? (() => new Date()),
  };
  const eventWriter = new CallEventWriter(db, log);
  const sessions = new Set<CallSession>();
  const handling = new Set<Promise<void>>();
  let stopping = false;

  const live = (type: string, payload: Record<string, unknown>) => {
    publishLive(ctx.redis, ctx.keys, type, payload).catch((err: unknown) =>
      log.warn({ err }, 'publishing a live IVR event failed'),
    );
  };

  async function handle(event: StasisStart, channel: Channel): Promise<void> {
    const dialled = event.args[0] ?? channel.dialplan?.exten ?? '';
    const call = resources.callChannel(channel, dialled);
    const callLog = log.child({ call: channel.id });
    await recordCallStart(db, {
      id: channel.id,
      direction: 'inbound',
      callerNumber: call.callerNumber,
      callerName: call.callerName,
      dialledNumber: dialled,
    });
    events.emit('call.started', {
      callId: channel.id,
      channelId: channel.id,
      callerNumber: call.callerNumber,
      dialled,
    });
    metrics.callStarted();
    const flowName = config.ivr.didFlows[dialled] ?? config.ivr.entryFlow;
    const flows = catalog.snapshot();
    const entry = flows.get(flowName);
    const trail = new PgCallTrail(db, eventWriter, channel.id, callLog, live);
    if (!entry || stopping) {
      callLog.error(
        { flow: flowName },
        stopping ? 'call arrived while stopping' : 'the flow for this number is not loaded',
      );
      await call.hangup().catch(() => undefined);
      trail.update({ endedAt: new Date(), outcome: 'failed' });
      await trail.flush();
      events.emit('call.ended', { callId: channel.id, cause: null, outcome: 'failed' });
      return;
    }
    const session = new CallSession({
      call: { id: channel.id, callerNumber: call.callerNumber, callerName: call.callerName, dialled },
      channel: call,
      flows,
      entry,
      services,
      trail,
      sources,
      log: callLog,
      defaultLanguage: config.ivr.defaultLanguage,
      maxSteps: config.ivr.maxStepsPerCall,
      onAnswered: () => events.emit('call.answered', { callId: channel.id, channelId: channel.id }),
      onResponseTime: (ms) => metrics.responseTime(ms),
    });
    sessions.add(session);
    let end: SessionEnd;
    try {
      end = await session.run();
    } finally {
      sessions.delete(session);
    }
    // Routing or a transfer has the caller now: the call record ends when the caller leaves.
    if (end.how === 'handed-off' && !call.gone.aborted && !stopping) {
      await new Promise<void>((resolve) =>
        call.gone.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
    const gone = call.gone.reason as ChannelGone | undefined;
    trail.update({ endedAt: new Date(), ...(gone?.cause ? { hangupCause: gone.cause } : {}) });
    await trail.flush();
    metrics.flowEnded(end);
    events.emit('call.ended', { callId: channel.id, cause: gone?.cause ?? null, outcome: end.outcome });
  }

  options.ari.routeInbound((event, channel) => {
    const job = handle(event, channel).catch((err: unknown) => {
      log.error({ err, channel: channel.id }, 'IVR call handling failed');
      channel.hangup().catch(() => undefined);
    });
    handling.add(job);
    void job.finally(() => handling.delete(job));
  });
  options.ari.route(TRANSFER_ROUTE, (_event, channel) => resources.legEntered(channel));
  if (config.ivr.hotReload) catalog.watch();
  // Speak every fixed prompt of every flow now, in the background, so that no caller waits for
  // espeak-ng; prompts with {{variables}} are made (and cached) the first time they are needed.
  const warming = warmUp(catalog, tts, Object.keys(languages), () => stopping).then(
    (made) => log.info({ prompts: made, synthesized: tts.synthesized }, 'TTS cache warm'),
    (err: unknown) => log.warn({ err }, 'warming the TTS cache failed; prompts are made on first use'),
  );
  log.info(
    {
      flows: catalog.names(),
      entry: config.ivr.entryFlow,
      router: Boolean(options.router),
      tts: config.ivr.tts.provider,
    },
    'IVR ready',
  );

  return {
    name: 'ivr',
    catalog,
    metrics,
    resources,
    tts,
    activeCalls: () => sessions.size,
    warmedUp: warming.then(() => undefined),
    useApi: (url, fetch) => {
      if (config.ivr.httpBaseUrl) return;
      services.httpBaseUrl = url;
      if (fetch) services.fetch = fetch;
    },
    async stop() {
      stopping = true;
      catalog.close();
      log.info(
        {
          calls: metrics.calls,
          ended: metrics.ended,
          outcomes: metrics.outcomes,
          responseMs: {
            p50: metrics.percentile(50),
            p99: metrics.percentile(99),
            samples: metrics.responseCount,
          },
          eventLoopDelayMs: metrics.eventLoop(),
        },
        'IVR stopping',
      );
      for (const session of sessions) session.stop();
      await Promise.race([
        Promise.allSettled([...handling, warming]),
        new Promise((r) => setTimeout(r, 5000).unref()),
      ]);
      await eventWriter.flush();
      resources.close();
    },
  };
}
