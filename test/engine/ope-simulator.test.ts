// A simulator fitted to logs (src/engine/ope/simulator.ts): its reward model is the direct method's,
// its MDP is valid aisle.mdp/v1 whose exact optimum is the best policy under that model, rewards of
// 0/1 stay Bernoulli and others are paid as their mean, logs without a context get one state, the
// holdout split is the one `aisle ope --holdout` evaluates on, and what cannot fit is refused.
import { describe, expect, it } from 'vitest';
import { TabularMdpEnv } from '../../src/engine/envs/tabular-mdp';
import { parseMdp } from '../../src/engine/mdp/format';
import { valueIteration } from '../../src/engine/mdp/solve';
import { evaluationRows, heldOutPart, holdoutOf, holdoutRows, holdoutText, lastRowCount, lastRows, type LoggedBandit } from '../../src/engine/ope/data';
import { parseLogLines, parseLogLinesToFit } from '../../src/engine/ope/csv';
import { evaluateOffPolicy } from '../../src/engine/ope/estimators';
import { policyTarget } from '../../src/engine/ope/run';
import { fitSimulator, logsToMdp, NO_CONTEXT_STATE, rewardModel, SIMULATOR_AGENT, SIMULATOR_SEEDS, simulatorEpisodes, simulatorExperiment } from '../../src/engine/ope/simulator';
import { deterministicTarget } from '../../src/engine/ope/targets';
import { ValidationError } from '../../src/engine/params';
import { parsePolicy } from '../../src/engine/policy/format';
import { Rng } from '../../src/engine/rng';
import { networkLayout } from '../../src/engine/agent';
import { prepareRun, train, type RunSpec } from '../../src/engine/train';

/** Hand-made logs: one row per [context, action, reward] (propensity 1/2). */
function logs(rowsGiven: readonly (readonly [number, number, number])[], contexts = ['a', 'b'], actions = ['x', 'y']): LoggedBandit {
  return {
    actionLabels: actions,
    contextLabels: contexts,
    context: Int32Array.from(rowsGiven, (r) => r[0]),
    action: Int32Array.from(rowsGiven, (r) => r[1]),
    reward: Float64Array.from(rowsGiven, (r) => r[2]),
    propensity: new Float64Array(rowsGiven.length).fill(0.5),
  };
}

/** Uniformly logged clicks over `C` contexts × `A` actions with click probability theta[x][a]. */
function simulated(n: number, theta: readonly (readonly number[])[], seed: number): LoggedBandit {
  const rng = new Rng(seed);
  const C = theta.length;
  const A = theta[0]!.length;
  const rows: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const x = rng.int(C);
    const a = rng.int(A);
    rows.push([x, a, rng.next() < theta[x]![a]! ? 1 : 0]);
  }
  const data = logs(
    rows,
    theta.map((_, x) => `c${x}`),
    theta[0]!.map((_, a) => `i${a}`),
  );
  return { ...data, propensity: new Float64Array(n).fill(1 / A) };
}

describe('logsToMdp', () => {
  // Context a: x clicks 2 of 4, y 1 of 2; context b: x 0 of 1, y 3 of 3.
  const data = logs([
    [0, 0, 1],
    [0, 0, 0],
    [0, 0, 1],
    [0, 0, 0],
    [0, 1, 1],
    [0, 1, 0],
    [1, 0, 0],
    [1, 1, 1],
    [1, 1, 1],
    [1, 1, 1],
  ]);

  it('names itself by its sizes, the rows counted as the app writes counts', () => {
    expect(logsToMdp(data).mdp.name).toBe('logged bandit: 2 contexts × 2 actions, from 10 rows');
    expect(logsToMdp(simulated(12_000, [[0.1, 0.2]], 3)).mdp.name).toBe('logged bandit: 1 context × 2 actions, from 12,000 rows');
  });

  it('with raw means (prior 0): a state per context entered with its share, each action clicking with its cell mean', () => {
    const fitted = logsToMdp(data, { priorStrength: 0 });
    expect(fitted.bernoulli).toBe(true);
    expect(Array.from(fitted.q)).toEqual([2 / 4, 1 / 2, 0, 1]);
    const { mdp } = fitted;
    expect(mdp.states).toEqual(['a', 'b', '(end: 1)', '(end: 0)']);
    expect(mdp.actions).toEqual(['x', 'y']);
    expect(mdp.start).toEqual({ 0: 0.6, 1: 0.4 });
    expect(mdp.terminal).toEqual([2, 3]);
    // A cell of mean 0 or 1 is one certain transition; the others split between the two ends.
    expect(mdp.transitions).toEqual([
      [0, 0, 0.5, 2, 1],
      [0, 0, 0.5, 3, 0],
      [0, 1, 0.5, 2, 1],
      [0, 1, 0.5, 3, 0],
      [1, 0, 1, 3, 0],
      [1, 1, 1, 2, 1],
    ]);
    // The exact optimum is the best policy under the model: 0.6 · ½ + 0.4 · 1.
    const parsed = parseMdp(mdp);
    const solution = valueIteration(parsed, { gamma: 1, horizon: 1 });
    expect(solution.optimalReturn).toBeCloseTo(0.7, 12);
    expect(fitted.best).toBeCloseTo(0.7, 12);
    expect(Array.from(solution.policy.slice(0, 2))).toEqual([0, 1]); // a: x (ties to the lower index), b: y
    expect(fitted.logged).toBeCloseTo(6 / 10, 12);
  });

  it('shrinks a cell toward its action’s mean over the other contexts, itself toward the overall mean, by the prior’s pseudo-rows', () => {
    const m = 2;
    const overall = 6 / 10;
    // The action's mean each cell is shrunk toward leaves the cell's own rows out (no row counts twice).
    const xOutsideA = (0 + m * overall) / (1 + m); // x's rows in b: 0 of 1
    const yOutsideA = (3 + m * overall) / (3 + m); // y's rows in b: 3 of 3
    const xOutsideB = (2 + m * overall) / (4 + m); // x's rows in a: 2 of 4
    const yOutsideB = (1 + m * overall) / (2 + m); // y's rows in a: 1 of 2
    const q = rewardModel(data, m);
    expect(q[0]).toBeCloseTo((2 + m * xOutsideA) / (4 + m), 14);
    expect(q[1]).toBeCloseTo((1 + m * yOutsideA) / (2 + m), 14);
    expect(q[2]).toBeCloseTo((0 + m * xOutsideB) / (1 + m), 14);
    expect(q[3]).toBeCloseTo((3 + m * yOutsideB) / (3 + m), 14);
    // One context: each cell is its action's only cell, shrunk toward r̄ once (not toward its own mean as well).
    const single = logs([[0, 0, 1], [0, 0, 1], [0, 1, 0]], ['a'], ['x', 'y']);
    const qSingle = rewardModel(single, 1);
    expect(qSingle[0]).toBeCloseTo((2 + 1 * (2 / 3)) / (2 + 1), 14);
    expect(qSingle[1]).toBeCloseTo((0 + 1 * (2 / 3)) / (1 + 1), 14);
    // A cell no row shows gets its action's mean.
    const unseen = logs([[0, 0, 1]], ['a', 'b'], ['x', 'y']);
    const qUnseen = rewardModel(unseen, 1);
    expect(qUnseen[1 * 2 + 0]).toBeCloseTo((1 + 1) / (1 + 1), 14); // context b, action x: x's mean (1 row, mean 1; overall 1)
    expect(() => rewardModel(data, -1)).toThrow(RangeError);
  });

  it('is the direct method’s reward model: DM of a deterministic policy is Σ_x P(x) q̂(x, π(x))', () => {
    const sim = simulated(3000, [[0.1, 0.3, 0.2], [0.4, 0.05, 0.25]], 5);
    const q = rewardModel(sim, 1);
    const choice = new Map([['c0', 'i1'], ['c1', 'i0']]);
    const report = evaluateOffPolicy(sim, deterministicTarget(sim, choice, 'fixed'), { resamples: 10, folds: 1 });
    let expected = 0;
    const n = sim.action.length;
    for (let x = 0; x < 2; x++) {
      const nx = sim.context.filter((c) => c === x).length;
      expected += (nx / n) * q[x * 3 + (x === 0 ? 1 : 0)]!;
    }
    expect(report.estimates.dm.point).toBeCloseTo(expected, 12);
  });

  it('simulates clicks at the model’s rates: an episode pays 1 with probability q̂(x, a)', () => {
    const fitted = logsToMdp(data, { priorStrength: 0 });
    const env = new TabularMdpEnv(parseMdp(fitted.mdp), 1);
    let clicks = 0;
    let inA = 0;
    const episodes = 20_000;
    for (let e = 0; e < episodes; e++) {
      const x = env.reset(e === 0 ? 3 : undefined);
      const step = env.step(0); // action x: ½ in context a, 0 in b
      expect(step.terminated).toBe(true);
      if (x === 0) {
        inA++;
        clicks += step.reward;
      } else expect(step.reward).toBe(0);
    }
    expect(inA / episodes).toBeGreaterThan(0.58); // P(a) = 0.6, ± 4 standard errors
    expect(inA / episodes).toBeLessThan(0.62);
    expect(clicks / inA).toBeGreaterThan(0.47);
    expect(clicks / inA).toBeLessThan(0.53);
  });

  it('pays other rewards as their mean, into one end state', () => {
    const revenue = logs([
      [0, 0, 10],
      [0, 0, 30],
      [1, 1, 5],
    ]);
    const fitted = logsToMdp(revenue, { priorStrength: 0 });
    expect(fitted.bernoulli).toBe(false);
    expect(fitted.mdp.states).toEqual(['a', 'b', '(end)']);
    expect(fitted.mdp.terminal).toEqual([2]);
    expect(fitted.mdp.transitions[0]).toEqual([0, 0, 1, 2, 20]);
    // No row shows x in context b: with raw means its cell is x's mean over the contexts, 20 (the
    // simulator extrapolates, and so the best policy shows x everywhere).
    expect(fitted.mdp.transitions[2]).toEqual([1, 0, 1, 2, 20]);
    expect(valueIteration(parseMdp(fitted.mdp), { gamma: 1, horizon: 1 }).optimalReturn).toBeCloseTo(20, 12);
  });

  it('gives logs without a context one state, which a policy learned on it serves back on those logs', () => {
    const flat = logs(
      [
        [0, 0, 0],
        [0, 1, 1],
        [0, 1, 1],
      ],
      [''],
    );
    const fitted = logsToMdp(flat, { priorStrength: 0 });
    expect(fitted.mdp.states).toEqual([NO_CONTEXT_STATE, '(end: 1)', '(end: 0)']);
    const policy = parsePolicy({
      format: 'aisle.policy/v1',
      kind: 'tabular',
      env: { id: 'tabular-mdp', params: {}, mdpHash: 'a'.repeat(64), hash: 'c'.repeat(64) },
      states: fitted.mdp.states,
      actions: fitted.mdp.actions,
      q: [
        [0, 1],
        [0, 0],
        [0, 0],
      ],
      greedy: [1, 0, 0],
      provenance: { runId: 1, agent: 'q-learning', seed: 0, episodes: 100, configHash: 'b'.repeat(64), appVersion: 'test', createdAt: '2026-11-29T00:00:00.000Z' },
    });
    const target = policyTarget(policy, 'learned.json', flat, false);
    expect(Array.from(target.probs)).toEqual([0, 1]); // the one context: action y
    // On logs read with their contexts, no column holds "(no context)": the fix is to read them without one.
    const withContexts = logs([[0, 0, 1], [1, 1, 0]]);
    expect(() => policyTarget(policy, 'learned.json', withContexts, false)).toThrow(
      'learned.json: was learned on a simulator of logs read without a context (its one state is (no context)), and these logs have the contexts "a", "b": read them without a context too (--context-column none; on the Off-policy screen, context: none)',
    );
  });

  it('serves a DQN or PPO trained on the fitted simulator back on the logs: per context, the network\'s greedy action', () => {
    // Context c0 clicks best on i2, c1 on i0, c2 on i1: a policy that learned must differ by context.
    const data = simulated(3000, [[0.1, 0.2, 0.6], [0.7, 0.1, 0.2], [0.1, 0.8, 0.1]], 4);
    const fitted = logsToMdp(data, { priorStrength: 0 });
    for (const agent of [{ id: 'dqn', gamma: 0, learningStarts: 64, batchSize: 32, hidden: [16] }, { id: 'ppo', gamma: 0, hidden: [16], learningRate: 0.003 }]) {
      const spec: RunSpec = { env: { id: 'tabular-mdp', mdp: fitted.mdp, maxSteps: 1 }, agent, episodes: 1500, seed: 1 };
      const prepared = prepareRun(spec);
      const weights = train(spec, {}, prepared).weights!;
      const layout = networkLayout(weights);
      const policy = parsePolicy({
        format: 'aisle.policy/v1',
        kind: 'mlp',
        env: { id: 'tabular-mdp', params: {}, mdpHash: 'a'.repeat(64), hash: 'c'.repeat(64) },
        states: fitted.mdp.states,
        actions: fitted.mdp.actions,
        network: { layers: layout.layers.map((l) => ({ ...l })), weights: Array.from(weights.params), encoding: { ...layout.encoding }, output: layout.output },
        provenance: { runId: 1, agent: agent.id, seed: 1, episodes: 1500, configHash: 'b'.repeat(64), appVersion: 'test', createdAt: '2026-12-01T00:00:00.000Z' },
      });
      const target = policyTarget(policy, 'learned.json', data, false);
      const A = data.actionLabels.length;
      const served = data.contextLabels.map((_, x) => Array.from(target.probs.subarray(x * A, (x + 1) * A)).indexOf(1));
      const greedy = data.contextLabels.map((c) => prepared.agent.greedyAction(fitted.mdp.states.indexOf(c)));
      expect(served, agent.id).toEqual(greedy);
      expect(greedy, `${agent.id} learned the best item of each context`).toEqual([2, 0, 1]);
    }
  });

  it('serves a network on one-hot states labelled with numbers (positions "1", "2", "3") per label, never reading one as an index', () => {
    // One linear layer: output x is the one-hot input "1", output y inputs "2" and "3".
    const policy = parsePolicy({
      format: 'aisle.policy/v1',
      kind: 'mlp',
      env: { id: 'tabular-mdp', params: {}, mdpHash: 'a'.repeat(64), hash: 'c'.repeat(64) },
      states: ['1', '2', '3'],
      actions: ['x', 'y'],
      network: { layers: [{ in: 3, out: 2, activation: 'linear' }], weights: [1, 0, 0, 0, 1, 1, 0, 0], encoding: { kind: 'one-hot', n: 3 }, output: 'q' },
      provenance: { runId: 1, agent: 'dqn', seed: 1, episodes: 1, configHash: 'b'.repeat(64), appVersion: 'test', createdAt: '2026-12-01T00:00:00.000Z' },
    });
    const data = logs([[0, 0, 1], [1, 1, 0], [2, 0, 1]], ['3', '1', '2']);
    const target = policyTarget(policy, 'positions.json', data, false);
    expect(Array.from(target.probs)).toEqual([0, 1, 1, 0, 0, 1]); // "3" → y, "1" → x, "2" → y
  });

  it('keeps its end states apart from a context of the same name', () => {
    const clash = logs([[0, 0, 1]], ['(end: 1)', 'b']);
    expect(logsToMdp(clash).mdp.states).toEqual(['(end: 1)', 'b', '(end: 1 2)', '(end: 0)']);
    expect(() => parseMdp(logsToMdp(clash).mdp)).not.toThrow();
  });

  it('refuses logs beyond the format’s limits, naming the fix', () => {
    const manyActions = { ...logs([[0, 0, 1]]), actionLabels: Array.from({ length: 10_001 }, (_, i) => `i${i}`) };
    expect(() => logsToMdp(manyActions)).toThrow(ValidationError);
    expect(() => logsToMdp(manyActions)).toThrow(/10,001 distinct actions, more than an aisle\.mdp\/v1 file's 10,000: filter the rows to fewer actions$/);
    const huge = logs([[0, 0, 2e9]]);
    expect(() => logsToMdp(huge)).toThrow(/reward of 2,000,000,000 is beyond ±1,000,000,000.*rescale/);
    expect(() => logsToMdp(logs([]))).toThrow(/no rows/);
  });

  it('refuses a logs file’s reward beyond the format’s as it reads it, naming its line and column; off-policy reading takes it', async () => {
    const lines = ['item,click,position', 'a,0,1', 'b,2e9,1', 'a,-1e9,2'];
    await expect(parseLogLinesToFit(lines, 'big.csv')).rejects.toThrow(
      'big.csv:3: column "click": must be within ±1,000,000,000 to fit a simulator, the most an aisle.mdp/v1 reward holds: rescale the reward column, got "2e9"',
    );
    const withPropensity = ['item,click,position,pscore', 'a,0,1,0.5', 'b,2e9,1,0.5'];
    expect((await parseLogLines(withPropensity, 'big.csv')).reward[1]).toBe(2e9);
  });
});

describe('holdoutRows', () => {
  // Rows in blocks of three, as a slate's three positions are often logged: context = i mod 3.
  const n = 3000;
  const data = logs(
    Array.from({ length: n }, (_, i) => [i % 3, 0, i] as const),
    ['p1', 'p2', 'p3'],
  );

  it('splits the rows in two, in order, about 1 in k held out, the same way every time, over the same labels', () => {
    const fit = holdoutRows(data, 3, 'fit');
    const held = holdoutRows(data, 3, 'holdout');
    const all = [...fit.reward, ...held.reward].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: n }, (_, i) => i)); // a partition
    expect([...held.reward]).toEqual([...held.reward].sort((a, b) => a - b)); // in the logs' order
    expect(held.action.length).toBeGreaterThan(n / 3 - 4 * Math.sqrt((n * 2) / 9)); // Binomial(n, 1/3) within 4 SD
    expect(held.action.length).toBeLessThan(n / 3 + 4 * Math.sqrt((n * 2) / 9));
    expect([...holdoutRows(data, 3, 'holdout').reward]).toEqual([...held.reward]);
    expect(fit.contextLabels).toBe(data.contextLabels);
    expect(holdoutRows(data, 1, 'fit')).toBe(data);
    expect(holdoutRows(data, 1, 'holdout').action.length).toBe(0);
    expect(() => holdoutRows(data, 0, 'fit')).toThrow(RangeError);
  });

  it('refuses, naming the holdout, a fit whose holdout sets aside every row kept', () => {
    const one = logs([[0, 1, 1]]);
    // the first k whose draw holds the only row out (about half of them do)
    let k = 2;
    while (holdoutRows(one, k, 'holdout').action.length === 0) k++;
    const read = { ...one, rowsRead: 1, rowsKept: 1, columns: { action: 'item', reward: 'click', propensity: 'p', context: null }, mixed: [] };
    expect(() => fitSimulator(read, { holdout: k })).toThrow(new RegExp(`holdout ${k}: holding out 1 row in ${k} of the 1 row kept leaves none to fit the simulator on: give a larger holdout`));
    expect(fitSimulator(read).rowsFitted).toBe(1);
    // and one that holds out none of them (nothing to check a learned policy on)
    let none = 2;
    while (holdoutRows(one, none, 'holdout').action.length === 1) none++;
    expect(() => fitSimulator(read, { holdout: none })).toThrow(new RegExp(`holdout ${none}: holding out 1 row in ${none} of the 1 row kept holds out none of them: give a smaller holdout`));
    const two = { ...logs([[0, 1, 1], [1, 0, 0]]), rowsRead: 2, rowsKept: 2, columns: read.columns, mixed: [] };
    const fit = fitSimulator(two, { holdoutLast: 50 });
    expect(fit).toMatchObject({ rowsFitted: 1, holdoutLast: 50 });
    expect(fit.holdout).toBeUndefined();
    expect(() => fitSimulator(read, { holdoutLast: 50, holdoutLabel: '--holdout-last 50' })).toThrow(/^--holdout-last 50: holding out the last 50 % of the 1 row kept leaves none to fit the simulator on: hold out a smaller share/);
  });

  it('holds out the last p % of the rows in their order (rounded up), and fits on the rows before them', () => {
    const held = lastRows(data, 20, 'holdout');
    const fit = lastRows(data, 20, 'fit');
    expect([...held.reward]).toEqual(Array.from({ length: 600 }, (_, i) => 2400 + i));
    expect([...fit.reward]).toEqual(Array.from({ length: 2400 }, (_, i) => i));
    expect(fit.contextLabels).toBe(data.contextLabels);
    expect(lastRowCount(10, 20)).toBe(2); // exactly 2, not 3 for a rounding error
    expect(lastRowCount(10, 21)).toBe(3);
    expect(lastRowCount(3, 0.1)).toBe(1); // any share holds out a row
    expect(lastRowCount(0, 50)).toBe(0);
    expect(() => lastRows(data, 0, 'fit')).toThrow(/above 0 % and below 100 %/);
    expect(() => lastRows(data, 100, 'fit')).toThrow(/above 0 % and below 100 %/);
  });

  it('heldOutPart takes either holdout, none (every row fitted, none held out), never both; holdoutText names it', () => {
    expect([...heldOutPart(data, { holdoutLast: 10 }, 'holdout').reward]).toEqual([...lastRows(data, 10, 'holdout').reward]);
    expect([...heldOutPart(data, { holdout: 4 }, 'fit').reward]).toEqual([...holdoutRows(data, 4, 'fit').reward]);
    expect(heldOutPart(data, {}, 'fit')).toBe(data);
    expect(heldOutPart(data, {}, 'holdout').action.length).toBe(0);
    expect(() => heldOutPart(data, { holdout: 3, holdoutLast: 10 }, 'fit')).toThrow(/not both/);
    expect(holdoutText({ holdoutLast: 12.5 })).toBe('the last 12.5 %');
    expect(holdoutText({ holdout: 3 })).toBe('1 row in 3');
    expect(holdoutText({})).toBeUndefined();
    expect(holdoutOf({ holdout: undefined, holdoutLast: 5 })).toEqual({ holdoutLast: 5 });
  });

  it('evaluationRows evaluates on the rows held out (all of them without a holdout) and refuses a holdout of none, naming it and the fix', () => {
    expect(evaluationRows(data, {}, 'holdout', 'fix')).toBe(data);
    expect([...evaluationRows(data, { holdout: 3 }, '--holdout 3', 'fix').reward]).toEqual([...holdoutRows(data, 3, 'holdout').reward]);
    expect(evaluationRows(data, { holdoutLast: 1 }, '--holdout-last 1', 'fix').action.length).toBe(30);
    const one = logs([[0, 1, 1]]);
    let none = 2;
    while (holdoutRows(one, none, 'holdout').action.length === 1) none++;
    expect(() => evaluationRows(one, { holdout: none }, `--holdout ${none}`, 'give a smaller --holdout')).toThrow(
      new RegExp(`^--holdout ${none}: holding out 1 row in ${none} of the 1 row kept holds out none of them: give a smaller --holdout$`),
    );
    // And one of every row (the last 95 % of 10 rows is ⌈9.5⌉ = 10): nothing left to have fitted on, as fitSimulator refuses.
    const ten = logs(Array.from({ length: 10 }, (_, i) => [0, i % 2, 1] as [number, number, number]));
    expect(() => evaluationRows(ten, { holdoutLast: 95 }, '--holdout-last 95', 'fix')).toThrow(
      /^--holdout-last 95: holding out the last 95 % of the 10 rows kept holds out every one of them, leaving none to fit on, as `aisle logs mdp` would refuse: hold out a smaller share, or none to evaluate on every row$/,
    );
    expect(evaluationRows(ten, { holdoutLast: 90 }, '--holdout-last 90', 'fix').action.length).toBe(9);
  });

  it('holds out rows of every kind even when the logs come in blocks of k (every k-th row would take one position)', () => {
    const held = holdoutRows(data, 3, 'holdout');
    const perContext = [0, 1, 2].map((x) => held.context.filter((c) => c === x).length);
    for (const count of perContext) {
      expect(count).toBeGreaterThan(250); // ≈ 333 each
      expect(count).toBeLessThan(420);
    }
  });
});

describe('simulatorExperiment', () => {
  const envHash = 'ab'.repeat(32);
  const fit = { contexts: 3, actions: 34, rowsFitted: 6609, holdout: 3, envHash, columns: { propensity: 'pscore' } };
  const check = (held: { holdout?: number }) => `check on 1 in ${held.holdout}`;

  it('is what both doors start from: the agent, episodes and seeds, and a description and fittedTo that record the logs, rows, holdout and prior', () => {
    const experiment = simulatorExperiment({ fileName: 'obd_events.csv', where: { policy: 'random', campaign: 'men' }, prior: 100 }, fit, check);
    expect(experiment).toEqual({
      name: 'learn from obd_events.csv',
      description:
        'Q-learning on a simulator fitted to obd_events.csv (the rows with policy=random, campaign=men; 6,609 rows fitted, 1 row in 3 held out; prior 100 pseudo-rows; 3 contexts × 34 actions): one decision per episode. check on 1 in 3',
      agent: { ...SIMULATOR_AGENT },
      episodes: simulatorEpisodes(3, 34),
      seeds: SIMULATOR_SEEDS,
      // The same rows as data, for the policies learned on it to carry (fitted-rows.ts), and the environment they were fitted for.
      fittedTo: { logs: 'obd_events.csv', where: { policy: 'random', campaign: 'men' }, holdout: 3, rows: 6609, envHash },
    });
    expect(SIMULATOR_SEEDS).toBe(5);
  });

  it('says every row was fitted, and leaves the check out, when nothing was filtered or held out', () => {
    const { description } = simulatorExperiment({ fileName: 'logs.csv', where: {}, prior: 1 }, { contexts: 1, actions: 2, rowsFitted: 1, envHash, columns: { propensity: null } }, check);
    expect(description).toBe('Q-learning on a simulator fitted to logs.csv (every row; 1 row fitted; prior 1 pseudo-row; 1 context × 2 actions): one decision per episode.');
  });

  it('says, for logs without propensities, that the rows held out cannot check a learned policy, in place of how to', () => {
    const { description } = simulatorExperiment({ fileName: 'purchases.csv', where: {}, prior: 1 }, { ...fit, columns: { propensity: null } }, check);
    expect(description).toContain('held out; prior 1 pseudo-row; 3 contexts × 34 actions): one decision per episode. These logs have no propensity column');
    expect(description).not.toContain('check on 1 in 3');
  });
});
