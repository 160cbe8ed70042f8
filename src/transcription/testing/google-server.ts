// A local gRPC server implementing google.cloud.speech.v1.Speech/StreamingRecognize from the
// protos @google-cloud/speech ships, so the real client library can be pointed at it (the cloud
// cannot be reached from tests). Like the fake Vosk server it does not recognise speech: it finds
// utterances by energy and names them from `script`, sends interim results while an utterance
// goes on and a final one (with word times and resultEndTime) after a pause, and can fail a
// stream with a gRPC status. What each stream received is kept for assertions.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export interface FakeGoogleOptions {
  script?: string[];
  pauseMs?: number;
  /** Fail the N-th stream (1-based) with this status after `afterMs` of its audio. */
  failStream?: { stream: number; afterMs: number; code: grpc.status; details: string };
}

export interface FakeGoogleStream {
  config: Record<string, unknown> | null;
  audioMs: number;
  closedByClient: boolean;
}

export interface FakeGoogleServer {
  port: number;
  streams: FakeGoogleStream[];
  close(): Promise<void>;
}

const LOUD = 1000;

function protoDirs(): { file: string; includeDirs: string[] } {
  const require = createRequire(import.meta.url);
  const speech = path.dirname(require.resolve('@google-cloud/speech/package.json'));
  // google-gax exports no package.json: find its root from its main file (…/build/src/index.js).
  const gaxMain = require.resolve('google-gax', { paths: [speech] });
  const gax = gaxMain.slice(0, gaxMain.lastIndexOf(`${path.sep}build${path.sep}`));
  return {
    file: 'google/cloud/speech/v1/cloud_speech.proto',
    includeDirs: [path.join(speech, 'build/protos'), path.join(gax, 'build/protos')],
  };
}

const duration = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 });

export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogleServer> {
  const { file, includeDirs } = protoDirs();
  const definition = protoLoader.loadSync(file, {
    includeDirs,
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const proto = grpc.loadPackageDefinition(definition) as unknown as {
    google: { cloud: { speech: { v1: { Speech: grpc.ServiceClientConstructor } } } };
  };
  const streams: FakeGoogleStream[] = [];
  let utterances = 0;
  const pauseMs = options.pauseMs ?? 300;

  const server = new grpc.Server();
  server.addService(proto.google.cloud.speech.v1.Speech.service, {
    streamingRecognize(call: grpc.ServerDuplexStream<Record<string, unknown>, Record<string, unknown>>) {
      const state: FakeGoogleStream = { config: null, audioMs: 0, closedByClient: false };
      streams.push(state);
      const index = streams.length;
      let rate = 16000;
      let samples = 0;
      let speechStart = -1;
      let lastLoud = -1;
      let failed = false;
      const ms = (s: number) => Math.round((s * 1000) / rate);
      // An utterance cut by the client's half-close is named apart, not from the script: the
      // script names utterances as the speaker said them, once each.
      const final = (from: number, to: number, cut = false) => {
        const text = cut ? 'cut short' : (options.script?.[utterances++] ?? `utterance ${++utterances}`);
        const words = text.split(/\s+/);
        const step = (ms(to) - ms(from)) / words.length;
        return {
          results: [
            {
              alternatives: [
                {
                  transcript: text,
                  confidence: 0.87,
                  words: words.map((word, i) => ({
                    word,
                    startTime: duration(Math.round(ms(from) + i * step)),
                    endTime: duration(Math.round(ms(from) + (i + 1) * step)),
                  })),
                },
              ],
              isFinal: true,
              resultEndTime: duration(ms(to)),
              languageCode: String(
                (state.config?.config as { languageCode?: string })?.languageCode ?? '',
              ).toLowerCase(),
            },
          ],
        };
      };
      call.on('data', (request: { streamingConfig?: Record<string, unknown>; audioContent?: Buffer }) => {
        if (failed) return;
        if (request.streamingConfig) {
          state.config = request.streamingConfig;
          rate =
            Number((request.streamingConfig.config as { sampleRateHertz?: number }).sampleRateHertz) || rate;
          return;
        }
        const audio = request.audioContent;
        if (!audio?.length) return;
        const pcm = new Int16Array(Uint8Array.from(audio).buffer, 0, audio.length >> 1);
        for (let i = 0; i < pcm.length; i++, samples++) {
          if (Math.abs(pcm[i]!) < LOUD) continue;
          if (speechStart < 0) speechStart = samples;
          lastLoud = samples;
        }
        state.audioMs = ms(samples);
        const fail = options.failStream;
        if (fail && fail.stream === index && state.audioMs >= fail.afterMs) {
          failed = true;
          call.emit('error', { code: fail.code, details: fail.details });
          return;
        }
        if (speechStart >= 0 && ms(samples - lastLoud) > pauseMs) {
          call.write(final(speechStart, lastLoud));
          speechStart = -1;
        } else if (speechStart >= 0) {
          call.write({
            results: [
              {
                alternatives: [{ transcript: `speaking ${ms(samples - speechStart)}` }],
                isFinal: false,
                stability: 0.5,
                resultEndTime: duration(ms(samples)),
              },
            ],
          });
        }
      });
      call.on('end', () => {
        state.closedByClient = true;
        if (failed) return;
        if (speechStart >= 0) call.write(final(speechStart, lastLoud, true));
        call.end();
      });
      call.on('error', () => undefined);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    port,
    streams,
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}
