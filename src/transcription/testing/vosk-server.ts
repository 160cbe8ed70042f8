// A local server speaking Vosk-server's WebSocket protocol exactly as vosk-server's
// asr_server.py does (config message, binary audio, `{"eof" : 1}` compared as a string, one reply
// per audio message, close after the final result), for testing the websocket provider and the
// pipeline above it. It does not recognise speech: it finds utterances by energy (speech, then
// `pauseMs` of quiet) and names each with the next text of `script`, with word times spread over
// the utterance. What the client sent is kept for assertions.
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeVoskOptions {
  /** Texts of the utterances, in order (then "utterance N"). */
  script?: string[];
  pauseMs?: number;
  /** Close every connection with this code after this many audio messages (a crash). */
  crashAfterMessages?: number;
}

export interface FakeVoskConnection {
  config: Record<string, unknown> | null;
  audioBytes: number;
  messages: number;
  gotEof: boolean;
}

export interface FakeVoskServer {
  url: string;
  connections: FakeVoskConnection[];
  close(): Promise<void>;
}

const LOUD = 1000;

export async function startFakeVosk(options: FakeVoskOptions = {}): Promise<FakeVoskServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const connections: FakeVoskConnection[] = [];
  let utterances = 0;
  const nextText = () => options.script?.[utterances++] ?? `utterance ${++utterances}`;
  const pauseMs = options.pauseMs ?? 300;

  wss.on('connection', (ws: WebSocket) => {
    const conn: FakeVoskConnection = { config: null, audioBytes: 0, messages: 0, gotEof: false };
    connections.push(conn);
    let rate = 16000;
    let samples = 0;
    let speechStart = -1;
    let lastLoud = -1;
    const finalOf = (startSample: number, endSample: number) => {
      const text = nextText();
      const words = text.split(/\s+/);
      const start = startSample / rate;
      const step = (endSample - startSample) / rate / words.length;
      return {
        result: words.map((word, i) => ({
          conf: 0.9,
          start: +(start + i * step).toFixed(3),
          end: +(start + (i + 1) * step).toFixed(3),
          word,
        })),
        text,
      };
    };
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        const text = data.toString();
        if (text === '{"eof" : 1}') {
          conn.gotEof = true;
          const reply = speechStart >= 0 ? finalOf(speechStart, lastLoud) : { text: '' };
          ws.send(JSON.stringify(reply), () => ws.close());
          return;
        }
        const parsed = JSON.parse(text) as { config?: Record<string, unknown> };
        if (parsed.config) {
          conn.config = parsed.config;
          rate = Number(parsed.config.sample_rate) || rate;
        }
        return;
      }
      conn.messages++;
      conn.audioBytes += data.length;
      if (options.crashAfterMessages && conn.messages >= options.crashAfterMessages) {
        ws.terminate();
        return;
      }
      const pcm = new Int16Array(Uint8Array.from(data).buffer, 0, data.length >> 1);
      for (let i = 0; i < pcm.length; i++, samples++) {
        if (Math.abs(pcm[i]!) < LOUD) continue;
        if (speechStart < 0) speechStart = samples;
        lastLoud = samples;
      }
      if (speechStart >= 0 && samples - lastLoud > (pauseMs * rate) / 1000) {
        const reply = finalOf(speechStart, lastLoud);
        speechStart = -1;
        ws.send(JSON.stringify(reply));
      } else if (speechStart >= 0) {
        ws.send(
          JSON.stringify({ partial: `speaking ${Math.round(((samples - speechStart) * 1000) / rate)}` }),
        );
      } else {
        ws.send(JSON.stringify({ partial: '' }));
      }
    });
  });

  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** A tone burst: "speech" to the fake servers' energy detectors. */
export function tone(ms: number, rate: number, amplitude = 8000, hz = 440): Int16Array {
  const out = new Int16Array(Math.round((ms * rate) / 1000));
  for (let i = 0; i < out.length; i++)
    out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
  return out;
}
