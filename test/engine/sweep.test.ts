// The sweep both `aisle run --set` and the app's New experiment use: the product of the values,
// the names, the cap, and a problem said once with the values it comes from, in each one's words.
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/engine/experiment';
import { appProblemText, blameText, MAX_SWEEP, product, sweepExperiments, sweptName, tooLarge, type SweepAxis } from '../../src/engine/sweep';

const base = {
  format: 'aisle.experiment/v1',
  name: 'toy',
  env: { id: 'seed-toy' },
  agent: { id: 'q-learning', alpha: 0.5, epsilon: 0.1 },
  episodes: 5,
  seeds: 1,
};

function axis(path: string, ...values: unknown[]): SweepAxis {
  return { path: path.split('.'), values, texts: values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) };
}

const parse = (content: Record<string, unknown>) => parseExperiment(content);

describe('sweep', () => {
  it('makes the product of the values, the first field changing slowest, each named by the values that vary', () => {
    expect(product([2, 3])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    const axes = [axis('agent.alpha', 0.1, 0.9), axis('episodes', 3), axis('agent.epsilon', 0.05, 0.2)];
    const r = sweepExperiments(base, axes, parse);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.experiments.map((e) => e.experiment.name)).toEqual(['toy (alpha=0.1, epsilon=0.05)', 'toy (alpha=0.1, epsilon=0.2)', 'toy (alpha=0.9, epsilon=0.05)', 'toy (alpha=0.9, epsilon=0.2)']);
    expect(r.experiments.map((e) => [e.experiment.agent.alpha, e.experiment.episodes])).toEqual([
      [0.1, 3],
      [0.1, 3],
      [0.9, 3],
      [0.9, 3],
    ]);
    // A schedule's field is named with its parameter (`end` alone would not say which); two fields named alike, by their whole paths.
    expect(sweptName('toy', [axis('agent.epsilon.end', 0.1, 0.2), axis('env.end', 1, 2)], [1, 0])).toBe('toy (epsilon.end=0.2, end=1)');
    expect(sweptName('toy', [axis('agent.id', 'sarsa', 'q-learning'), axis('env.id', 'seed-toy', 'bandit')], [0, 1])).toBe('toy (agent.id=sarsa, env.id=bandit)');
  });

  it('cuts a long name to keep the swept name within the limit, the values whole (a valid name, swept, was refused)', () => {
    const alpha = axis('agent.alpha', 0.3, 0.4);
    const long = sweptName('y'.repeat(200), [alpha], [0]);
    expect(long).toBe(`${'y'.repeat(200 - ' (alpha=0.3)'.length)} (alpha=0.3)`);
    expect(parseExperiment({ ...base, name: long }).name).toBe(long);
    // Counted in characters as the limit counts them: an emoji is one, and is not cut in half.
    const rockets = sweptName('🚀'.repeat(195), [alpha], [1]);
    expect(rockets).toBe(`${'🚀'.repeat(188)} (alpha=0.4)`);
    expect(parseExperiment({ ...base, name: rockets }).name).toBe(rockets);
    // Within the limit, untouched; in a name's own list, fitted alike.
    expect(sweptName('cliff', [alpha], [0])).toBe('cliff (alpha=0.3)');
    expect(sweptName(`${'z'.repeat(190)} (alpha=0.1)`, [alpha], [1])).toBe(`${'z'.repeat(188)} (alpha=0.4)`);
    // A repeat's number ("(2)", againName) is kept, the name cut before it: cut off, the repeat shared no number with the ones before it.
    expect(sweptName(`${'y'.repeat(196)} (2)`, [alpha], [0])).toBe(`${'y'.repeat(184)} (2) (alpha=0.3)`);
    expect(sweptName(`${'y'.repeat(183)} (12) (alpha=0.1)`, [axis('agent.alpha', 0.25, 0.5)], [0])).toBe(`${'y'.repeat(182)} (12) (alpha=0.25)`);
    // Unless values some 150 characters long would leave it fewer than 40 characters: cut at its end as any name.
    const wide = axis('agent.id', 'a'.repeat(152), 'b');
    expect(sweptName(`${'y'.repeat(196)} (2)`, [wide], [0])).toBe(`${'y'.repeat(200 - ` (id=${'a'.repeat(152)})`.length)} (id=${'a'.repeat(152)})`);
  });

  it('sets its values in the list a name ends in rather than adding a second list, keeping the values no axis sets', () => {
    const [alpha, epsilon] = [axis('agent.alpha', 0.2, 0.3), axis('agent.epsilon', 0.1, 0.2)];
    // A sweep of one field of two the name gives: that one set, the other kept, in their places.
    expect(sweptName('cliff (2) (alpha=0.1, epsilon=0.05)', [epsilon], [1])).toBe('cliff (2) (alpha=0.1, epsilon=0.2)');
    expect(sweptName('cliff (2) (alpha=0.1, epsilon=0.05)', [alpha], [0])).toBe('cliff (2) (alpha=0.2, epsilon=0.05)');
    // A field the name does not give follows the kept ones; one of a single value, otherwise unnamed, still sets the value the name gives.
    expect(sweptName('cliff (2) (alpha=0.1)', [epsilon], [0])).toBe('cliff (2) (alpha=0.1, epsilon=0.1)');
    expect(sweptName('cliff (2) (alpha=0.1, epsilon=0.05)', [axis('agent.epsilon', 0.5), alpha], [0, 1])).toBe('cliff (2) (alpha=0.3, epsilon=0.5)');
    expect(sweptName('cliff (2) (alpha=0.1)', [axis('agent.epsilon', 0.5)], [0])).toBe('cliff (2) (alpha=0.1)');
    // Named by the whole path too (two fields of one name), and a value with a comma of its own stays whole.
    expect(sweptName('shop (env.id=shop, slate=[1,2])', [axis('env.id', 'seed-toy', 'shop')], [0])).toBe('shop (env.id=seed-toy, slate=[1,2])');
    // Text that is no list of values is part of the name, as before.
    expect(sweptName('ε (0.1)', [alpha], [1])).toBe('ε (0.1) (alpha=0.3)');
  });

  it('refuses more than MAX_SWEEP experiments, saying how many the values make', () => {
    expect(tooLarge([axis('a', ...Array.from({ length: 8 }, (_, i) => i)), axis('b', ...Array.from({ length: 8 }, (_, i) => i))])).toBeUndefined();
    expect(MAX_SWEEP).toBe(64);
    expect(tooLarge([axis('a', 1, 2, 3, 4, 5), axis('b', 1, 2, 3, 4), axis('c', 1, 2, 3, 4)])).toBe('5 × 4 × 4 values give 80 experiments, more than 64 in one sweep: sweep fewer values at a time');
    // Counts grouped as everywhere else: "1,000 experiments", not "1000".
    const ten = () => axis('a', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    expect(tooLarge([ten(), ten(), ten()])).toBe('10 × 10 × 10 values give 1,000 experiments, more than 64 in one sweep: sweep fewer values at a time');
  });

  it('says a problem once, with the value that makes it, as the CLI and as the app word it', () => {
    const axes = [axis('agent.alpha', 0.1, 1.5), axis('agent.epsilon', 0.05, 0.2)];
    const r = sweepExperiments(base, axes, parse);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([{ problem: 'agent.alpha: must be a number in (0, 1], got 1.5', everywhere: false, lines: [[[0, 1]]] }]);
    const { problem, lines } = r.problems[0]!;
    expect(blameText(lines[0]!, axes, 'cli')).toBe('--set agent.alpha=1.5');
    expect(appProblemText(problem, lines[0]!, axes)).toBe('alpha = 1.5: must be a number in (0, 1], got 1.5');
  });

  it('in the app’s words, names every value of a problem that two fields make together, and keeps a path that is not the field’s', () => {
    // An unknown parameter for one agent of two: named with the agent and the parameter.
    const axes = [axis('agent.id', 'sarsa', 'ppo'), axis('agent.alpha', 0.2)];
    const r = sweepExperiments(base, axes, parse);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const { problem, lines } = r.problems[0]!;
    expect(appProblemText(problem, lines[0]!, axes)).toMatch(/^id = ppo, alpha = 0\.2: agent ppo has no parameter "alpha": its parameters are learningRate, /);
    // An agent with no parameters at all (random) says so, where its list of them was empty:
    // "its parameters are " and nothing (test/main/again-fuzz, again seeds 95 and 143: --sample agent.gamma over a stored random agent).
    const noParameters = [axis('agent.id', 'random'), axis('agent.alpha', 0.2)];
    const random = sweepExperiments(base, noParameters, parse);
    expect(random.ok).toBe(false);
    if (random.ok) return;
    expect(random.problems.map((p) => p.problem)).toEqual(['agent.alpha: agent random has no parameters: leave agent.alpha out']);
    // A problem of every value of every field names them all.
    const everywhere = [axis('agent.alpha', 2, 3)];
    const all = sweepExperiments(base, everywhere, parse);
    expect(all.ok).toBe(false);
    if (all.ok) return;
    expect(all.problems.map((p) => p.lines.map((l) => appProblemText(p.problem, l, everywhere)))).toEqual([['alpha = 2: must be a number in (0, 1], got 2'], ['alpha = 3: must be a number in (0, 1], got 3']]);
    // A parameter the environment does not have is no value's problem: the form names the parameter and counts its values, the CLI gives back what was typed.
    const seeds = Array.from({ length: 64 }, (_, i) => i);
    const catalogSeed = [axis('env.catalogSeed', ...seeds)];
    const missing = sweepExperiments(base, catalogSeed, parse);
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    expect(missing.problems.map((p) => p.lines.map((l) => appProblemText(p.problem, l, catalogSeed)))).toEqual([[expect.stringMatching(/^catalogSeed \(all 64 values\): environment seed-toy has no parameter "catalogSeed": its parameters are /)]]);
    expect(blameText(missing.problems[0]!.lines[0]!, catalogSeed, 'cli')).toBe(`--set env.catalogSeed=${seeds.join(',')}`);
    const two = [axis('env.catalogSeed', 1, 2)];
    expect(sweepExperiments(base, two, parse)).toMatchObject({ ok: false, problems: [{ lines: [[[0, 'all']]] }] });
    expect(blameText([[0, 'all']], two, 'app')).toBe('catalogSeed (both values)');
    const episodes = [axis('episodes', 0)];
    const none = sweepExperiments(base, episodes, parse);
    expect(none.ok || none.problems.map((p) => ({ everywhere: p.everywhere, text: appProblemText(p.problem, p.lines[0]!, episodes) }))).toEqual([{ everywhere: true, text: expect.stringMatching(/^episodes = 0: /) }]);
  });
});
