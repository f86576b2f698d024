// A raw HTTP request to a host on this machine, for the browser-mode host's tests.
import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request: the path goes on the wire exactly as written (fetch would normalise `..`). */
export function send(port: number, method: string, path: string, headers: Record<string, string | number> = {}, body?: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A GET whose answer is paused as it arrives: the client reads nothing until told (`res.resume()`); `req.destroy()` leaves. */
export async function heldGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ req: ReturnType<typeof request>; res: IncomingMessage }> {
  const req = request({ host: '127.0.0.1', port, path, headers });
  const response = new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
  req.on('error', () => {});
  req.end();
  const res = await response;
  res.pause();
  return { req, res };
}
