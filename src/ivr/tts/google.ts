// Google Cloud Text-to-Speech as an optional provider (better voices, needs the network and a
// service account). Asked for LINEAR16 at 8 kHz, which Google returns as a WAV file.
import { writeFile } from 'node:fs/promises';
import { TextToSpeechClient } from '@google-cloud/text-to-speech';
import { IvrError } from '../errors.js';
import type { LanguageSettings } from '../languages.js';
import type { TtsProvider } from './contract.js';

export interface GoogleTtsSettings {
  /** Service-account key file (else Application Default Credentials). */
  keyFile?: string;
  projectId?: string;
  /** Another endpoint (e.g. a regional one, or a local test server). */
  apiEndpoint?: string;
  port?: number;
  /** Extra client options (tests pass insecure gRPC credentials for a loopback server). */
  clientOptions?: Record<string, unknown>;
}

export class GoogleTts implements TtsProvider {
  readonly name = 'google';
  private readonly client: TextToSpeechClient;

  constructor(settings: GoogleTtsSettings) {
    this.client = new TextToSpeechClient({
      ...(settings.keyFile ? { keyFilename: settings.keyFile } : {}),
      ...(settings.projectId ? { projectId: settings.projectId } : {}),
      ...(settings.apiEndpoint ? { apiEndpoint: settings.apiEndpoint } : {}),
      ...(settings.port ? { port: settings.port } : {}),
      ...settings.clientOptions,
    });
  }

  voiceOf(language: LanguageSettings): string {
    return `${language.google.languageCode}/${language.google.voice ?? 'default'}`;
  }

  async synthesize(text: string, language: LanguageSettings, wavFile: string): Promise<void> {
    let audio: Uint8Array | string | null | undefined;
    try {
      const [response] = await this.client.synthesizeSpeech({
        input: { text },
        voice: {
          languageCode: language.google.languageCode,
          ...(language.google.voice ? { name: language.google.voice } : {}),
        },
        audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 8000 },
      });
      audio = response.audioContent;
    } catch (err) {
      throw new IvrError('IVR_TTS_FAILED', `Google Text-to-Speech: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (!audio || !audio.length)
      throw new IvrError('IVR_TTS_FAILED', 'Google Text-to-Speech returned no audio');
    const bytes = typeof audio === 'string' ? Buffer.from(audio, 'base64') : Buffer.from(audio);
    if (bytes.subarray(0, 4).toString('ascii') !== 'RIFF') {
      throw new IvrError('IVR_TTS_FAILED', 'Google Text-to-Speech answered LINEAR16 without a WAV header');
    }
    await writeFile(wavFile, bytes);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
