/**
 * The browser-mode host's HTTP plumbing: reading a body within a size and an idle limit, answering
 * JSON or a refusal, comparing tokens in constant time, and closing the server without cutting a
 * call short silently.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Statuses the host answers itself, without dispatching (500 only for a bug in the host). */
export type RefusalStatus = 400 | 401 | 403 | 404 | 405 | 408 | 413 | 415 | 500;

/**
 * Stops the host: event streams end, a call still under way is answered 503 (the client reads why,
 * instead of a reset connection), and the connections close; one that lingers is cut after a second.
 */
export function closeServer(server: Server, streams: Set<ServerResponse>, pending: Set<ServerResponse>): Promise<void> {
  for (const res of streams) res.end();
  for (const res of pending) {
    if (res.headersSent || res.destroyed) continue;
    res.setHeader('Connection', 'close');
    sendJson(res, 503, { ok: false, error: { name: 'ShuttingDown', message: 'the server is stopping: this call was not finished; start the server again and repeat it', status: 503 } });
  }
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1000).unref();
  });
}

/** Hashing first makes the comparison constant-time regardless of the presented token's length. */
export function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function headerValue(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value.length === 1 ? value[0]! : null;
  return value ?? null;
}

export function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * Reads the body up to `limit` bytes; stops reading (and answers 'too-large') beyond it, or
 * ('stalled') when nothing arrives for `idleMs`.
 */
export function readBody(req: IncomingMessage, limit: number, idleMs: number): Promise<Buffer | 'too-large' | 'stalled'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.pause();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const settle = (how: () => void) => {
      settled = true;
      clearTimeout(idle);
      req.off('data', onData);
      how();
    };
    const wait = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        req.pause();
        settle(() => resolve('stalled'));
      }, idleMs);
    };
    req.once('close', () => {
      if (!settled) settle(() => reject(new Error('the client went away before sending the whole body')));
    });
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        settle(() => resolve('too-large'));
        return;
      }
      chunks.push(chunk);
      wait();
    };
    req.on('data', onData);
    req.once('end', () => {
      if (!settled) settle(() => resolve(Buffer.concat(chunks)));
    });
    req.once('error', (e) => {
      if (!settled) settle(() => reject(e));
    });
    wait();
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function refuse(res: ServerResponse, status: RefusalStatus, name: string, message: string): void {
  // The connection closes after it: a refused request's body is not read, and a client refused
  // (no token, a wrong one) has no use for it, which kept it open sending a body a byte at a time.
  if (!res.headersSent) res.setHeader('Connection', 'close');
  sendJson(res, status, { ok: false, error: { name, message, status } });
}
