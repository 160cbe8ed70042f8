// Hotline's configuration: one zod schema, filled from an optional YAML/JSON file
// (HOTLINE_CONFIG) and overridden by environment variables named after each field
// (media.sipUdpPort → HOTLINE_MEDIA_SIP_UDP_PORT). Validated before any port opens; a bad
// value stops the process naming the variable (or file field) and what is wrong with it.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * Faster pocketsphinx decoder settings for dictation (used under load): no second (flat-lexicon)
 * pass but the cheap best-path pass, at most 2,000 active HMMs and 5 word exits a frame, a
 * 10-frame phone lookahead, narrower word-exit beams. 0.08 CPU-s per second of speech against
 * 0.22; bench WER level with pocketsphinx_continuous at its own settings, but worse on wideband
 * speech (docs/transcription.md, Capacity).
 */
export const FAST_DICTATION_ARGS = [
  '-fwdflat',
  'no',
  '-maxhmmpf',
  '2000',
  '-maxwpf',
  '5',
  '-pl_window',
  '10',
  '-wbeam',
  '1e-20',
  '-lpbeam',
  '1e-30',
  '-lponlybeam',
  '1e-20',
] as const;

const asrProvider = z.enum(['pocketsphinx', 'websocket', 'google']);
/** Transcription for one queue or flow; what is left out comes from the defaults. */
const transcriptionPolicy = z.object({
  enabled: z.boolean().optional(),
  provider: asrProvider.optional(),
  /** BCP 47, e.g. 'en-US', 'cmn-Hans-CN' (wins over the call's own language). */
  language: z.string().min(2).optional(),
});
const transcriptionSchema = z
  .object({
    /** Transcribe every answered call (a queue or flow can say otherwise in `queues`/`flows`). */
    enabled: z.boolean().default(true),
    /** pocketsphinx (offline, English, 16 kHz), websocket (Vosk protocol server) or google. */
    provider: asrProvider.default('pocketsphinx'),
    /** Takes over when the provider fails during a call or cannot do its language. */
    fallbackProvider: z.enum(['none', 'pocketsphinx', 'websocket', 'google']).default('none'),
    /** Language of calls that do not say theirs (BCP 47). */
    defaultLanguage: z.string().min(2).default('en-US'),
    /** A call's language as the IVR and routing name it → the BCP 47 tag recognisers get. */
    languages: z
      .record(z.string(), z.string().min(2))
      .default({ en: 'en-US', zh: 'cmn-Hans-CN', cmn: 'cmn-Hans-CN', yue: 'yue-Hant-HK' }),
    /** Per queue (by name). */
    queues: z.record(z.string(), transcriptionPolicy).default({}),
    /** Per IVR flow (by the `flow` field of the call's live state in Redis). */
    flows: z.record(z.string(), transcriptionPolicy).default({}),
    /**
     * 16 kHz forks (slin16): `always` asks for it on every leg (the server converts 8 kHz legs),
     * `auto` only where CHANNEL(audionativeformat) says the leg is wideband, `never` forks ulaw.
     * A server that refuses slin16 gets ulaw.
     */
    wideband: z.enum(['always', 'auto', 'never']).default('always'),
    /** Address the UDP sockets for forked audio bind to. */
    rtpBindAddress: z.string().default('127.0.0.1'),
    /** Address the media server sends forked audio to (defaults to rtpBindAddress). */
    rtpAdvertiseAddress: z.string().optional(),
    rtpPortMin: port.default(40000),
    rtpPortMax: port.default(44999),
    pocketsphinx: z
      .object({
        command: z.string().min(1).default('pocketsphinx_continuous'),
        hmm: z.string().default('/usr/share/pocketsphinx/model/en-us/en-us'),
        lm: z.string().default('/usr/share/pocketsphinx/model/en-us/en-us.lm.bin'),
        dict: z.string().default('/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict'),
        language: z.string().default('en-US'),
        /** Pause that ends a segment. Shorter: sooner segments, less context per segment. */
        vadPostspeechMs: z.number().int().min(50).max(5000).default(700),
        /** More pocketsphinx command-line options, e.g. ["-beam","1e-40"]. */
        args: z.array(z.string()).default([]),
        /**
         * Decoder options for dictation (not speech menus). [] is pocketsphinx's own settings,
         * the most accurate; FAST_DICTATION_ARGS cost 2.7x less CPU (docs/transcription.md).
         */
        dictationArgs: z.array(z.string()).default([]),
        /**
         * Under load, cheaper settings: an utterance that starts while more than `aboveStreams`
         * parties are being transcribed is decoded with `args` (0: never). Default: four times the
         * cores, about the calls (two parties each) the default settings decode in real time.
         */
        underLoad: z
          .object({
            aboveStreams: z
              .number()
              .int()
              .min(0)
              .default(() => 4 * availableParallelism()),
            args: z.array(z.string()).default([...FAST_DICTATION_ARGS]),
          })
          .prefault({}),
        /**
         * Utterances decoded at once across all calls (0: no limit). Past it an utterance waits
         * for a slot up to maxWaitMs, then is skipped with a transcription.behind event.
         */
        maxUtterances: z.number().int().min(0).default(0),
        /** Dictation recognisers kept started with their model loaded (about 100 MB each). */
        warmProcesses: z.number().int().min(0).max(500).default(0),
        maxWaitMs: z.number().int().min(0).max(60_000).default(2_000),
      })
      .prefault({}),
    websocket: z
      .object({
        /** Vosk-protocol servers (Vosk, sherpa-onnx, Whisper bridges) by the language each serves. */
        servers: z.record(z.string(), z.string().url()).default({ 'en-US': 'ws://127.0.0.1:2700' }),
        /** Audio per message. */
        chunkMs: z.number().int().min(10).max(1000).default(100),
      })
      .prefault({}),
    google: z
      .object({
        /** Service account key file; unset: Application Default Credentials. */
        keyFile: z.string().optional(),
        projectId: z.string().optional(),
        /** Another endpoint (a regional one, a proxy); with `port` and `insecure` for plain gRPC. */
        apiEndpoint: z.string().optional(),
        port: port.optional(),
        insecure: z.boolean().default(false),
        /** Recognition model, e.g. 'phone_call' (not every language has every model). */
        model: z.string().optional(),
        punctuation: z.boolean().default(true),
        /** A stream is replaced by a new one after this much audio (Google's limit is 5 minutes). */
        maxStreamMs: z.number().int().min(1000).max(300_000).default(290_000),
      })
      .prefault({}),
  })
  .prefault({});

/** One caller language of the IVR (see src/ivr/languages.ts). */
const ivrLanguage = z
  .object({
    label: z.string(),
    /** BCP 47 tag for speech recognition. */
    speech: z.string(),
    /** Folder of recorded prompts, and ARI `lang`. */
    sounds: z.string(),
    espeakVoice: z.string(),
    /** Speak Chinese as tone-numbered pinyin (Debian's `-v cmn` is broken). */
    pinyin: z.boolean().default(false),
    google: z.object({ languageCode: z.string(), voice: z.string().optional() }),
  })
  .strict();

const defaultIvrLanguages = {
  zh: {
    label: '中文',
    speech: 'cmn-Hans-CN',
    sounds: 'zh',
    espeakVoice: 'cmn-latn-pinyin',
    pinyin: true,
    google: { languageCode: 'cmn-CN', voice: 'cmn-CN-Standard-A' },
  },
  en: {
    label: 'English',
    speech: 'en-US',
    sounds: 'en',
    espeakVoice: 'en-us',
    pinyin: false,
    google: { languageCode: 'en-US', voice: 'en-US-Standard-C' },
  },
};

export const configSchema = z.object({
  /** Where relative paths in this configuration are resolved from. */
  home: z.string().default(process.cwd()),
  log: z
    .object({
      level: logLevel.default('info'),
      /** Human-readable lines instead of JSON; defaults to on when stdout is a terminal. */
      pretty: z.boolean().optional(),
    })
    .prefault({}),
  database: z
    .object({
      url: z.string().url().default('postgres://postgres@127.0.0.1:5432/hotline'),
      poolSize: z.number().int().min(1).max(200).default(10),
    })
    .prefault({}),
  redis: z
    .object({
      url: z.string().url().default('redis://127.0.0.1:6379'),
      /** Every key Hotline writes starts with this, so several hotlines can share one Redis. */
      keyPrefix: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
        .default('hotline'),
    })
    .prefault({}),
  api: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: port.default(8080),
    })
    .prefault({}),
  ari: z
    .object({
      /** `embedded`: start Hotline's own media server; `external`: connect to an Asterisk at `url`. */
      mode: z.enum(['embedded', 'external']).default('embedded'),
      url: z.string().url().default('http://127.0.0.1:8088'),
      username: z.string().min(1).default('hotline'),
      password: z.string().min(1).default('hotline'),
      app: z.string().min(1).default('hotline'),
    })
    .prefault({}),
  media: z
    .object({
      /** Address the SIP and RTP sockets bind to. */
      bindAddress: z.string().default('127.0.0.1'),
      /** Address written into SDP and Contact headers (defaults to bindAddress). */
      publicAddress: z.string().optional(),
      sipUdpPort: port.default(5060),
      sipTcpPort: port.default(5060),
      rtpPortMin: port.default(10000),
      rtpPortMax: port.default(20000),
      /** Calls at once before new INVITEs get 503. */
      maxCalls: z.number().int().min(1).default(2000),
      /** Language of new channels (prompts are looked up in `<soundsDir>/<language>/`). */
      language: z.string().min(1).default('en'),
      /** A call whose peer sends no RTP for this long is hung up (the peer vanished). */
      rtpTimeoutSeconds: z.number().int().min(1).default(30),
      /** Prompts: `<soundsDir>/<lang>/<name>.wav`. Several folders are searched in order. */
      soundsDirs: z.array(z.string()).default(['sounds', '/usr/share/asterisk/sounds']),
      /** Music on hold: class name → folder of WAV files. */
      mohClasses: z.record(z.string(), z.string()).default({ default: '/usr/share/asterisk/moh' }),
      recordingsDir: z.string().default('var/recordings'),
      /** Endpoints (agents' phones), trunks and DIDs: see docs/configuration.md. */
      sipConfigFile: z.string().default('config/sip.yaml'),
      /**
       * Run the embedded media server in a thread of its own (its own event loop), so controller
       * work never delays a prompt's start or a key press event. false: in the controller's thread.
       */
      thread: z.boolean().default(true),
    })
    .prefault({}),
  ivr: z
    .object({
      flowsDir: z.string().default('flows'),
      ttsCacheDir: z.string().default('var/tts-cache'),
      /** The flow a call runs when its dialled number has none in didFlows. */
      entryFlow: z.string().min(1).default('demo'),
      /** Dialled number → flow name. */
      didFlows: z.record(z.string(), z.string().min(1)).default({}),
      /** Reload a flow file when it changes (an invalid one is refused; the old one stays). */
      hotReload: z.boolean().default(true),
      /** Recorded prompts `<promptsDir>/<lang>/<name>.wav`, preferred over TTS. */
      promptsDir: z.string().default('sounds'),
      /** Time zone of `hours` steps and time conditions (IANA name). */
      timezone: z
        .string()
        .refine((tz) => {
          try {
            new Intl.DateTimeFormat('en', { timeZone: tz });
            return true;
          } catch {
            return false;
          }
        }, 'not a known time zone (e.g. Asia/Shanghai)')
        .default('Asia/Shanghai'),
      /** The call's language until a flow sets one (a key of languages). */
      defaultLanguage: z.string().min(1).default('zh'),
      /** Languages callers can choose: prompts folder, TTS voices, speech-recognition tag. */
      languages: z
        .record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/), ivrLanguage)
        .default(defaultIvrLanguages),
      /** Relative URLs of `http` steps are resolved against this (default: Hotline's own API). */
      httpBaseUrl: z.string().url().optional(),
      /** Trunk for `transfer` to a number when the step names none. */
      transferTrunk: z.string().optional(),
      /** ARI endpoint technology used to dial agents and trunks. */
      endpointTech: z.string().min(1).default('PJSIP'),
      /** A call that passes more steps than this is hung up (a loop the validator cannot see). */
      maxStepsPerCall: z.number().int().min(10).default(500),
      tts: z
        .object({
          provider: z.enum(['espeak', 'google']).default('espeak'),
          /** Words per minute of espeak-ng. */
          espeakSpeed: z.number().int().min(80).max(450).default(150),
          /**
           * Play cached TTS as `sound:<prefix><hash>` instead of by absolute path: for an Asterisk
           * that sees the cache under its own sounds folder (e.g. `hotline-tts/`).
           */
          soundPrefix: z.string().optional(),
          google: z
            .object({
              /** Service-account key file (else Application Default Credentials). */
              keyFile: z.string().optional(),
              projectId: z.string().optional(),
              apiEndpoint: z.string().optional(),
            })
            .prefault({}),
        })
        .prefault({}),
    })
    .prefault({}),
  routing: z
    .object({
      /** Run the ACD (queues, agents, skill-based routing) in this process. */
      enabled: z.boolean().default(true),
      /** Queues and agents, loaded into Redis at start: see config/contact-center.yaml. */
      configFile: z.string().default('config/contact-center.yaml'),
      /** This controller node's name, unique among the nodes sharing Redis (offers for its calls go to it). */
      nodeId: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
        .default(`${hostname().replace(/[^A-Za-z0-9_.-]/g, '-')}-${process.pid}`),
      /** How often each node runs the housekeeping sweep (expired reservations, wrap-ups, lost nodes). */
      sweepIntervalMs: z.number().int().min(100).max(60_000).default(1000),
      /** A node silent this long is gone: its callers are abandoned, its callbacks adopted by another. */
      nodeTimeoutMs: z.number().int().min(1000).max(600_000).default(10_000),
    })
    .prefault({}),
  qa: z
    .object({
      /** Run the QA workers (live per segment, post-call per call) in this process. */
      enabled: z.boolean().default(true),
      /** Folder of rule files (`*.yaml`): see docs/qa.md. */
      rulesDir: z.string().default('qa'),
      /** Caller anger (0..1) at or above which supervisors get a live alert. */
      angerThreshold: z.number().min(0).max(1).default(0.65),
      /** Replace card, phone and ID numbers and e-mail addresses before storing or showing text. */
      redact: z.boolean().default(true),
      /** Wait after a call ends before its post-call analysis, so its last segments are in. */
      postCallDelayMs: z.number().int().min(0).default(3000),
      liveConcurrency: z.number().int().min(1).max(64).default(4),
      postCallConcurrency: z.number().int().min(1).max(64).default(2),
      /** Where final segments come from: transcription's Redis stream (a consumer group shared by
       * every node), or in-process events (only the segments of calls on this node). */
      segmentFeed: z.enum(['stream', 'events']).default('stream'),
      /** Mine frequent issues this often (one schedule for all nodes); 0 = only on request. */
      issueMiningEveryMs: z
        .number()
        .int()
        .min(0)
        .default(6 * 3600_000),
      /** The period each scheduled mining covers, ending now. */
      issueWindowDays: z.number().int().min(1).max(365).default(14),
    })
    .prefault({}),
  transcription: transcriptionSchema,
});

export type HotlineConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  readonly code = 'HOTLINE_CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Leaf = { path: string[]; kind: 'string' | 'number' | 'boolean' | 'json' };

/** The environment variable that sets a field: media.sipUdpPort → HOTLINE_MEDIA_SIP_UDP_PORT. */
export function envNameOf(fieldPath: readonly PropertyKey[]): string {
  const words = fieldPath.map((p) => String(p).replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
  return `HOTLINE_${words.join('_').toUpperCase()}`;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodPrefault) {
      s = s.unwrap() as z.ZodType;
      continue;
    }
    return s;
  }
}

function leavesOf(schema: z.ZodType, prefix: string[] = []): Leaf[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, child]) =>
      leavesOf(child, [...prefix, key]),
    );
  }
  if (inner instanceof z.ZodNumber) return [{ path: prefix, kind: 'number' }];
  if (inner instanceof z.ZodBoolean) return [{ path: prefix, kind: 'boolean' }];
  if (inner instanceof z.ZodString || inner instanceof z.ZodEnum) return [{ path: prefix, kind: 'string' }];
  return [{ path: prefix, kind: 'json' }];
}

function setPath(target: Record<string, unknown>, fieldPath: string[], value: unknown): void {
  let node = target;
  for (const key of fieldPath.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[fieldPath[fieldPath.length - 1]!] = value;
}

function fromEnvText(leaf: Leaf, name: string, text: string, problems: string[]): unknown {
  switch (leaf.kind) {
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n)) problems.push(`${name}: expected a number, got "${text}"`);
      return n;
    }
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(text)) return true;
      if (/^(0|false|no|off)$/i.test(text)) return false;
      problems.push(`${name}: expected true or false, got "${text}"`);
      return text;
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        problems.push(`${name}: expected JSON (a list or an object), got "${text}"`);
        return text;
      }
    default:
      return text;
  }
}

function readConfigFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) throw new ConfigError([`HOTLINE_CONFIG: file not found: ${file}`]);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    throw new ConfigError([`HOTLINE_CONFIG: ${file} is not valid YAML/JSON: ${(err as Error).message}`]);
  }
  if (typeof data !== 'object' || Array.isArray(data))
    throw new ConfigError([`HOTLINE_CONFIG: ${file} must hold an object at the top level`]);
  return data as Record<string, unknown>;
}

/**
 * Reads and validates the configuration. Throws ConfigError listing every bad field as
 * `HOTLINE_VAR (field.path): what is wrong` so an operator knows exactly what to change.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HotlineConfig {
  const file = env.HOTLINE_CONFIG;
  const raw: Record<string, unknown> = file ? readConfigFile(path.resolve(file)) : {};
  const problems: string[] = [];
  const fromEnv = new Set<string>();
  for (const leaf of leavesOf(configSchema)) {
    const name = envNameOf(leaf.path);
    const text = env[name];
    if (text === undefined) continue;
    fromEnv.add(leaf.path.join('.'));
    setPath(raw, leaf.path, fromEnvText(leaf, name, text, problems));
  }
  if (problems.length) throw new ConfigError(problems);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const dotted = issue.path.join('.');
        const where = fromEnv.has(dotted)
          ? `${envNameOf(issue.path)} (${dotted})`
          : `${file ? `${file}: ` : ''}${dotted}`;
        return `${where}: ${issue.message}`;
      }),
    );
  }
  const config = parsed.data;
  if (config.media.rtpPortMin > config.media.rtpPortMax)
    throw new ConfigError([
      `HOTLINE_MEDIA_RTP_PORT_MIN (media.rtpPortMin): ${config.media.rtpPortMin} is above media.rtpPortMax ${config.media.rtpPortMax}`,
    ]);
  if (!config.ivr.languages[config.ivr.defaultLanguage])
    throw new ConfigError([
      `HOTLINE_IVR_DEFAULT_LANGUAGE (ivr.defaultLanguage): "${config.ivr.defaultLanguage}" is not one of ivr.languages (${Object.keys(config.ivr.languages).join(', ')})`,
    ]);
  return config;
}

/** Resolves a configured path against the configuration's home folder. */
export function resolvePath(config: Pick<HotlineConfig, 'home'>, p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(config.home, p);
}

/** Every environment variable the schema understands, for docs and `hotline doctor`. */
export function knownEnvVars(): string[] {
  return leavesOf(configSchema).map((l) => envNameOf(l.path));
}
