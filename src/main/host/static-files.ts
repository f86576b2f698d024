/**
 * The browser-mode host's static side: the built renderer's files with their content types, the
 * security headers every response carries, and index.html for unknown page routes (the SPA).
 * A requested path never leaves the renderer folder: `..` segments (plain or percent-encoded) are
 * refused outright, and the resolved real path is checked to lie inside the folder as well.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The page's Content-Security-Policy: its own scripts only, no plugins, no framing, no <base>, and
 * no form submitted anywhere (form-action has no default-src fallback: every form of the app handles
 * its submit in script, so one that navigates is markup injected into the page).
 * src/renderer/index.html carries the same in a meta tag, less frame-ancestors (header-only).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type Refuse = (status: 400 | 403 | 404, name: string, message: string) => void;

/** Serves `pathname` (still percent-encoded, as it came on the wire) from `rootDir`. */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, rootDir: string, pathname: string, refuse: Refuse): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return refuse(400, 'BadRequest', `the path ${pathname} is not valid percent-encoding`);
  }
  // A NUL ends a name at the system's door (index.html%00.js): no file has one.
  if (decoded.includes('\0')) return refuse(400, 'BadRequest', `the path ${pathname} holds a NUL character (%00), which no file name has`);
  if (decoded.split(/[/\\]/).includes('..')) {
    return refuse(403, 'Forbidden', 'paths may not contain ".." segments');
  }
  const root = await realpath(rootDir).catch(() => null);
  if (!root) return refuse(404, 'NotFound', `the app has not been built (no ${rootDir}): run \`npm run build\``);
  const file = await existingFileInside(root, resolve(root, `.${decoded}`));
  if (file === 'outside') return refuse(403, 'Forbidden', 'that path is outside the app');
  if (file) return send(req, res, file, dirname(file) === join(root, 'assets'));
  // Unknown page routes get the app (it routes on the client); a missing asset stays a 404.
  const wantsPage = extname(decoded) === '' || (req.headers.accept ?? '').includes('text/html');
  if (!wantsPage) return refuse(404, 'NotFound', `no file ${decoded}`);
  const index = await existingFileInside(root, resolve(root, 'index.html'));
  if (!index || index === 'outside') return refuse(404, 'NotFound', 'the app has not been built (no index.html): run `npm run build`');
  return send(req, res, index, false);
}

/** The file's real path if it is a regular file inside `root`; 'outside' if it resolves elsewhere. */
async function existingFileInside(root: string, candidate: string): Promise<string | null | 'outside'> {
  if (!isInside(root, candidate)) return 'outside';
  const real = await realpath(candidate).catch(() => null);
  if (!real) return null;
  if (!isInside(root, real)) return 'outside'; // a symlink pointing out of the folder
  const info = await stat(real).catch(() => null);
  if (info?.isFile()) return real;
  if (info?.isDirectory()) return existingFileInside(root, resolve(real, 'index.html'));
  return null;
}

function isInside(root: string, file: string): boolean {
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
}

function send(req: IncomingMessage, res: ServerResponse, file: string, immutable: boolean): Promise<void> {
  res.statusCode = 200;
  res.setHeader('Content-Type', contentTypeOf(file));
  // Vite's assets carry a content hash in their names; everything else is revalidated.
  res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (req.method === 'HEAD') {
    res.end();
    return Promise.resolve();
  }
  // pipeline, not pipe: a client that goes away mid-file (or a read that fails) destroys both
  // ends, closing the file. With pipe the file stayed open for good, and a few thousand aborted
  // downloads, which need no token, used up the process's descriptors and took the host down.
  return pipeline(createReadStream(file), res).catch(() => {
    res.destroy();
  });
}
