// The README's policy-runtime example, run as written against a freshly exported policy.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle, ROOT } from './helpers/cli';
import { tempDir } from './helpers/tmp';

describe('README', () => {
  it('serves an exported policy in five lines with the dependency-free runtime', () => {
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
  });
});
