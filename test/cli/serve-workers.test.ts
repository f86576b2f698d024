import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aisle, aisleSpawn } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

type Child = ReturnType<typeof aisleSpawn>;
const started: Child[] = [];

afterEach(async () => {
  await Promise.all(
    started.splice(0).map((child) => {
      if (child.exitCode !== null) return Promise.resolve();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    }),
  );
});

/** Starts `aisle serve` with `args` on a fresh database; resolves with its tokened link. */
async function serve(args: string[]): Promise<URL> {
  const child = aisleSpawn(['serve', '--no-open', '--port', '0', ...args], { db: join(tempDir(), 'a.db') });
  started.push(child);
  let out = '';
  const link = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Aisle is running at (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`aisle serve exited with ${code}`)));
  });
  return new URL(link);
}

/** The page's app.info, through the host as the page calls it. */
function appInfo(link: URL): Promise<{ value: { workers: number } }> {
  const token = /token=([^&]+)/.exec(link.hash)![1]!;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: link.hostname, port: link.port, method: 'POST', path: '/api/call/app.info', headers: { 'content-type': 'application/json', 'x-aisle-token': token, origin: link.origin } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(JSON.parse(body) as { value: { workers: number } }));
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('aisle serve --workers', () => {
  it("sizes the pool that trains the app's runs, as aisle run --workers does (the sidebar shows it)", async () => {
    expect((await appInfo(await serve(['--workers', '3']))).value.workers).toBe(3);
  });

  it('refuses a count that is not a whole number from 1: exit 2, naming the option', () => {
    const r = aisle(['serve', '--no-open', '--port', '0', '--workers', '0'], { db: join(tempDir(), 'a.db') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workers/);
  });
});
