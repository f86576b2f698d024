/**
 * The browser-mode host: serves the built renderer and the contract over HTTP on loopback, for
 * machines without Electron. Every API request needs the per-launch token (header, or query for
 * server-sent events) and an Origin of this host, so no other web page or local user's browser
 * tab can drive it; refusals never reach the dispatcher. Imports no electron.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatch, toContractError } from '../../shared/dispatch';
import { isCommand, MAX_FILE_CHARS, type EventName, type Handlers } from '../../shared/contract';
import { CALL_PREFIX, EPISODES_HEADER, EVENTS_PATH, MAX_BODY_BYTES, METRICS_CSV_PATH, METRICS_HEADER, ONCE_HEADER, ONCE_PATH, ONCE_TTL_MS, TOKEN_HEADER } from '../../shared/http';
import type { MetricsCsv } from '../service/runs';
import { SECURITY_HEADERS, serveStatic } from './static-files';
import { closeServer, digest, headerValue, readBody, refuse, safeDecode, sendJson } from './http-io';
import { isLoopback, ownOrigins, WILDCARD } from './origins';
import { RecentEvents, REPLAY_EVENTS, replayFrom } from './recent-events';

export interface HostOptions {
  readonly handlers: Handlers;
  /** Delivers pushed events (the service's `on`); returns an unsubscribe function. */
  readonly subscribe: (listener: (event: EventName, payload: unknown) => void) => () => void;
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  /** A run's metrics CSV for GET METRICS_CSV_PATH<id> (the service's metricsCsv); without it that route answers 404. */
  readonly metricsCsv?: (id: number) => MetricsCsv;
  /** Loopback unless given explicitly. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The launch token (URL-safe base64); a fresh random one when omitted. */
  readonly token?: string;
  /** Request bodies above this many bytes are refused with 413 (tests lower it). */
  readonly maxBodyBytes?: number;
  /** Comment lines on idle event streams keep proxies and browsers from timing out. */
  readonly heartbeatMs?: number;
  /** An event stream whose client leaves more than this many bytes of pushes unread is closed (tests lower it). */
  readonly maxUnreadBytes?: number;
  /** A connection whose request headers are not all in within this many ms is closed (408); default 10 s (tests lower it). */
  readonly headersTimeoutMs?: number;
  /** Connections open at once, past which a new one is closed at once; default 256 (tests lower it). */
  readonly maxConnections?: number;
  /** A page file's response that its client stops reading is cut after this many ms without progress; default 60 s (tests lower it). */
  readonly staticIdleMs?: number;
  /** A call whose body stops arriving for this many ms is answered 408 and closed; default 60 s (tests lower it). */
  readonly bodyIdleMs?: number;
  /** A one-time link is good for this many ms after it is made; default ONCE_TTL_MS (tests lower it). */
  readonly onceTtlMs?: number;
}

export interface RunningHost {
  /** The link to open: carries the token in the fragment, which browsers never send to servers. */
  readonly url: string;
  /**
   * A link for a browser this process starts (its command line is readable by other local users):
   * it carries a code good once, within `onceTtlMs`, that the page trades for the token.
   */
  onceUrl(): string;
  readonly port: number;
  readonly token: string;
  /** The origins whose pages may call the API. */
  readonly origins: readonly string[];
  /** Event streams open now (tests; each page's holder tab keeps one). */
  openStreams(): number;
  close(): Promise<void>;
}

/**
 * Unread pushes an event stream may hold, bytes: a page that reads keeps it near zero (a sweep's
 * launch pushes a few hundred bytes a run at once), so only a client that stopped reading reaches it.
 */
export const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

/** Whether `res` drained (false: it closed first, its client gone or cut as idle: cutWhenIdle). */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const host = options.host ?? '127.0.0.1';
  /** The address the printed link names. */
  const shown = WILDCARD.has(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const token = options.token ?? randomBytes(32).toString('base64url');
  if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) throw new Error('the token must be at least 16 URL-safe characters (A–Z, a–z, 0–9, _ and -)');
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxUnread = options.maxUnreadBytes ?? MAX_UNREAD_BYTES;
  const tokenDigest = digest(token);
  let origins = new Set<string>();
  /** The origins' host:port, as a Host header names them. */
  let hosts = new Set<string>();
  /** How to reach this host from elsewhere, for a refused Host: the link's port is part of the address. */
  let elsewhere = '';
  /** This host as the printed link names it (host:port), for refusals. */
  let here = '';
  const streams = new Set<ServerResponse>();
  // One subscription for every stream: each event numbered (its SSE id) and kept a while, so a page
  // that missed some (its stream opened again, or taken over by another tab) is sent them.
  const recent = new RecentEvents(REPLAY_EVENTS);
  const live = new Set<(text: string) => void>();
  const unsubscribeAll = options.subscribe((event, payload) => {
    const text = recent.add(event, payload);
    for (const write of live) write(text);
  });
  // One-time codes not yet traded, by their digest (looked up without comparing the code itself), each with when it expires.
  const onceTtl = options.onceTtlMs ?? ONCE_TTL_MS;
  const onceCodes = new Map<string, number>();
  /** Calls not yet answered: at close each gets a 503 saying so rather than a reset connection. */
  const pending = new Set<ServerResponse>();

  // Connections that send nothing, or their headers a byte at a time, need no token: Node's defaults
  // (60 s, checked every 30 s) let a script hold thousands of descriptors for over a minute each. A
  // page's requests send their headers at once; its few event streams count as one connection each.
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  // A body is read only once its headers carried the token (a refused request is closed unread), so
  // no limit on a whole request's time (Node's requestTimeout, which cut an 80 MB import over a slow
  // network at 2 minutes): a body that stops arriving for bodyIdle is cut instead.
  const bodyIdle = options.bodyIdleMs ?? 60_000;
  const staticIdle = options.staticIdleMs ?? 60_000;
  const server = createServer({ headersTimeout, requestTimeout: 0, connectionsCheckingInterval: Math.min(2_000, Math.max(50, headersTimeout / 4)) }, (req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) refuse(res, 500, 'InternalError', e instanceof Error ? e.message : String(e));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const pathname = rawUrl.split('?')[0]!;
    if (pathname.startsWith(CALL_PREFIX)) return call(req, res, pathname.slice(CALL_PREFIX.length));
    if (pathname === EVENTS_PATH) return events(req, res, new URL(rawUrl, 'http://host.invalid').searchParams.get('token'));
    if (pathname === ONCE_PATH) return trade(req, res);
    if (pathname.startsWith(METRICS_CSV_PATH)) return metricsCsv(req, res, pathname.slice(METRICS_CSV_PATH.length));
    if (pathname === '/api' || pathname.startsWith('/api/')) return refuse(res, 404, 'NotFound', `no API endpoint at ${pathname}: calls are POST ${CALL_PREFIX}<command>, events GET ${EVENTS_PATH}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return refuse(res, 405, 'MethodNotAllowed', `${req.method} is not allowed here: pages are fetched with GET`);
    }
    // A page request's body would never be read, yet each chunk of it, however slowly it came, kept
    // the connection open: as progress while a file waited for a client that stopped reading (the
    // cut below never came), and after the answer as the next request. Refused, the connection closes.
    if (req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0) {
      return refuse(res, 400, 'BadRequest', `a page request carries no body: fetch ${pathname} with ${req.method} and nothing after its headers`);
    }
    // Page files need no token: a client that asks for one and stops reading would hold its
    // connection for good (no socket timeout by default), and enough of them every connection.
    // Calls are not cut so (an evaluation may take minutes, the socket idle meanwhile), nor event
    // streams, which their heartbeat keeps busy and their unread limit closes.
    cutWhenIdle(req, res);
    return serveStatic(req, res, options.rendererDir, pathname, (status, name, message) => refuse(res, status, name, message));
  }

  /**
   * Cuts the connection when nothing moves on it for staticIdle while `res` is answered: a client
   * that stopped reading a page file or a metrics download. The listener goes with the timer: a
   * kept-alive connection serves many files, each adding one.
   */
  function cutWhenIdle(req: IncomingMessage, res: ServerResponse): void {
    const cut = () => req.socket.destroy();
    req.socket.setTimeout(staticIdle, cut);
    res.once('close', () => req.socket.setTimeout(0, cut));
  }

  /** The checks every API request passes before anything else; false when it was refused. */
  function admitted(req: IncomingMessage, res: ServerResponse, presented: string | null, originRequired: boolean): boolean {
    if (!presented) {
      refuse(res, 401, 'Unauthorized', `missing token: send the launch token in the ${TOKEN_HEADER} header (events: ?token=)`);
      return false;
    }
    if (!timingSafeEqual(digest(presented), tokenDigest)) {
      refuse(res, 401, 'Unauthorized', 'wrong token: use the link Aisle printed when it started (it carries the token)');
      return false;
    }
    return fromOwnPage(req, res, originRequired);
  }

  /** The Host and Origin checks (after the token's, or in its place for a one-time code); false when refused. */
  function fromOwnPage(req: IncomingMessage, res: ServerResponse, originRequired: boolean): boolean {
    // The name the client asked for: a page on another name that resolves here (DNS rebinding) is
    // not this host's, whatever its Origin says. A second lock, behind the token.
    const asked = (req.headers.host ?? '').toLowerCase();
    if (!hosts.has(asked)) {
      refuse(res, 403, 'Forbidden', `Host ${asked === '' ? '(none)' : asked} is not this host (${here}): open Aisle at the link it printed${elsewhere}`);
      return false;
    }
    const origin = req.headers.origin;
    if (origin === undefined ? originRequired : !origins.has(origin)) {
      refuse(res, 403, 'Forbidden', origin === undefined ? 'missing Origin header: calls are accepted only from Aisle’s own page' : `Origin ${origin} is not this host (http://${here}): calls are accepted only from Aisle’s own page`);
      return false;
    }
    return true;
  }

  async function call(req: IncomingMessage, res: ServerResponse, command: string): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return refuse(res, 405, 'MethodNotAllowed', `${req.method} is not allowed: call commands with POST ${CALL_PREFIX}<command>`);
    }
    if (!admitted(req, res, headerValue(req.headers[TOKEN_HEADER]), true)) return;
    const name = safeDecode(command);
    if (name === null || !isCommand(name)) return refuse(res, 404, 'UnknownCommand', `unknown command "${name ?? command}"`);
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      return refuse(res, 415, 'UnsupportedMediaType', `Content-Type must be application/json, got ${mediaType ? `"${mediaType}"` : 'none'}`);
    }
    const body = await readBody(req, maxBody, bodyIdle);
    if (body === 'stalled') {
      res.setHeader('Connection', 'close');
      res.on('finish', () => req.socket.destroy());
      return refuse(res, 408, 'RequestTimeout', `the request body stopped arriving: nothing came for ${bodyIdle / 1000} s`);
    }
    if (body === 'too-large') {
      res.setHeader('Connection', 'close');
      res.on('finish', () => req.socket.destroy()); // stop reading: drop what the client is still sending
      return refuse(res, 413, 'PayloadTooLarge', `the request body is larger than ${maxBody} bytes: a file sent to Aisle is at most ${MAX_FILE_CHARS / 1024 / 1024} Mi characters, give a smaller one`);
    }
    let input: unknown = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch (e) {
        return refuse(res, 400, 'InvalidJson', `the body is not valid JSON: ${(e as Error).message}`);
      }
    }
    // A client that goes away before its answer (a closed tab, an aborted fetch) stops work done for it alone (an evaluation in a worker).
    const gone = new AbortController();
    pending.add(res);
    res.on('close', () => {
      pending.delete(res);
      if (!res.writableFinished) gone.abort('its client went away');
    });
    const reply = await dispatch(options.handlers, name, input, { signal: gone.signal });
    if (!res.writableEnded && !res.destroyed) sendJson(res, reply.ok ? 200 : reply.error.status, reply);
  }

  /**
   * A run's metrics CSV, written piece by piece as the client reads it (a 1M-episode run's is
   * 43 MB): sent as one JSON reply, it was held as a string, its JSON and that JSON's bytes at once.
   * A client that stops reading is cut after staticIdle, as a page file's is, and one that goes
   * away stops the writing.
   */
  async function metricsCsv(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return refuse(res, 405, 'MethodNotAllowed', `${req.method} is not allowed: download a run's metrics CSV with GET ${METRICS_CSV_PATH}<run id>`);
    }
    // A same-origin GET carries no Origin; one that does must be ours (as for events).
    if (!admitted(req, res, headerValue(req.headers[TOKEN_HEADER]), false)) return;
    if (!/^[1-9][0-9]{0,14}$/.test(rest) || !options.metricsCsv) return refuse(res, 404, 'NotFound', `no metrics CSV at ${METRICS_CSV_PATH}${rest}: give a run's id, ${METRICS_CSV_PATH}3`);
    let csv: MetricsCsv;
    try {
      csv = options.metricsCsv(Number(rest));
    } catch (e) {
      const error = toContractError(e);
      return sendJson(res, error.status, { ok: false, error });
    }
    cutWhenIdle(req, res);
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${csv.fileName}"`,
      'Cache-Control': 'no-store',
      [EPISODES_HEADER]: String(csv.episodes),
      [METRICS_HEADER]: String(csv.metrics.length),
    });
    for (const piece of csv.pieces) {
      if (res.destroyed) return;
      if (!res.write(piece) && !(await drained(res))) return;
    }
    res.end();
  }

  /** A one-time code traded for the token: answered once, to Aisle's own page, before it expires. */
  function trade(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return refuse(res, 405, 'MethodNotAllowed', `${req.method} is not allowed: trade a one-time code with POST ${ONCE_PATH}`);
    }
    if (!fromOwnPage(req, res, true)) return;
    const code = headerValue(req.headers[ONCE_HEADER]);
    if (!code) return refuse(res, 401, 'Unauthorized', `missing code: send the link's one-time code in the ${ONCE_HEADER} header`);
    const key = digest(code).toString('hex');
    const expires = onceCodes.get(key);
    onceCodes.delete(key);
    for (const [other, at] of onceCodes) if (at <= Date.now()) onceCodes.delete(other);
    if (expires === undefined || expires <= Date.now()) {
      return refuse(res, 401, 'Unauthorized', 'this one-time link was used already or has expired: open the link Aisle printed in its terminal');
    }
    sendJson(res, 200, { token });
  }

  function events(req: IncomingMessage, res: ServerResponse, presented: string | null): void {
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return refuse(res, 405, 'MethodNotAllowed', `${req.method} is not allowed: subscribe with GET ${EVENTS_PATH}?token=…`);
    }
    // EventSource sends an Origin only cross-origin; when one is present it must be ours.
    if (!admitted(req, res, presented, false)) return;
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write(': connected\n\n');
    // What the page missed since the last event it saw: EventSource sends that event's id when it
    // connects again by itself (Last-Event-ID); a tab taking the stream over from another, or opening
    // it again after its retry, says it in the URL (?after=).
    const after = replayFrom(headerValue(req.headers['last-event-id']) ?? new URL(req.url ?? '/', 'http://host.invalid').searchParams.get('after'));
    if (after !== null) res.write(recent.since(after) ?? 'event: gap\ndata: {}\n\n');
    // Where the stream starts, for the page to name when it (or a tab taking over from it) opens one again.
    res.write(`id: ${recent.lastId}\nevent: ready\ndata: {}\n\n`);
    streams.add(res);
    // A push may race the stream's end (the page left, or the host is closing): never write after it.
    const write = (text: string) => {
      if (res.writableEnded || res.destroyed) return;
      // A client that stopped reading (a frozen tab, a machine gone from the network without closing
      // the connection) would have every push kept for it here (~30 MB an hour per training run:
      // its 10 progress pushes a second, each buffered as a chunk of its own).
      // Past the limit its stream is closed: its EventSource connects again once it reads, and the
      // page, told the connection came back, fetches what it shows anew.
      if (res.writableLength > maxUnread) {
        res.destroy();
        return;
      }
      res.write(text);
    };
    live.add(write);
    const unsubscribe = () => live.delete(write);
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
    heartbeat.unref();
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    });
  }

  server.maxConnections = options.maxConnections ?? 256;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  here = new URL(`http://${shown}:${port}`).host;
  origins = ownOrigins(host, port);
  hosts = new Set([...origins].map((o) => new URL(o).host));
  // A tunnel to another local port (ssh -L 8080:127.0.0.1:5717) gives the page an address of that
  // port, refused like any other: the page said only that it was not this host.
  // The machine's names first, then its addresses (IPv6 ones only when bound to them: 0.0.0.0 is IPv4's every interface).
  const names = [...origins]
    .map((o) => new URL(o).hostname)
    .filter((h) => !isLoopback(h) && h !== '[::1]' && (host === '::' || !h.startsWith('[')))
    .sort((a, b) => Number(/^[\d.[]/.test(a)) - Number(/^[\d.[]/.test(b)));
  if (WILDCARD.has(host) && names.length > 0) elsewhere = `; from another machine, with 127.0.0.1 in it replaced by ${names.length === 1 ? names[0] : `one of ${names.join(', ')}`}`;
  else if (isLoopback(host)) elsewhere = `; through an SSH tunnel, forward the same port (ssh -L ${port}:${shown}:${port} <this machine>)`;
  return {
    url: `http://${shown}:${port}/#token=${token}`,
    onceUrl: () => {
      const code = randomBytes(18).toString('base64url');
      onceCodes.set(digest(code).toString('hex'), Date.now() + onceTtl);
      return `http://${shown}:${port}/#once=${code}`;
    },
    port,
    token,
    origins: [...origins],
    openStreams: () => streams.size,
    close: () => {
      unsubscribeAll();
      return closeServer(server, streams, pending);
    },
  };
}
