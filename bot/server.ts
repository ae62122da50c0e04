/**
 * The HTTP surface: the Bot Framework endpoint and the health probes, on node:http (no framework: the
 * bot needs three routes, and fewer dependencies is less to patch).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './log';

/** What the adapter needs from a response (botbuilder's Response shape). */
interface AdapterResponse {
  socket: unknown;
  header(name: string, value: unknown): unknown;
  send(body?: unknown): unknown;
  status(code: number): unknown;
  end(...args: unknown[]): unknown;
}

export type ActivityProcessor = (
  request: { body: unknown; headers: http.IncomingHttpHeaders; method?: string },
  response: AdapterResponse,
) => Promise<void>;

export interface ServerOptions {
  host: string;
  port: number;
  processActivity: ActivityProcessor;
  /** True when the database is reachable and migrated. */
  ready: () => Promise<boolean>;
  log: Logger;
}

/** Teams activities are small; a card action is well under this. Larger bodies are refused. */
const maxBodyBytes = 1024 * 1024;

class BodyTooLarge extends Error {}

/**
 * The body as text, refused (BodyTooLarge) as soon as it is known to be over the limit: from its
 * Content-Length before a byte is read, else when the bytes read pass it. Nothing more is buffered.
 */
function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        req.off('data', onData);
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Answers 400 to a body over the limit and closes the connection once the answer is out, so the rest
 * of the body is never read (the client sees the answer, not a reset).
 */
function refuseTooLarge(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.pause();
  res.shouldKeepAlive = false;
  res.writeHead(400, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify({ error: 'the body is larger than 1 MB' }), () => {
    // Give the client a moment to read the answer before the socket goes.
    setTimeout(() => req.socket.destroy(), 50).unref();
  });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function adapterResponse(res: http.ServerResponse): AdapterResponse {
  let statusCode = 200;
  let body: unknown;
  return {
    socket: res.socket,
    header: (name, value) => res.setHeader(name, String(value)),
    status: (code) => {
      statusCode = code;
    },
    send: (payload) => {
      body = payload;
    },
    end: () => {
      if (res.headersSent) return;
      if (body === undefined) {
        res.writeHead(statusCode);
        res.end();
      } else if (typeof body === 'string' || Buffer.isBuffer(body)) {
        res.writeHead(statusCode);
        res.end(body);
      } else {
        json(res, statusCode, body);
      }
    },
  };
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function startServer(options: ServerOptions): Promise<RunningServer> {
  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (req.method === 'GET' && path === '/healthz') return json(res, 200, { status: 'ok' });
      if (req.method === 'GET' && path === '/readyz') {
        const ready = await options.ready().catch(() => false);
        return json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
      }
      if (path === '/api/messages') {
        if (req.method !== 'POST') return json(res, 405, { error: 'POST only' });
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req));
        } catch (error) {
          if (error instanceof BodyTooLarge) return refuseTooLarge(req, res);
          return json(res, 400, { error: 'the body must be a JSON activity of at most 1 MB' });
        }
        if (!body || typeof body !== 'object' || Array.isArray(body)) {
          return json(res, 400, { error: 'the body must be a JSON activity of at most 1 MB' });
        }
        const response = adapterResponse(res);
        await options.processActivity({ body, headers: req.headers, method: req.method }, response);
        if (!res.headersSent) response.end();
        return;
      }
      json(res, 404, { error: 'not found' });
    } catch (error) {
      options.log.error(
        { err: { name: (error as Error).name, message: (error as Error).message } },
        'request failed',
      );
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}
