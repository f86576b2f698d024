import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenProblem, onPreferredPort, PREFERRED_PORTS } from '../../src/cli/serve';

/** A server listening on `port` on loopback (0: any free port). */
function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const portOf = (server: Server) => (server.address() as { port: number }).port;
const open: Server[] = [];
const track = async (p: Promise<Server>) => {
  const server = await p;
  open.push(server);
  return server;
};

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('the browser mode\'s preferred ports', () => {
  it('are ten fixed ports, so that a restart lands on the same address (and the page keeps its theme)', () => {
    expect(PREFERRED_PORTS).toHaveLength(10);
    expect(new Set(PREFERRED_PORTS).size).toBe(10);
    expect(PREFERRED_PORTS.every((p) => p > 1024 && p < 49152)).toBe(true);
  });

  it('takes the first free one, skipping ports in use', async () => {
    // Two ports known to be free a moment ago: take them, note them, free the second.
    const taken = await track(listen(0));
    const probe = await listen(0);
    const second = portOf(probe);
    await new Promise((resolve) => probe.close(resolve));
    const server = await track(onPreferredPort(listen, [portOf(taken), second]));
    expect(portOf(server)).toBe(second);
  });

  it('falls back to any free port when every preferred one is in use', async () => {
    const a = await track(listen(0));
    const b = await track(listen(0));
    const server = await track(onPreferredPort(listen, [portOf(a), portOf(b)]));
    expect(portOf(server)).not.toBe(portOf(a));
    expect(portOf(server)).not.toBe(portOf(b));
    expect(portOf(server)).toBeGreaterThan(0);
  });

  it('passes on an error other than a port in use (a bad host) at once', async () => {
    const tried: number[] = [];
    const failing = (port: number) => {
      tried.push(port);
      return Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere'), { code: 'ENOTFOUND' }));
    };
    await expect(onPreferredPort(failing, [5717, 5718])).rejects.toThrow('ENOTFOUND');
    expect(tried).toEqual([5717]);
  });
});

describe('a port or host the browser mode cannot listen on', () => {
  const failure = (code: string, message: string) => Object.assign(new Error(message), { code });
  it('is a usage problem naming the option to change, a privileged port too (it read "listen EACCES: permission denied 127.0.0.1:80", exit 1)', () => {
    expect(listenProblem(failure('EACCES', 'listen EACCES: permission denied 127.0.0.1:80'), { port: 80 })?.message).toBe(
      '--port 80: this user may not listen on it (ports below 1024 need administrator rights): pick one from 1024 to 65535, or omit --port for a free one',
    );
    expect(listenProblem(failure('EADDRINUSE', 'listen EADDRINUSE'), { port: 5717 })?.message).toBe('--port 5717: the port is in use: pick another with --port, or omit it for a free one');
    expect(listenProblem(failure('ENOTFOUND', 'getaddrinfo ENOTFOUND nowhere'), { host: 'nowhere' })?.message).toMatch(/^--host nowhere: not an address of this machine/);
    expect(listenProblem(failure('EMFILE', 'too many open files'), { port: 5717 })).toBeUndefined();
  });
});
