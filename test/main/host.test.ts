// The browser-mode host against stub handlers: static pages with their security headers, no way out
// of the renderer folder, and every kind of refused API request refused with its status and a
// message — with the handlers never called — while a good call and the event stream work.
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname, networkInterfaces } from 'node:os';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands, type CommandName, type EventName, type Handlers } from '../../src/shared/contract';
import { MAX_BODY_BYTES } from '../../src/shared/http';
import { MAX_FILE_CHARS } from '../../src/shared/contract';
import { startHost, type RunningHost } from '../../src/main/host/http-host';
import { ownOrigins } from '../../src/main/host/origins';
import { RecentEvents } from '../../src/main/host/recent-events';
import { CONTENT_SECURITY_POLICY } from '../../src/main/host/static-files';
import { tempDir } from '../helpers/tmp';
import { aisle, aisleSpawn, untilRuns } from '../helpers/cli';
import { send, type Reply } from '../helpers/http';

const SECRET = 'do-not-serve-me-7f3a';
const TOKEN = 'test-token-0123456789abcdefghij';
const SMALL_LIMIT = 1024;



let host: RunningHost;
let small: RunningHost;
let calls: { command: CommandName; input: unknown }[];
let listeners: Set<(event: EventName, payload: unknown) => void>;
let origin: string;

function stubHandlers(): Handlers {
  const handlers: Record<string, (input: unknown) => unknown> = {};
  for (const command of Object.keys(commands) as CommandName[]) {
    handlers[command] = (input) => {
      calls.push({ command, input });
      return { stub: command, input };
    };
  }
  return handlers as unknown as Handlers;
}

function api(command: string, body: string, headers: Record<string, string> = {}, port = host.port): Promise<Reply> {
  return send(port, 'POST', `/api/call/${command}`, { 'content-type': 'application/json', 'x-aisle-token': TOKEN, origin, ...headers }, body);
}

function expectRefused(reply: Reply, status: number, message: RegExp): void {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(reply.body) as { ok: boolean; error: { name: string; message: string; status: number } };
  expect(body.ok).toBe(false);
  expect(body.error.status).toBe(status);
  expect(body.error.name).toBeTruthy();
  expect(body.error.message).toMatch(message);
  expect(calls).toEqual([]); // nothing was dispatched
}

/** The renderer folder the hosts serve. */
let renderer: string;

beforeEach(async () => {
  calls = [];
  listeners = new Set();
  const dir = tempDir('aisle-host-');
  // The secret files sit next to the renderer folder: what a traversal would reach.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ secret: SECRET }));
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  const rendererDir = join(dir, 'renderer');
  renderer = rendererDir;
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Aisle</title><div id="root"></div>');
  writeFileSync(join(rendererDir, 'assets', 'app-abc123.js'), 'console.log("app")');
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{}');
  const options = {
    handlers: stubHandlers(),
    subscribe: (listener: (event: EventName, payload: unknown) => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    rendererDir,
    token: TOKEN,
  };
  host = await startHost(options);
  small = await startHost({ ...options, maxBodyBytes: SMALL_LIMIT });
  origin = `http://127.0.0.1:${host.port}`;
});

afterEach(async () => {
  await host.close();
  await small.close();
});

describe('static pages', () => {
  it('serves index.html on loopback with the strict CSP and nosniff', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${TOKEN}`);
    const reply = await send(host.port, 'GET', '/');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.body).toContain('<title>Aisle</title>');
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"]) {
      expect(CONTENT_SECURITY_POLICY).toContain(directive);
    }
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it("puts the same CSP in the page's meta tag, less frame-ancestors (header-only), for wherever the header does not reach", () => {
    const html = readFileSync(join(__dirname, '..', '..', 'src', 'renderer', 'index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];
    const header = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors '));
    expect(meta?.split('; ')).toEqual(header);
  });

  it('serves assets with their content types, index.html for page routes, 404 for missing files', async () => {
    const js = await send(host.port, 'GET', '/assets/app-abc123.js');
    expect([js.status, js.headers['content-type'], js.body]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log("app")']);
    expect(js.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect((await send(host.port, 'GET', '/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const route = await send(host.port, 'GET', '/experiments/3');
    expect([route.status, route.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(route.body).toContain('<title>Aisle</title>');
    expect((await send(host.port, 'GET', '/assets/missing.js')).status).toBe(404);
    expect((await send(host.port, 'POST', '/')).status).toBe(405);
  });

  it('closes a connection whose headers do not come in time, and refuses connections past its cap, serving again once they go', async () => {
    const guarded = await startHost({ handlers: stubHandlers(), subscribe: () => () => {}, rendererDir: renderer, token: TOKEN, headersTimeoutMs: 300, maxConnections: 2 });
    try {
      /** A raw connection that sends `text` and resolves with what it got once the server closes it. */
      const raw = (text: string) => {
        const socket = connect(guarded.port, '127.0.0.1', () => socket.write(text));
        let got = '';
        socket.on('data', (d: Buffer) => (got += d.toString()));
        return { socket, closed: new Promise<string>((done) => socket.on('close', () => done(got))) };
      };
      // Headers begun and never finished: answered 408 and closed, not held for a minute.
      const slow = raw('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      expect(await slow.closed).toMatch(/^HTTP\/1\.1 408/);
      // Two idle connections fill the cap: a third is closed at once, with nothing said.
      const [a, b] = [raw(''), raw('')];
      await new Promise((r) => setTimeout(r, 50));
      const third = raw('');
      expect(await third.closed).toBe('');
      a.socket.destroy();
      b.socket.destroy();
      await Promise.all([a.closed, b.closed]);
      await new Promise((r) => setTimeout(r, 50));
      expect((await send(guarded.port, 'GET', '/')).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it("reads a call's body for as long as it keeps arriving, and cuts one that stops (408)", async () => {
    // The idle limit 10 times the gap between parts: a loaded machine's late timers (a CI run beside other work) stay far inside it.
    const guarded = await startHost({ handlers: stubHandlers(), subscribe: () => () => {}, rendererDir: renderer, token: TOKEN, bodyIdleMs: 1000 });
    try {
      /** A raw call whose body is sent in `parts`, `gapMs` apart; resolves with all it got once the server closes or answers. */
      const raw = (parts: string[], gapMs: number, length: number) => {
        let got = '';
        const socket = connect(guarded.port, '127.0.0.1', async () => {
          socket.write(`POST /api/call/app.info HTTP/1.1\r\nHost: 127.0.0.1:${guarded.port}\r\nOrigin: http://127.0.0.1:${guarded.port}\r\nx-aisle-token: ${TOKEN}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\nconnection: close\r\n\r\n`);
          for (const part of parts) {
            await new Promise((r) => setTimeout(r, gapMs));
            if (!socket.destroyed) socket.write(part);
          }
        });
        socket.on('data', (d: Buffer) => (got += d.toString()));
        socket.on('error', () => {});
        return new Promise<string>((done) => socket.on('close', () => done(got)));
      };
      // Sixteen parts 100 ms apart: 1.6 s in all, longer than the idle limit, and never idle near it.
      const body = JSON.stringify({ pad: 'x'.repeat(40) });
      const parts = Array.from({ length: 16 }, (_, i) => body.slice(Math.floor((i * body.length) / 16), Math.floor(((i + 1) * body.length) / 16)));
      expect(parts.join('')).toBe(body);
      expect(await raw(parts, 100, body.length)).toMatch(/^HTTP\/1\.1 (200|400)/);
      // Half a body, then nothing: answered 408 after the idle limit, naming it, and closed.
      const stalled = await raw([body.slice(0, 10)], 10, body.length);
      expect(stalled).toMatch(/^HTTP\/1\.1 408/);
      expect(stalled).toContain('the request body stopped arriving: nothing came for 1 s');
    } finally {
      await guarded.close();
    }
  });

  it('cuts a page file its client stopped reading, and closes a refused request sending its body a byte at a time', async () => {
    writeFileSync(join(renderer, 'assets', 'huge-abc123.js'), 'x'.repeat(32 * 2 ** 20));
    const guarded = await startHost({ handlers: stubHandlers(), subscribe: () => () => {}, rendererDir: renderer, token: TOKEN, staticIdleMs: 300 });
    try {
      /** A raw connection sending `text` (paused at once when `stall`), resolving with what it got when the server closes it. */
      const raw = (text: string, stall: boolean) => {
        let got = '';
        const socket = connect(guarded.port, '127.0.0.1', () => {
          socket.write(text);
          if (stall) socket.pause();
        });
        socket.on('data', (d: Buffer) => (got += d.toString()));
        return { socket, closed: new Promise<string>((done) => socket.on('close', () => done(got))) };
      };
      // 32 MB asked for and not read: the kernel's buffers fill, the response stalls, and the server
      // cuts the connection once it has made no progress for staticIdleMs (without it: never). The
      // client, reading again a second later, finds it closed with the file cut short.
      const stalled = raw(`GET /assets/huge-abc123.js HTTP/1.1\r\nHost: 127.0.0.1:${guarded.port}\r\n\r\n`, true);
      await new Promise((r) => setTimeout(r, 1000));
      stalled.socket.resume();
      const got = await Promise.race([stalled.closed, new Promise<string>((r) => setTimeout(() => r('still open'), 5000))]);
      expect(got).not.toBe('still open');
      expect(got.length).toBeLessThan(32 * 2 ** 20);
      // No token, a body announced and sent slowly: 401 at once, and the server closes the connection
      // rather than wait (up to its request timeout) for a body it will never read.
      const slow = raw(`POST /api/call/app.info HTTP/1.1\r\nHost: 127.0.0.1:${guarded.port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`, false);
      const answer = await Promise.race([slow.closed, new Promise<string>((r) => setTimeout(() => r('still open'), 5000))]);
      expect(answer).toMatch(/^HTTP\/1\.1 401 .*\r\nConnection: close\r\n/s);
      // A reading client still gets the file whole.
      expect((await send(guarded.port, 'GET', '/assets/huge-abc123.js')).body).toHaveLength(32 * 2 ** 20);
    } finally {
      await guarded.close();
    }
  });

  it('refuses a page request that carries a body, and closes its connection however the body comes', async () => {
    // A GET needs no token. Its body was never read: after the answer Node read it through for the
    // next request however slowly it came (no timeout applies then), and while a large file waited for
    // a client that stopped reading, each chunk of it counted as progress, so the cut for a stalled
    // file never came. Either way one client held a connection for good, and 256 of them all.
    writeFileSync(join(renderer, 'assets', 'huge-abc123.js'), 'x'.repeat(32 * 2 ** 20));
    const dripping = (path: string, reading: boolean) => {
      let got = '';
      const socket = connect(host.port, '127.0.0.1', () => {
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n`);
        if (!reading) socket.pause();
      });
      socket.on('data', (d: Buffer) => (got += d.toString()));
      socket.on('error', () => {}); // a write racing the close
      const drip = setInterval(() => socket.writable && socket.write('1\r\na\r\n'), 100);
      const closed = new Promise<string>((done) => socket.on('close', () => done('closed')));
      const outcome = Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still open'), 5000))]).finally(() => {
        clearInterval(drip);
        socket.destroy();
      });
      return { outcome, got: () => got };
    };
    const page = dripping('/', true);
    const stalled = dripping('/assets/huge-abc123.js', false);
    expect(await page.outcome).toBe('closed');
    expect(await stalled.outcome).toBe('closed');
    expect(page.got()).toMatch(/^HTTP\/1\.1 400 .*\r\nConnection: close\r\n.*a page request carries no body/s);
    expect(page.got()).not.toContain('<title>Aisle</title>');
    // Without a body (a Content-Length of 0 included), pages are served as ever.
    expect((await send(host.port, 'GET', '/', { 'content-length': 0 })).status).toBe(200);
  });

  it('serves many files over one kept-alive connection without piling up listeners on it', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      for (let i = 0; i < 30; i++) {
        await new Promise<void>((done, fail) => {
          const req = request({ host: '127.0.0.1', port: host.port, path: '/assets/app-abc123.js', agent }, (res) => {
            sockets.add(res.socket);
            res.resume();
            res.on('end', () => done());
          });
          req.on('error', fail);
          req.end();
        });
      }
      expect(sockets.size).toBe(1); // one connection served all 30
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      agent.destroy();
      process.off('warning', onWarning);
    }
  });

  // Linux's /proc lists the process's open files; the host runs in this process.
  it.runIf(process.platform === 'linux')('closes a file whose download the client broke off (each stayed open, and enough took the host down)', async () => {
    const big = join(renderer, 'assets', 'big-abc123.js');
    writeFileSync(big, 'x'.repeat(8 * 2 ** 20));
    const openOnBig = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === big;
      } catch {
        return false; // closed meanwhile
      }
    }).length;
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((done) => {
        const socket = connect(host.port, '127.0.0.1', () => socket.write(`GET /assets/big-abc123.js HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`));
        socket.once('data', () => {
          socket.destroy();
          done();
        });
      });
    }
    await expect.poll(openOnBig, { timeout: 5000 }).toBe(0);
    expect((await send(host.port, 'GET', '/assets/app-abc123.js')).status).toBe(200);
  });

  it.each([
    '/../package.json',
    '/../secret.txt',
    '/assets/../../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/secret.txt',
    '/..%2fpackage.json',
    '/%2e%2e%2fpackage.json',
    '/..%5cpackage.json',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/%252e%252e/package.json',
    '/%2e%2e%00/package.json',
    '/%E0%A4%A',
  ])('refuses the traversal %s', async (path) => {
    const reply = await send(host.port, 'GET', path);
    expect([400, 403, 404]).toContain(reply.status);
    expect(reply.body).not.toContain(SECRET);
  });

  it('refuses a path holding a NUL for what it is (400), not as a ".." segment it does not have', async () => {
    const reply = await send(host.port, 'GET', '/index.html%00.js');
    expectRefused(reply, 400, /^the path \/index\.html%00\.js holds a NUL character \(%00\), which no file name has$/);
  });
});

describe('API refusals (nothing is dispatched)', () => {
  it('answers a good call with the handler’s value, from 127.0.0.1 and localhost', async () => {
    const reply = await api('runs.get', '{"id":3}');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, value: { stub: 'runs.get', input: { id: 3 } } });
    expect(calls).toEqual([{ command: 'runs.get', input: { id: 3 } }]);
    const viaLocalhost = await api('app.info', '{}', { origin: `http://localhost:${host.port}` });
    expect(viaLocalhost.status).toBe(200);
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it("aborts the call's signal when its client goes away before the answer, and not when it waits for it", async () => {
    let seen: AbortSignal | undefined;
    const handlers = stubHandlers();
    const slow = await startHost({
      handlers: { ...handlers, 'policies.evaluate': (_input, call) => ((seen = call.signal), new Promise((resolve) => setTimeout(() => resolve({ stub: 'late' } as never), 300))) },
      subscribe: () => () => {},
      rendererDir: tempDir(),
      token: TOKEN,
    });
    try {
      const slowOrigin = `http://127.0.0.1:${slow.port}`;
      // A client that waits gets its answer, its signal never aborted.
      const waited = await api('policies.evaluate', '{"policyId":1}', { origin: slowOrigin }, slow.port);
      expect(waited.status).toBe(200);
      expect(seen!.aborted).toBe(false);
      // One that hangs up: its handler's signal aborts, with the reason.
      const req = request({ host: '127.0.0.1', port: slow.port, method: 'POST', path: '/api/call/policies.evaluate', headers: { 'content-type': 'application/json', 'x-aisle-token': TOKEN, origin: slowOrigin } });
      req.on('error', () => {});
      req.end('{"policyId":1}');
      await new Promise((r) => setTimeout(r, 100));
      expect(seen!.aborted).toBe(false);
      req.destroy();
      await new Promise((r) => setTimeout(r, 100));
      expect(seen!.aborted).toBe(true);
      expect(seen!.reason).toBe('its client went away');
    } finally {
      await slow.close();
    }
  });

  it('answers a call still under way when it closes with 503 and why, not a reset connection', async () => {
    const slow = await startHost({
      handlers: { ...stubHandlers(), 'policies.evaluate': () => new Promise((resolve) => setTimeout(() => resolve({ stub: 'late' } as never), 2000)) },
      subscribe: () => () => {},
      rendererDir: tempDir(),
      token: TOKEN,
    });
    const answer = api('policies.evaluate', '{"policyId":1}', { origin: `http://127.0.0.1:${slow.port}` }, slow.port);
    await new Promise((r) => setTimeout(r, 100));
    await slow.close();
    const reply = await answer;
    expect(reply.status).toBe(503);
    expect(JSON.parse(reply.body)).toEqual({ ok: false, error: { name: 'ShuttingDown', message: 'the server is stopping: this call was not finished; start the server again and repeat it', status: 503 } });
  });

  it('no token → 401', async () => {
    const reply = await send(host.port, 'POST', '/api/call/app.info', { 'content-type': 'application/json', origin }, '{}');
    expectRefused(reply, 401, /missing token/);
  });

  it.each([['a wrong token of the same length', TOKEN.replace(/.$/, 'X')], ['a short wrong token', 'x'], ['an empty token', '']])('%s → 401', async (_what, token) => {
    expectRefused(await api('app.info', '{}', { 'x-aisle-token': token }), 401, /token/);
  });

  it.each(['http://evil.example', `http://127.0.0.1:${1}`, 'null', 'https://127.0.0.1'])('Origin %s → 403', async (evil) => {
    expectRefused(await api('app.info', '{}', { origin: evil }), 403, /Origin .* is not this host/);
  });

  it('missing Origin → 403', async () => {
    const reply = await send(host.port, 'POST', '/api/call/app.info', { 'content-type': 'application/json', 'x-aisle-token': TOKEN }, '{}');
    expectRefused(reply, 403, /missing Origin/);
  });

  it.each(['GET', 'PUT', 'DELETE'])('%s on a call → 405', async (method) => {
    const reply = await send(host.port, method, '/api/call/app.info', { 'x-aisle-token': TOKEN, origin });
    expectRefused(reply, 405, new RegExp(`${method} is not allowed`));
    expect(reply.headers.allow).toBe('POST');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])('Content-Type %s → 415', async (type) => {
    expectRefused(await api('app.info', '{}', { 'content-type': type }), 415, /Content-Type must be application\/json/);
  });

  it('no Content-Type → 415', async () => {
    const reply = await send(host.port, 'POST', '/api/call/app.info', { 'x-aisle-token': TOKEN, origin }, '{}');
    expectRefused(reply, 415, /got none/);
  });

  it('a body just over the limit → 413; exactly at the limit is read', async () => {
    const over = `{"id":1}${' '.repeat(SMALL_LIMIT - 8 + 1)}`;
    expectRefused(await api('runs.get', over, { origin: `http://127.0.0.1:${small.port}` }, small.port), 413, new RegExp(`larger than ${SMALL_LIMIT} bytes`));
    const atLimit = `{"id":1}${' '.repeat(SMALL_LIMIT - 8)}`;
    expect((await api('runs.get', atLimit, { origin: `http://127.0.0.1:${small.port}` }, small.port)).status).toBe(200);
  });

  it('a chunked body (no Content-Length) that grows over the limit → 413', async () => {
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: small.port, method: 'POST', path: '/api/call/app.info', headers: { 'content-type': 'application/json', 'x-aisle-token': TOKEN, origin: `http://127.0.0.1:${small.port}`, 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      for (let i = 0; i < 4; i++) req.write(' '.repeat(SMALL_LIMIT / 2));
      req.end('{}');
    });
    expectRefused(reply, 413, /larger than/);
  });

  it('MAX_BODY_BYTES takes any file the contract takes: 64 Mi characters, each escaped to 6 bytes at most', () => {
    expect(MAX_BODY_BYTES).toBeGreaterThan(6 * MAX_FILE_CHARS);
    // The worst a character takes in a JSON body: a control character's \u escape.
    expect(Buffer.byteLength(JSON.stringify({ text: '\u0001' })) - Buffer.byteLength(JSON.stringify({ text: '' }))).toBe(6);
    expect(Buffer.byteLength(JSON.stringify({ text: '名' })) - Buffer.byteLength(JSON.stringify({ text: '' }))).toBe(3);
  });

  it('the real MAX_BODY_BYTES is the default limit: a declared Content-Length over it is refused before reading', async () => {
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, method: 'POST', path: '/api/call/app.info', headers: { 'content-type': 'application/json', 'x-aisle-token': TOKEN, origin, 'content-length': MAX_BODY_BYTES + 1 } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.write('{"'); // the 80 MB never follow: the host answers from the header alone
    });
    expectRefused(reply, 413, new RegExp(`larger than ${MAX_BODY_BYTES} bytes`));
  });

  it.each(['{', '{"id":', 'not json', '{"id":1}}'])('malformed JSON %s → 400', async (body) => {
    expectRefused(await api('runs.get', body), 400, /not valid JSON/);
  });

  it('a body failing the schema → 400 with the dispatcher’s message naming the field', async () => {
    const reply = await api('runs.get', '{"id":-1}');
    expectRefused(reply, 400, /\bid\b/);
    const body = JSON.parse(reply.body) as { error: { name: string; problems: string[] } };
    expect(body.error.name).toBe('InvalidInput');
    expect(body.error.problems.join()).toMatch(/^id: /);
    expectRefused(await api('app.info', '{"extra":1}'), 400, /extra/);
  });

  it.each(['nope', 'constructor', '__proto__', 'toString', 'runs.get%00', '%E0%A4%A'])('unknown command %s → 404', async (command) => {
    expectRefused(await api(command, '{}'), 404, /unknown command/);
  });

  it('other /api paths → 404', async () => {
    expectRefused(await send(host.port, 'GET', '/api/whatever'), 404, /no API endpoint/);
  });
});

describe('server-sent events', () => {
  function openStream(path: string, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; body: () => string; close: () => void; text: Promise<string> }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, method: 'GET', path, headers }, (res) => {
        let text = '';
        const ended = new Promise<string>((done) => res.on('end', () => done(text)));
        res.on('data', (c: Buffer) => (text += c.toString()));
        resolve({ status: res.statusCode ?? 0, body: () => text, close: () => req.destroy(), text: ended });
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('refuses a call whose Host is another name (a DNS-rebinding page), token or not', async () => {
    expectRefused(await api('app.info', '{}', { host: `evil.example:${host.port}` }), 403, new RegExp(`^Host evil\\.example:${host.port} is not this host \\(127\\.0\\.0\\.1:${host.port}\\)`));
    expectRefused(await api('app.info', '{}', { host: '127.0.0.1' }), 403, /^Host 127\.0\.0\.1 is not this host/);
    const stream = await openStream(`/api/events?token=${TOKEN}`, { host: `evil.example:${host.port}` });
    expect(stream.status).toBe(403);
    expect(host.openStreams()).toBe(0);
    // Its own names pass: 127.0.0.1 and localhost, with the port.
    expect((await api('app.info', '{}', { host: `localhost:${host.port}`, origin: `http://localhost:${host.port}` })).status).toBe(200);
  });

  it('says how to reach it when refusing a Host: through a tunnel the same port, from another machine its names', async () => {
    // A page through `ssh -L 8080:127.0.0.1:<port>` has the address 127.0.0.1:8080.
    const tunnelled = await api('app.info', '{}', { host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' });
    const port = host.port;
    expectRefused(tunnelled, 403, new RegExp(`^Host 127\\.0\\.0\\.1:8080 is not this host \\(127\\.0\\.0\\.1:${port}\\): open Aisle at the link it printed; through an SSH tunnel, forward the same port \\(ssh -L ${port}:127\\.0\\.0\\.1:${port} <this machine>\\)$`));
    const everywhere = await startHost({ handlers: stubHandlers(), subscribe: () => () => {}, rendererDir: renderer, token: TOKEN, host: '0.0.0.0' });
    try {
      const reply = await api('app.info', '{}', { host: `lab.example.org:${everywhere.port}` }, everywhere.port);
      const name = hostname().toLowerCase();
      expectRefused(reply, 403, /^Host lab\.example\.org:\d+ is not this host \(127\.0\.0\.1:\d+\): open Aisle at the link it printed; from another machine, with 127\.0\.0\.1 in it replaced by /);
      const named = (JSON.parse(reply.body) as { error: { message: string } }).error.message;
      if (/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(name)) expect(named).toContain(name);
      expect(named).not.toContain('ssh -L');
    } finally {
      await everywhere.close();
    }
  });

  // Bound to one address of the machine, its refusals named 127.0.0.1, which it does not listen on.
  const lanAddress = Object.values(networkInterfaces())
    .flat()
    .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal)?.address;
  it.runIf(lanAddress !== undefined)('bound to one address, names that address as this host when refusing a Host or an Origin', async () => {
    const one = await startHost({ handlers: stubHandlers(), subscribe: () => () => {}, rendererDir: renderer, token: TOKEN, host: lanAddress! });
    try {
      const at = `${lanAddress}:${one.port}`;
      const sent = (headers: Record<string, string>) =>
        new Promise<Reply>((resolve, reject) => {
          const req = request({ host: lanAddress, port: one.port, method: 'POST', path: '/api/call/app.info', headers: { 'content-type': 'application/json', 'x-aisle-token': TOKEN, ...headers } }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
          });
          req.on('error', reject);
          req.end('{}');
        });
      expectRefused(await sent({ host: `evil.example:${one.port}` }), 403, new RegExp(`^Host evil\\.example:${one.port} is not this host \\(${at.replace(/\./g, '\\.')}\\): open Aisle at the link it printed$`));
      expectRefused(await sent({ origin: 'http://evil.example' }), 403, new RegExp(`^Origin http://evil\\.example is not this host \\(http://${at.replace(/\./g, '\\.')}\\)`));
      expect((await sent({ origin: `http://${at}` })).status).toBe(200);
    } finally {
      await one.close();
    }
  });

  it('needs the token: none or a wrong one → 401, a foreign Origin → 403', async () => {
    for (const [path, headers, status] of [
      ['/api/events', {}, 401],
      ['/api/events?token=wrong', {}, 401],
      [`/api/events?token=${TOKEN}`, { origin: 'http://evil.example' }, 403],
    ] as const) {
      const stream = await openStream(path, headers);
      expect(stream.status).toBe(status);
      expect(await stream.text).toMatch(/"ok":false/);
    }
    expect(host.openStreams()).toBe(0);
  });

  it('delivers a pushed event, numbered, and lets go of the stream when the page goes away', async () => {
    const stream = await openStream(`/api/events?token=${TOKEN}`, { origin });
    expect(stream.status).toBe(200);
    expect(host.openStreams()).toBe(1);
    for (const listener of listeners) listener('run.progress', { runId: 7, episodesDone: 10, episodesTotal: 100 });
    await expect.poll(() => stream.body()).toContain('id: 1\nevent: run.progress\ndata: {"runId":7,"episodesDone":10,"episodesTotal":100}\n\n');
    stream.close();
    await expect.poll(() => host.openStreams()).toBe(0);
  });

  it('sends a page the events it missed since the id it names (Last-Event-ID, or ?after=), and "gap" when they are no longer kept', async () => {
    for (let i = 1; i <= 5; i++) for (const listener of listeners) listener('run.progress', { runId: 7, episodesDone: i, episodesTotal: 100 });
    const shown = (text: string) => [...text.matchAll(/id: (\d+)\nevent: run\.progress\ndata: \{"runId":7,"episodesDone":(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    // EventSource connecting again by itself names the last it had; a tab taking the stream over says it in the URL.
    const again = await openStream(`/api/events?token=${TOKEN}`, { 'last-event-id': '3' });
    await expect.poll(() => shown(again.body())).toEqual([[4, 4], [5, 5]]);
    const takeover = await openStream(`/api/events?token=${TOKEN}&after=0`);
    await expect.poll(() => shown(takeover.body())).toEqual([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
    // Then live, numbered on.
    for (const listener of listeners) listener('run.progress', { runId: 7, episodesDone: 6, episodesTotal: 100 });
    await expect.poll(() => shown(again.body())).toEqual([[4, 4], [5, 5], [6, 6]]);
    // Nothing asked: nothing replayed. An id this host never gave (a page from before a restart): "gap", read everything again.
    const fresh = await openStream(`/api/events?token=${TOKEN}`);
    const foreign = await openStream(`/api/events?token=${TOKEN}&after=99`);
    await expect.poll(() => foreign.body()).toContain('event: gap\n');
    // Each stream says where it starts, after what it replayed: the id to name when it is opened again.
    await expect.poll(() => fresh.body()).toBe(': connected\n\nid: 6\nevent: ready\ndata: {}\n\n');
    expect(takeover.body()).toMatch(/id: 5\nevent: run\.progress\n[^\n]*\n\nid: 5\nevent: ready\n/);
    for (const s of [again, takeover, fresh, foreign]) s.close();
  });

  it('sends a comment heartbeat on idle streams', async () => {
    const quick = await startHost({ handlers: stubHandlers(), subscribe: () => () => {}, rendererDir: tempDir(), token: TOKEN, heartbeatMs: 20 });
    try {
      const stream = await new Promise<{ body: () => string; close: () => void }>((resolve) => {
        const req = request({ host: '127.0.0.1', port: quick.port, path: `/api/events?token=${TOKEN}` }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          resolve({ body: () => text, close: () => req.destroy() });
        });
        req.end();
      });
      await expect.poll(() => stream.body()).toContain(': heartbeat\n\n');
      stream.close();
    } finally {
      await quick.close();
    }
  });

  it('closes the stream of a client that stopped reading, once its unread pushes pass the limit, and keeps a reading one', async () => {
    const subscribed = new Set<(event: EventName, payload: unknown) => void>();
    const limited = await startHost({
      handlers: stubHandlers(),
      subscribe: (listener) => (subscribed.add(listener), () => void subscribed.delete(listener)),
      rendererDir: tempDir(),
      token: TOKEN,
      maxUnreadBytes: 256 * 1024,
    });
    const push = (count: number) => {
      for (let i = 0; i < count; i++) for (const listener of [...subscribed]) listener('run.progress', { runId: 7, episodesDone: i, episodesTotal: 10_000_000 });
    };
    try {
      let read = '';
      const reader = request({ host: '127.0.0.1', port: limited.port, path: `/api/events?token=${TOKEN}` }, (res) => res.on('data', (c: Buffer) => (read += c.toString())));
      reader.end();
      await expect.poll(() => limited.openStreams()).toBe(1);
      // A page that reads: bursts well past the limit in all, each read before the next.
      for (let burst = 0; burst < 20; burst++) {
        push(200);
        await expect.poll(() => read.split('event: run.progress').length - 1).toBe((burst + 1) * 200);
      }
      expect(limited.openStreams()).toBe(1);

      // A client that stops reading: the pushes fill the kernel's buffers, then the host's, up to the limit.
      const stalled = connect(limited.port, '127.0.0.1');
      await new Promise((resolve) => stalled.once('connect', resolve));
      stalled.write(`GET /api/events?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${limited.port}\r\n\r\n`);
      await expect.poll(() => limited.openStreams()).toBe(2);
      stalled.pause();
      let bursts = 0;
      // At most ~20 MB pushed, a burst below the limit at a time: without the limit the stalled stream would hold all of it.
      while (limited.openStreams() === 2 && bursts < 1000) {
        push(200);
        bursts++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(limited.openStreams()).toBe(1);
      // The reader had every push meanwhile.
      await expect.poll(() => read.split('event: run.progress').length - 1).toBe(4000 + bursts * 200);
      stalled.destroy();
      reader.destroy();
    } finally {
      await limited.close();
    }
  });

  it('is closed by close(), so shutdown never waits on an open page', async () => {
    const stream = await openStream(`/api/events?token=${TOKEN}`);
    await host.close();
    await expect(stream.text).resolves.toContain(': connected');
    host = await startHost({ handlers: stubHandlers(), subscribe: () => () => {}, rendererDir: tempDir(), token: TOKEN });
  });
});

describe('aisle serve', () => {
  /** Starts `aisle serve` on a fresh database and resolves once it printed its link (read from its first line by `linkOf`). */
  async function serve(args: string[] = [], linkOf = (line: string) => /^Aisle is running at (\S+)$/.exec(line)?.[1]) {
    const db = join(tempDir('aisle-serve-'), 'aisle.db');
    const child = aisleSpawn(['serve', '--no-open', ...args], { db });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (!stdout.includes('\n')) return;
        const line = stdout.slice(0, stdout.indexOf('\n'));
        const link = linkOf(line);
        if (link !== undefined) resolve(link);
        else {
          child.kill('SIGINT');
          reject(new Error(`aisle serve printed ${JSON.stringify(line)}, not its link`));
        }
      });
      void exited.then((code) => reject(new Error(`aisle serve exited with ${code}: ${stderr}`)));
    });
    return { db, child, url, exited, stdout: () => stdout, stderr: () => stderr };
  }

  it('prints one line with the link, serves the built app and the API, and exits 0 on SIGINT', async () => {
    const running = await serve();
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{20,}$/);
    const { port } = new URL(running.url);
    const token = running.url.split('#token=')[1]!;
    const page = await send(Number(port), 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Aisle</title>');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const info = await send(Number(port), 'POST', '/api/call/app.info', { 'content-type': 'application/json', 'x-aisle-token': token, origin: `http://127.0.0.1:${port}` }, '{}');
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ ok: true, value: { door: 'browser', dbPath: running.db } });
    expect((await send(Number(port), 'POST', '/api/call/app.info', { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}` }, '{}')).status).toBe(401);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    expect(running.stdout().trim().split('\n')).toHaveLength(1);
  });

  it('with --json prints the link as one line of JSON, for a script to read while it runs', async () => {
    const running = await serve(['--json'], (line) => (line.startsWith('{') ? (JSON.parse(line) as { url?: string }).url : undefined));
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{20,}$/);
    expect(running.stdout()).toBe(`${JSON.stringify({ url: running.url })}\n`);
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
  });

  it('warns when asked to listen beyond loopback, and stops on SIGTERM', async () => {
    const running = await serve(['--host', '0.0.0.0']);
    expect(running.stderr()).toMatch(/warning: listening on 0\.0\.0\.0/);
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });

  it('opens the browser on a page only this user can read, which leads to a one-time link: neither the token nor the code is on a command line; the page goes when the host stops, and a crashed host\'s at the next start', async () => {
    // A stand-in for the desktop's opener: writes what it was given. Its xdg-mime names no snap.
    const dir = tempDir('aisle-opener-');
    const opened = join(dir, 'opened.txt');
    writeFileSync(join(dir, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`, { mode: 0o755 });
    writeFileSync(join(dir, 'xdg-mime'), '#!/bin/sh\necho firefox.desktop\n', { mode: 0o755 });
    const userData = join(dir, 'user-data');
    const folder = join(userData, 'browser-open');
    // A host killed outright left its page behind.
    const ended = spawnSync(process.execPath, ['-e', '']).pid!;
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `open-${ended}.html`), 'stale');
    const db = join(dir, 'aisle.db');
    const child = aisleSpawn(['serve', '--port', '0', '--open'], { db, env: { PATH: `${dir}:${process.env.PATH ?? ''}`, AISLE_USER_DATA: userData } });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const page = join(folder, `open-${child.pid}.html`);
    try {
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      await expect.poll(() => existsSync(opened) && readFileSync(opened, 'utf8').length > 0, { timeout: 20_000 }).toBe(true);
      const printed = /Aisle is running at (\S+)/.exec(stdout)![1]!;
      const token = printed.split('#token=')[1]!;
      const { port } = new URL(printed);
      expect(readFileSync(opened, 'utf8')).toBe(pathToFileURL(page).href);
      expect(existsSync(join(folder, `open-${ended}.html`))).toBe(false);
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      expect(statSync(page).mode & 0o777).toBe(0o600);
      const link = /<a href="([^"]*)">/.exec(readFileSync(page, 'utf8'))![1]!;
      expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/#once=[A-Za-z0-9_-]{24}$`));
      expect(link).not.toContain(token);
      const trade = () => send(Number(port), 'POST', '/api/once', { origin: `http://127.0.0.1:${port}`, 'x-aisle-once': link.split('#once=')[1]! });
      expect(JSON.parse((await trade()).body)).toEqual({ token });
      expect((await trade()).status).toBe(401);
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
    expect(existsSync(page)).toBe(false);
  });

  it('stops as cleanly on SIGHUP (its terminal closed), exit 0 rather than killed', async () => {
    const running = await serve([]);
    running.child.kill('SIGHUP');
    expect(await running.exited).toBe(0);
  });

  it('stops as cleanly on one Ctrl-C delivered twice (the terminal\'s and the copy `npx` forwards), exit 0 and its run cancelled, rather than quitting at once', async () => {
    const running = await serve([]);
    const { port } = new URL(running.url);
    const token = running.url.split('#token=')[1]!;
    const experiment = { format: 'aisle.experiment/v1', name: 'long', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 50_000_000, seeds: 1 };
    const launched = await send(Number(port), 'POST', '/api/call/experiments.launch', { 'content-type': 'application/json', 'x-aisle-token': token, origin: `http://127.0.0.1:${port}` }, JSON.stringify({ experiment }));
    expect(launched.status, launched.body).toBe(200);
    await untilRuns(running.db, (runs) => runs.some((r) => r.episodesDone > 0), 'the run never stored an episode');
    running.child.kill('SIGINT');
    // The copy a few milliseconds later, once the first is surely delivered (two at once may merge
    // into one), well inside the repeat window, while the run is being cancelled.
    await new Promise((r) => setTimeout(r, 5));
    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    const listed = aisle(['runs', '--json'], { db: running.db });
    expect((JSON.parse(listed.stdout) as { runs: { status: string }[] }).runs.map((r) => r.status)).toEqual(['cancelled']);
  });
});

describe('ownOrigins', () => {
  it("on every interface takes the machine's name (and its .local) as its own, bound to one address only that address", () => {
    const everywhere = ownOrigins('0.0.0.0', 5717, 'Lab-PC');
    expect(everywhere.has('http://lab-pc:5717')).toBe(true);
    expect(everywhere.has('http://lab-pc.local:5717')).toBe(true);
    expect(everywhere.has('http://127.0.0.1:5717')).toBe(true);
    // A name that is not a host name is left out, and a dotted one takes no .local.
    expect([...ownOrigins('0.0.0.0', 5717, 'lab pc')].some((o) => o.includes('lab'))).toBe(false);
    expect(ownOrigins('0.0.0.0', 80, 'lab.example.org').has('http://lab.example.org')).toBe(true);
    expect(ownOrigins('0.0.0.0', 80, 'lab.example.org').has('http://lab.example.org.local')).toBe(false);
    const loopback = ownOrigins('127.0.0.1', 5717, 'lab-pc');
    expect([...loopback].sort()).toEqual(['http://127.0.0.1:5717', 'http://[::1]:5717', 'http://localhost:5717']);
  });
});

describe('RecentEvents', () => {
  it('keeps the last events it is given, and answers only for ids whose followers it still has', () => {
    const recent = new RecentEvents(3);
    for (let i = 1; i <= 5; i++) expect(recent.add('experiments.changed', { experimentId: i })).toBe(`id: ${i}\nevent: experiments.changed\ndata: {"experimentId":${i}}\n\n`);
    const ids = (text: string | undefined) => (text === undefined ? undefined : [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])));
    expect(ids(recent.since(2))).toEqual([3, 4, 5]);
    expect(ids(recent.since(4))).toEqual([5]);
    expect(recent.since(5)).toBe('');
    // Event 2 is no longer kept: after 1 cannot be answered whole; nor an id not given yet.
    expect(recent.since(1)).toBeUndefined();
    expect(recent.since(6)).toBeUndefined();
  });
});

describe('one-time links (the link Aisle opens in a browser itself)', () => {
  const trade = (code: string | undefined, headers: Record<string, string> = {}, port = host.port) =>
    send(port, 'POST', '/api/once', { origin: `http://127.0.0.1:${port}`, ...(code === undefined ? {} : { 'x-aisle-once': code }), ...headers });
  const codeOf = (url: string) => /#once=([A-Za-z0-9_-]+)$/.exec(url)![1]!;

  it('carries no token, and its code is traded for the token once', async () => {
    const url = host.onceUrl();
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/#once=[A-Za-z0-9_-]{24}$`));
    expect(url).not.toContain(TOKEN);
    // Each link its own code.
    expect(codeOf(host.onceUrl())).not.toBe(codeOf(url));
    const first = await trade(codeOf(url));
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(first.body)).toEqual({ token: TOKEN });
    expectRefused(await trade(codeOf(url)), 401, /^this one-time link was used already or has expired: open the link Aisle printed in its terminal$/);
  });

  it('refuses a code it never made, none, one from another page or another name, and any method but POST', async () => {
    const code = codeOf(host.onceUrl());
    expectRefused(await trade('made-up-code-0123456789ab'), 401, /used already or has expired/);
    expectRefused(await trade(undefined), 401, /^missing code: send the link's one-time code in the x-aisle-once header$/);
    expectRefused(await trade(code, { origin: 'http://evil.example' }), 403, /^Origin http:\/\/evil\.example is not this host/);
    expectRefused(await send(host.port, 'POST', '/api/once', { 'x-aisle-once': code }), 403, /^missing Origin header/);
    expectRefused(await trade(code, { host: `rebound.example:${host.port}` }), 403, /^Host rebound\.example:\d+ is not this host/);
    const get = await send(host.port, 'GET', '/api/once', { origin, 'x-aisle-once': code });
    expectRefused(get, 405, /^GET is not allowed: trade a one-time code with POST \/api\/once$/);
    expect(get.headers.allow).toBe('POST');
    // None of those used it up.
    expect(JSON.parse((await trade(code)).body)).toEqual({ token: TOKEN });
  });

  it('expires: a code not traded within its time is refused', async () => {
    const quick = await startHost({ handlers: stubHandlers(), subscribe: () => () => undefined, rendererDir: renderer, token: TOKEN, onceTtlMs: 150 });
    try {
      const late = codeOf(quick.onceUrl());
      const early = codeOf(quick.onceUrl());
      expect((await trade(early, {}, quick.port)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expectRefused(await trade(late, {}, quick.port), 401, /used already or has expired/);
    } finally {
      await quick.close();
    }
  });
});
