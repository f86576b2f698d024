// The README's policy-runtime example, run as written against a freshly exported policy.
import { execFileSync, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle, ROOT } from './helpers/cli';
import { tempDir } from './helpers/tmp';

describe('README', () => {
  it("prints the quickstart's summary as the README shows it, figure for figure (seeded runs are deterministic)", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /```\n(metrics: each run’s mean over its last 100 episodes\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(block, "the README shows the quickstart's summary").toBeDefined();
    const shown = block!.split('\n').filter((line) => line !== '' && line !== '…');
    expect(shown.length).toBeGreaterThanOrEqual(4); // the heading, the table's header and rule, a run at least
    const run = aisle(['run', join(ROOT, 'resources/experiments/quickstart.json')], { db: join(tempDir(), 'a.db'), env: { COLUMNS: '100' } });
    expect(run.code, run.stderr).toBe(0);
    const printed = run.stdout.split('\n');
    expect(printed.slice(0, shown.length)).toEqual(shown);
  });

  it('serves an exported policy in five lines with the dependency-free runtime, and over HTTP in a few more', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- runtime-example[^>]*-->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'the README has a runtime example').toBeDefined();
    expect(block!.trim().split('\n')).toHaveLength(5);
    const runtime = readFileSync(join(ROOT, 'out/runtime/runtime.js'), 'utf8');
    expect(runtime).not.toMatch(/^\s*import /m); // no dependencies at all

    const dir = tempDir();
    const db = join(dir, 'a.db');
    const run = JSON.parse(aisle(['run', join(ROOT, 'resources/experiments/quickstart.json'), '--json'], { db }).stdout) as { runs: { runId: number; greedy: { normalizedScore: number } }[] };
    const best = run.runs.find((r) => r.greedy.normalizedScore === 1)!;
    expect(aisle(['export', String(best.runId), '-o', join(dir, 'cliff-policy.json')], { db }).code).toBe(0);
    const script = join(dir, 'serve.mjs');
    writeFileSync(script, block!.replace("'./out/runtime/runtime.js'", JSON.stringify(join(ROOT, 'out/runtime/runtime.js'))));
    const out = execFileSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' });
    expect(out.trim().split('\n')).toEqual(['up', '0']);

    // The HTTP wrapper, as written but on a free port: a state label, an index, and a refusal.
    const http = /<!-- http-example[^>]*-->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(http, 'the README has an HTTP serving example').toBeDefined();
    const port = await freePort();
    const server = join(dir, 'http.mjs');
    writeFileSync(server, http!.replace("'./out/runtime/runtime.js'", JSON.stringify(join(ROOT, 'out/runtime/runtime.js'))).replace('.listen(8080,', `.listen(${port},`));
    const child = spawn(process.execPath, [server], { cwd: dir, stdio: 'ignore' });
    try {
      const ask = async (body: string) => {
        for (let i = 0; ; i++) {
          try {
            const r = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body });
            return { status: r.status, json: (await r.json()) as unknown };
          } catch (e) {
            if (i > 100) throw e;
            await new Promise((r) => setTimeout(r, 50)); // still starting
          }
        }
      };
      expect(await ask('{"state": "r3c0 start"}')).toEqual({ status: 200, json: { action: 'up' } });
      expect(await ask('{"state": 36}')).toEqual({ status: 200, json: { action: 'up' } });
      expect(await ask('{"state": "nowhere"}')).toEqual({ status: 400, json: { error: 'unknown state label "nowhere"' } });
      expect((await ask('not json')).status).toBe(400);
    } finally {
      child.kill();
    }
  });
});

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}
