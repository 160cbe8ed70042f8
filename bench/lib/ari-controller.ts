// A minimal ARI controller for benchmarks: the events WebSocket and plain HTTP requests, no
// client library, so the controller's own cost stays small next to the server's.
import http from 'node:http';
import WebSocket from 'ws';

export type AriEvent = { type: string } & Record<string, unknown>;

export class MiniAri {
  private ws: WebSocket | null = null;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly auth: string;
  onEvent: (event: AriEvent) => void = () => undefined;

  constructor(
    private readonly url: string,
    private readonly app: string,
    user = 'hotline',
    pass = 'hotline',
  ) {
    this.auth = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }

  async connect(): Promise<void> {
    const ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}/ari/events?app=${this.app}`, {
      headers: { Authorization: this.auth },
    });
    ws.on('message', (data: Buffer) => this.onEvent(JSON.parse(data.toString()) as AriEvent));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.ws = ws;
  }

  /** One ARI request; resolves with the status and the parsed body (if any). */
  request(
    method: string,
    path: string,
    query: Record<string, string> = {},
  ): Promise<{ status: number; body: unknown }> {
    const qs = new URLSearchParams(query).toString();
    const target = new URL(`${this.url}/ari${path}${qs ? `?${qs}` : ''}`);
    return new Promise((resolve, reject) => {
      const req = http.request(
        target,
        { method, agent: this.agent, headers: { Authorization: this.auth } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : null });
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.ws?.close();
    this.agent.destroy();
  }
}
