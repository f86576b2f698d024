// Serving an exported policy as a user of the app does: `aisle policies runtime` writes the policy
// runtime (no source checkout needed), which, imported from where it was written, serves what the
// engine's runtime serves.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/engine/policy/runtime';
import { aisle, oneCliffRun, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('aisle policies runtime', () => {
  it('writes the built runtime, which imported from there serves a policy as the engine does', async () => {
    const { dir, db, runId } = oneCliffRun();
    const policyFile = join(dir, 'policy.json');
    expect(aisle(['export', String(runId), '-o', policyFile], { db }).code).toBe(0);

    const out = join(dir, 'service', 'runtime.js');
    const r = aisle(['policies', 'runtime', '-o', out], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`wrote ${out}: Aisle ${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}'s policy runtime, one ES module with no dependencies: loadPolicy(text).act(state) (README, "Serving a policy")\n`);
    const text = readFileSync(out, 'utf8');
    expect(text).toBe(readFileSync(join(ROOT, 'out/runtime/runtime.js'), 'utf8'));
    expect(text).not.toMatch(/^\s*import /m); // it stands alone where it was written

    const saved = (await import(pathToFileURL(out).href)) as typeof import('../../src/engine/policy/runtime');
    const json = readFileSync(policyFile, 'utf8');
    const served = saved.loadPolicy(json);
    const engine = loadPolicy(json);
    expect(served.states).toEqual(engine.states);
    const answers = (p: typeof engine) => p.states.map((label, s) => [p.act(s), p.actLabel(label), p.values(s), p.trained(s)]);
    expect(answers(served)).toEqual(answers(engine));
    // Some states were reached and some not after 20 episodes: trained() tells them apart in both.
    expect(new Set(served.states.map((_, s) => served.trained(s)))).toEqual(new Set([true, false]));
    // A policy the engine refuses, the written runtime refuses in the same words.
    const bad = { ...(JSON.parse(json) as object), greedy: [] };
    expect(() => saved.loadPolicy(bad)).toThrow('policy.greedy: must have one action per state (48), got 0');
    expect(() => loadPolicy(bad)).toThrow('policy.greedy: must have one action per state (48), got 0');
  });

  it('needs -o (a usage error, exit 2) and no database: none is created', () => {
    const dir = tempDir();
    const db = join(dir, 'none.db');
    const r = aisle(['policies', 'runtime'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '-o, --output <file>' not specified");
    expect(aisle(['policies', 'runtime', '-o', join(dir, 'runtime.mjs')], { db }).code).toBe(0);
    expect(existsSync(db)).toBe(false);
  });

  it.skipIf(!existsSync('/dev/stdout'))('-o /dev/stdout: the runtime alone on standard output, the "wrote" line (and --json\'s object) on standard error', () => {
    const db = join(tempDir(), 'none.db');
    const runtime = readFileSync(join(ROOT, 'out/runtime/runtime.js'), 'utf8');
    const r = aisle(['policies', 'runtime', '-o', '/dev/stdout'], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(runtime);
    expect(r.stderr).toMatch(/^wrote \/dev\/stdout: Aisle .*'s policy runtime/);
    const j = aisle(['policies', 'runtime', '-o', '/dev/stdout', '--json'], { db });
    expect(j.stdout).toBe(runtime);
    expect((JSON.parse(j.stderr) as { path: string }).path).toBe('/dev/stdout');
  });

  it.skipIf(!existsSync('/dev/stdout') || !lstatSync('/dev/stdout').isSymbolicLink())('-o /dev/stdout with standard output a file deleted meanwhile: written into it, /dev/stdout itself left a link', () => {
    const dir = tempDir();
    const gone = join(dir, 'gone.txt');
    // The link /dev/stdout → /proc/self/fd/1 dangles then; as a file path, it was replaced (as root) by
    // a file holding the output, and every later `-o /dev/stdout` in the machine wrote that file.
    const r = spawnSync('sh', ['-c', 'exec 1>"$1"; rm "$1"; exec "$2" "$3" --db "$4" policies runtime -o /dev/stdout', 'sh', gone, process.execPath, join(ROOT, 'out/main/cli.js'), join(dir, 'none.db')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^wrote \/dev\/stdout: /);
    expect(lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
    expect(readdirSync('/dev').filter((n) => n.startsWith('stdout.'))).toEqual([]);
  });
});
