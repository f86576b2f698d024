// `aisle export` and `aisle eval` with a context-free policy, end to end on a temporary database: a
// bandit run exports as `kind: "context-free"` (on vector observations, where a tabular file cannot
// be written, and on an exact shop), the standalone runtime (out/runtime/runtime.js) serves it, and
// `aisle eval` rolls it out and, on the exact shop, evaluates its greedy action exactly.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Mdp } from '../../src/engine/mdp/format';
import { evaluatePolicy } from '../../src/engine/mdp/solve';
import { createEnv } from '../../src/main/policies';
import { aisle, ROOT, unwrapped } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

function shopExperiment(dir: string, name: string, env: Record<string, unknown>, agent: Record<string, unknown>): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name, env: { id: 'shop', items: 8, categories: 2, ...env }, agent, episodes: 40, seeds: 1 }));
  return file;
}

interface ContextFree {
  kind: string;
  actions: string[];
  values: number[];
  greedy: number;
  states?: unknown;
  provenance: { runId: number; agent: string };
}

describe('aisle export / eval with a context-free policy', () => {
  it('exports a bandit run on vector observations that the runtime serves and aisle eval rolls out', async () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const exp = shopExperiment(dir, 'vector thompson', { observation: 'vector' }, { id: 'thompson', model: 'bernoulli' });
    const run = aisle(['run', exp, '--json'], { db });
    expect(run.code, run.stderr).toBe(0);
    const runId = (JSON.parse(run.stdout) as { runs: { runId: number }[] }).runs[0]!.runId;

    const file = join(dir, 'policy.json');
    const ex = aisle(['export', String(runId), '-o', file, '--json'], { db });
    expect(ex.code, ex.stderr).toBe(0);
    const policy = JSON.parse(readFileSync(file, 'utf8')) as ContextFree;
    expect(policy.kind).toBe('context-free');
    expect(policy.states).toBeUndefined();
    expect(policy.actions).toHaveLength(8);
    expect(policy.values).toHaveLength(8);
    expect(policy.values[policy.greedy]).toBe(Math.max(...policy.values));
    expect(policy.greedy).toBe(policy.values.indexOf(Math.max(...policy.values))); // the lowest of tied
    expect(policy.provenance).toMatchObject({ runId, agent: 'thompson' });
    const summary = JSON.parse(ex.stdout) as { kind: string; actions: number; greedy: number; top: { action: number; label: string; value: number }[] };
    expect(summary).toMatchObject({ kind: 'context-free', actions: 8, greedy: policy.greedy });
    expect(summary.top).toHaveLength(3);
    expect(summary.top[0]).toEqual({ action: policy.greedy, label: policy.actions[policy.greedy], value: policy.values[policy.greedy] });
    expect(summary.top.map((t) => t.value)).toEqual([...summary.top.map((t) => t.value)].sort((a, b) => b - a));

    const text = aisle(['export', String(runId), '-o', join(dir, 'again.json')], { db });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^wrote .*again\\.json: a context-free policy over 8 actions from run ${runId}, the same ranking in every state: ${policy.actions[policy.greedy]} \\([0-9.]+\\), .+, …\\n$`));

    // The standalone runtime, as a user copies it: the greedy action for any feature vector.
    const runtime = (await import(pathToFileURL(join(ROOT, 'out/runtime/runtime.js')).href)) as typeof import('../../src/engine/policy/runtime');
    const served = runtime.loadPolicy(readFileSync(file, 'utf8'));
    expect(served.kind).toBe('context-free');
    expect(served.act([0.1, 0.5, 0.9])).toBe(policy.greedy);
    expect(served.actLabel(3)).toBe(policy.actions[policy.greedy]);
    expect(served.values('anyone')).toEqual(policy.values);
    expect(() => served.act([Number.NaN])).toThrow(RangeError);

    const ev = aisle(['eval', file, '--env', exp, '--episodes', '30', '--json'], { db });
    expect(ev.code, ev.stderr).toBe(0);
    const result = JSON.parse(ev.stdout) as { fingerprintMatches: boolean; monteCarlo: { episodes: number; meanReturn: number }; exact?: unknown };
    expect(result.fingerprintMatches).toBe(true);
    expect(result.monteCarlo.episodes).toBe(30);
    expect(result.exact).toBeUndefined();
    // Left out, --env is the environment the file describes: the same figures.
    const own = aisle(['--json', 'eval', file, '--episodes', '30'], { db });
    expect(JSON.parse(own.stdout).monteCarlo).toEqual(result.monteCarlo);

    const one = aisle(['eval', file, '--episodes', '1'], { db });
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/^aisle: --episodes must be a whole number from 2 to 100,000,000, got "1"/);

    const plain = aisle(['eval', file, '--episodes', '3'], { db });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain(`a context-free policy: it serves ${policy.actions[policy.greedy]} in every state`);
    expect(plain.stderr).toBe('');
    // --gamma discounts only an exact evaluation, which this shop (not in exact mode) has none of: said, not silently ignored.
    const discounted = aisle(['eval', file, '--episodes', '3', '--gamma', '0.5'], { db });
    expect(discounted.code, discounted.stderr).toBe(0);
    expect(unwrapped(discounted.stderr)).toBe('aisle: warning: gamma 0.5 discounts the exact evaluation, which shop has none of (it is not a finite MDP here): the Monte-Carlo return is undiscounted\n');

    // The discrete shop of the same catalog fits (the observation is ignored); another catalog size does not.
    const discrete = shopExperiment(dir, 'discrete', {}, { id: 'thompson' });
    const onDiscrete = aisle(['eval', file, '--env', discrete, '--episodes', '3'], { db });
    expect(onDiscrete.code, onDiscrete.stderr).toBe(0);
    expect(onDiscrete.stderr).toMatch(/^aisle: warning: the environment differs/);
    const wider = shopExperiment(dir, 'wider', { items: 10 }, { id: 'thompson' });
    const bad = aisle(['eval', file, '--env', wider, '--episodes', '3'], { db });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/policy: has 8 actions but the environment has 10: evaluate it on the environment it was trained on/);
  });

  it('exports a bandit run on an exact shop whose exact value is its greedy action played in every state', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const env = { exact: true, segments: 1 };
    const exp = shopExperiment(dir, 'exact ucb1', env, { id: 'ucb1' });
    expect(aisle(['run', exp], { db }).code).toBe(0);
    const file = join(dir, 'policy.json');
    expect(aisle(['export', '1', '-o', file], { db }).code).toBe(0);
    const policy = JSON.parse(readFileSync(file, 'utf8')) as ContextFree;
    expect(policy.kind).toBe('context-free');

    const ev = aisle(['eval', file, '--episodes', '50', '--json'], { db });
    expect(ev.code, ev.stderr).toBe(0);
    const result = JSON.parse(ev.stdout) as { exact: { gamma: number; horizon: number; expectedReturn: number; optimalReturn: number } };
    const mdp = (createEnv({ id: 'shop', items: 8, categories: 2, ...env }) as { mdp?: Mdp }).mdp!;
    const everywhere = new Int32Array(mdp.states).fill(policy.greedy);
    expect(result.exact.expectedReturn).toBeCloseTo(evaluatePolicy(mdp, everywhere, { gamma: result.exact.gamma, horizon: result.exact.horizon }), 9);
    expect(result.exact.expectedReturn).toBeLessThanOrEqual(result.exact.optimalReturn + 1e-9);
  });
});
