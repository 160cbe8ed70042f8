// The ARI server: REST under /ari and the events WebSocket at /ari/events, over node:http and
// ws. Written on node:http rather than fastify because every answer must match Asterisk byte
// for byte in status and body (404 "Resource not found", 405 "Invalid method", 401 with
// {"message"}), and swagger-client sends JSON content types with empty bodies that fastify's
// parser rejects; the routing is driven by the declarations table anyway.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { CoreError, type EventSink, type MediaCore } from '../core/index.js';
import { authenticate, type AriUser } from './auth.js';
import { HANDLERS, type AriResponse } from './handlers.js';
import { BodyError, parseBody, parseParams } from './params.js';
import { route } from './router.js';
import { apiDeclaration, resourceListing } from './swagger.js';

export interface AriServerOptions {
  host: string;
  port: number;
  users: AriUser[];
  log: Logger;
  /** Largest request body accepted (bytes). */
  maxBodyBytes?: number;
}

export interface AriServer {
  readonly url: string;
  readonly port: number;
  /** Open events WebSockets. */
  connections(): number;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, no-store',
  });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  extra: Record<string, string> = {},
): void {
  const text = JSON.stringify({ message });
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...extra,
  });
  res.end(text);
}

function send(res: ServerResponse, answer: AriResponse): void {
  if (answer.file) {
    res.writeHead(answer.status, {
      'Content-Type': answer.file.contentType,
      'Content-Length': answer.file.data.length,
    });
    res.end(answer.file.data);
    return;
  }
  if (answer.status === 204 || answer.body === undefined) {
    res.writeHead(answer.status);
    res.end();
    return;
  }
  sendJson(res, answer.status, answer.body);
}

const REALM = { 'WWW-Authenticate': 'Basic realm="Asterisk REST Interface"' };

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyError(`Request body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The base path swagger documents announce, as seen by the client (its Host header). */
function basePath(req: IncomingMessage, fallback: string): string {
  return `http://${req.headers.host ?? fallback}/ari`;
}

export async function startAriServer(core: MediaCore, options: AriServerOptions): Promise<AriServer> {
  const { log } = options;
  const maxBody = options.maxBodyBytes ?? 1 << 20;
  const sockets = new Set<WebSocket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://ari.invalid');
    const path = url.pathname;
    if (!path.startsWith('/ari/') && path !== '/ari') {
      sendError(res, 404, 'Not found');
      return;
    }
    if (!authenticate(req, url.searchParams, options.users)) {
      await readBody(req, maxBody).catch(() => Buffer.alloc(0));
      sendError(res, 401, 'Authentication required', REALM);
      return;
    }
    const sub = path.slice('/ari'.length) || '/';
    const raw = await readBody(req, maxBody);
    const method = (req.method ?? 'GET').toUpperCase();

    const doc = /^\/api-docs\/([A-Za-z]+)\.json$/.exec(sub);
    if (doc && method === 'GET') {
      const base = basePath(req, `127.0.0.1:${server.port}`);
      const body = doc[1] === 'resources' ? resourceListing(base) : apiDeclaration(doc[1]!, base);
      if (body) sendJson(res, 200, body);
      else sendError(res, 404, 'Resource not found');
      return;
    }
    const match = route(method, sub);
    if (match.kind === 'no-resource') {
      sendError(res, 404, 'Resource not found');
      return;
    }
    if (match.kind === 'no-method') {
      sendError(res, 405, 'Invalid method');
      return;
    }
    const handler = HANDLERS[`${match.op.resource}.${match.op.nickname}`];
    if (!handler) {
      sendError(res, 501, 'Not implemented');
      return;
    }
    const body = parseBody(raw, req.headers['content-type']);
    const params = parseParams(match.op, match.pathParams, url.searchParams, body);
    send(res, await handler(core, params));
  }

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof CoreError) sendError(res, err.status, err.message);
      else if (err instanceof BodyError) sendError(res, 400, err.message);
      else {
        log.error({ err, url: req.url, method: req.method }, 'ARI request failed');
        sendError(res, 500, 'An internal error prevented this request from being handled');
      }
    });
  });
  http.keepAliveTimeout = 65_000;

  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://ari.invalid');
    const reject = (status: number, message: string) => {
      const text = JSON.stringify({ message });
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${status === 401 ? `WWW-Authenticate: ${REALM['WWW-Authenticate']}\r\n` : ''}Connection: close\r\n\r\n${text}`,
      );
    };
    if (url.pathname !== '/ari/events') {
      reject(400, 'Resource not found');
      return;
    }
    if (!authenticate(req, url.searchParams, options.users)) {
      reject(401, 'Authentication required');
      return;
    }
    const apps = url.searchParams
      .getAll('app')
      .flatMap((a) => a.split(','))
      .map((a) => a.trim())
      .filter(Boolean);
    if (!apps.length) {
      reject(400, "Missing param 'app'");
      return;
    }
    const subscribeAll = /^(yes|true|y|t|1|on)$/i.test(url.searchParams.get('subscribeAll') ?? '');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      const sink: EventSink = {
        send(event) {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
        },
      };
      core.apps.connect(apps, sink, subscribeAll);
      log.info({ apps, subscribeAll }, 'ARI events connection opened');
      const keepAlive = setInterval(() => {
        if (ws.readyState === ws.OPEN) ws.ping();
      }, 30_000);
      keepAlive.unref();
      ws.on('message', () => {
        // Asterisk 22 also takes REST requests over this socket; Hotline's clients use HTTP.
      });
      ws.on('close', () => {
        clearInterval(keepAlive);
        sockets.delete(ws);
        core.apps.disconnect(sink);
        log.info({ apps }, 'ARI events connection closed');
      });
      ws.on('error', (err) => log.warn({ err: err.message, apps }, 'ARI events connection error'));
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const server: AriServer = {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    port,
    connections: () => sockets.size,
    async close() {
      for (const ws of sockets) ws.close(1001, 'server stopping');
      await new Promise<void>((resolve) => {
        wss.close(() => resolve());
      });
      for (const ws of sockets) ws.terminate();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return server;
}
