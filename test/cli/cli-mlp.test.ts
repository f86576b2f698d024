// `aisle export` and `aisle eval` with a network policy, end to end on a temporary database: a DQN
// run on the shop's feature vectors exports as `kind: "mlp"`, the standalone runtime
// (out/runtime/runtime.js) serves it, and `aisle eval` rolls it out on the shop.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { aisle, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

function shopExperiment(dir: string, env: Record<string, unknown> = {}): string {
  const file = join(dir, `shop-${Object.keys(env).length}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      format: 'aisle.experiment/v1',
      name: 'cli shop dqn',
      env: { id: 'shop', observation: 'vector', ...env },
      agent: { id: 'dqn', hidden: [16], learningStarts: 64, batchSize: 16 },
      episodes: 10,
      seeds: 1,
      checkpoints: 2,
    }),
  );
  return file;
}

describe('aisle export / eval with a network policy', () => {
  it('exports a DQN run as an mlp policy that the runtime serves and aisle eval rolls out', async () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const exp = shopExperiment(dir);
    const run = aisle(['run', exp, '--json'], { db });
    expect(run.code, run.stderr).toBe(0);
    const runId = (JSON.parse(run.stdout) as { runs: { runId: number; status: string }[] }).runs[0]!.runId;

    const show = aisle(['show', String(runId)], { db });
    expect(show.stdout).toMatch(/3 network weights checkpoints, after \d+, \d+, 10 episodes/); // counted as the app counts them

    const file = join(dir, 'policy.json');
    const ex = aisle(['export', String(runId), '-o', file, '--json'], { db });
    expect(ex.code, ex.stderr).toBe(0);
    const summary = JSON.parse(ex.stdout) as { kind: string; inputs: number; actions: number; output: string };
    const policy = JSON.parse(readFileSync(file, 'utf8')) as {
      kind: string; actions: string[]; states?: string[];
      network: { layers: { in: number; out: number; activation: string }[]; weights: number[]; encoding: { kind: string; size: number }; output: string };
      provenance: { runId: number; agent: string };
    };
    expect(policy.kind).toBe('mlp');
    expect(policy.states).toBeUndefined();
    expect(policy.network.encoding.kind).toBe('vector');
    expect(policy.network.output).toBe('q');
    expect(policy.network.layers.map((l) => l.activation)).toEqual(['relu', 'linear']);
    const [first, last] = [policy.network.layers[0]!, policy.network.layers[1]!];
    expect(policy.network.weights).toHaveLength(first.in * first.out + first.out + last.in * last.out + last.out);
    expect(policy.provenance).toMatchObject({ runId, agent: 'dqn' });
    expect(summary).toMatchObject({ kind: 'mlp', inputs: first.in, actions: policy.actions.length, output: 'q' });

    const text = aisle(['export', String(runId), '-o', join(dir, 'again.json')], { db });
    expect(text.stdout).toMatch(new RegExp(`an mlp policy \\(${first.in}→16→${last.out}, vector\\(${first.in}\\) input, q output\\) over ${last.out} actions from run ${runId}`));

    // The standalone runtime, as a user copies it: the file's own greedy action for a vector.
    const runtime = (await import(pathToFileURL(join(ROOT, 'out/runtime/runtime.js')).href)) as typeof import('../../src/engine/policy/runtime');
    const served = runtime.loadPolicy(readFileSync(file, 'utf8'));
    expect(served.kind).toBe('mlp');
    const x = Array.from({ length: first.in }, (_, i) => (i % 3) / 3);
    const outputs = served.values(x);
    expect(outputs).toHaveLength(last.out);
    expect(served.act(x)).toBe(outputs.indexOf(Math.max(...outputs)));

    const ev = aisle(['eval', file, '--env', exp, '--episodes', '5', '--json'], { db });
    expect(ev.code, ev.stderr).toBe(0);
    const result = JSON.parse(ev.stdout) as { fingerprintMatches: boolean; monteCarlo: { episodes: number; meanReturn: number }; exact?: unknown };
    expect(result.fingerprintMatches).toBe(true);
    expect(result.monteCarlo.episodes).toBe(5);
    expect(Number.isFinite(result.monteCarlo.meanReturn)).toBe(true);
    expect(result.exact).toBeUndefined();

    const plain = aisle(['eval', file, '--env', exp, '--episodes', '3'], { db });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/Monte-Carlo, 3 episodes/);
    expect(plain.stderr).not.toMatch(/names its features/);

    // Its first two features named in the other order: the network would read each as the other. Its
    // own settings (a shop's) name its features otherwise, so the file was edited: refused, naming the feature.
    const policyFile = JSON.parse(readFileSync(file, 'utf8')) as { network: { encoding: { features: string[] } } };
    const features = policyFile.network.encoding.features;
    const swapped = join(dir, 'swapped.json');
    writeFileSync(swapped, JSON.stringify({ ...policyFile, network: { ...policyFile.network, encoding: { ...policyFile.network.encoding, features: [features[1], features[0], ...features.slice(2)] } } }));
    const reordered = aisle(['eval', swapped, '--env', exp, '--episodes', '3', '--json'], { db });
    expect(reordered.code, reordered.stderr).toBe(2);
    expect((JSON.parse(reordered.stdout) as { error: { problems: string[] } }).error.problems).toEqual([
      `${swapped}: policy.network.encoding.features[0]: feature 0 is ${JSON.stringify(features[1])} in the policy but ${JSON.stringify(features[0])} in the environment its settings make, whose feature 1 is ${JSON.stringify(features[1])}: ` +
        "the policy file's features were edited after export: export the policy again from its run",
    ]);

    // The discrete shop has states, not features: refused with the reason, exit 2.
    const discrete = shopExperiment(dir, { observation: 'discrete' });
    const bad = aisle(['eval', file, '--env', discrete, '--episodes', '3'], { db });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/policy: takes \d+ features but the environment has \d+ discrete states/);
  });

  it('evaluates a policy file past the 256 MB other JSON files are read to, as large as a network of the format\'s 2²⁴ weights exports', () => {
    // Such a network writes some 400 MB (each float32 in full, a line each), which the runtime loads
    // and `aisle eval` refused: "file is 392 MB, above the 256 MB limit: give a smaller file". Here a
    // small policy stands in for it, its file padded past the limit with whitespace (still its JSON).
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const exp = shopExperiment(dir);
    expect(aisle(['run', exp], { db }).code).toBe(0);
    const file = join(dir, 'policy.json');
    expect(aisle(['export', '1', '-o', file], { db }).code).toBe(0);
    const blanks = ' '.repeat(16 * 1024 * 1024);
    for (let i = 0; i < 16; i++) appendFileSync(file, blanks);
    appendFileSync(file, '\n');
    const ev = aisle(['eval', file, '--episodes', '3'], { db });
    expect(ev.stderr).toBe('');
    expect(ev.code).toBe(0);
    expect(ev.stdout).toMatch(/^Monte-Carlo, 3 episodes, seed 0: /m);
  });
});
