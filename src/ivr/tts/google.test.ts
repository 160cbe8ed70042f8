// Google Text-to-Speech, exercised with the real client library against a local gRPC server
// that implements SynthesizeSpeech from the library's own shipped protos (loopback only).
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLanguages } from '../languages.js';
import { TtsCache } from './cache.js';
import { GoogleTts } from './google.js';

process.env.METADATA_SERVER_DETECTION = 'none';

const require = createRequire(import.meta.url);
const ttsProtos = path.join(
  path.dirname(require.resolve('@google-cloud/text-to-speech/package.json')),
  'build/protos',
);
const gaxMain = require.resolve('google-gax');
const gaxProtos = path.join(
  gaxMain.slice(0, gaxMain.lastIndexOf(`${path.sep}build${path.sep}`)),
  'build/protos',
);

interface SynthRequest {
  input: { text: string };
  voice: { languageCode: string; name: string };
  audioConfig: { audioEncoding: string; sampleRateHertz: number };
}

/** A WAV of `samples` 16-bit mono samples at `rate`, as Google returns LINEAR16. */
function wav(samples: number, rate: number): Buffer {
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

let server: grpc.Server;
let port: number;
const requests: SynthRequest[] = [];
let dir: string;

beforeAll(async () => {
  const definition = protoLoader.loadSync('google/cloud/texttospeech/v1/cloud_tts.proto', {
    includeDirs: [ttsProtos, gaxProtos],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
  });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    google: { cloud: { texttospeech: { v1: { TextToSpeech: { service: grpc.ServiceDefinition } } } } };
  };
  server = new grpc.Server();
  server.addService(pkg.google.cloud.texttospeech.v1.TextToSpeech.service, {
    synthesizeSpeech: (
      call: grpc.ServerUnaryCall<SynthRequest, unknown>,
      callback: grpc.sendUnaryData<{ audioContent: Buffer }>,
    ) => {
      requests.push(call.request);
      if (call.request.input.text === 'fail') {
        callback({ code: grpc.status.INVALID_ARGUMENT, details: 'bad text' });
        return;
      }
      callback(null, { audioContent: wav(4000, call.request.audioConfig.sampleRateHertz) });
    },
  });
  port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  dir = mkdtempSync(path.join(tmpdir(), 'hotline-gtts-'));
});

afterAll(() => {
  server.forceShutdown();
  rmSync(dir, { recursive: true, force: true });
});

function client(): GoogleTts {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return new GoogleTts({
    apiEndpoint: '127.0.0.1',
    port,
    projectId: 'hotline-test',
    clientOptions: {
      sslCreds: grpc.credentials.createInsecure(),
      credentials: {
        client_email: 'tts@hotline-test.iam.gserviceaccount.com',
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    },
  });
}

describe('Google Text-to-Speech provider', () => {
  it('asks for LINEAR16 at 8 kHz in the language voice and caches the WAV it gets', async () => {
    const google = client();
    try {
      const cache = new TtsCache({ dir, provider: google, languages: defaultLanguages });
      const media = await cache.media('您好，欢迎致电', 'zh');
      expect(media).toMatch(/^sound:\//);
      expect(requests.at(-1)).toMatchObject({
        input: { text: '您好，欢迎致电' },
        voice: { languageCode: 'cmn-CN', name: 'cmn-CN-Standard-A' },
        audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 8000 },
      });
      const file = readFileSync(cache.fileOf(cache.keyOf('您好，欢迎致电', 'zh')));
      expect(file.subarray(0, 4).toString('ascii')).toBe('RIFF');
      expect(file.readUInt32LE(24)).toBe(8000);
      await cache.media('您好，欢迎致电', 'zh');
      expect(requests).toHaveLength(1);
    } finally {
      await google.close();
    }
  });

  it('reports a failing request as IVR_TTS_FAILED', async () => {
    const google = client();
    try {
      const cache = new TtsCache({ dir, provider: google, languages: defaultLanguages });
      await expect(cache.media('fail', 'en')).rejects.toMatchObject({ code: 'IVR_TTS_FAILED' });
    } finally {
      await google.close();
    }
  });
});
