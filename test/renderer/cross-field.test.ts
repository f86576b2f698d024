// New experiment's checks of parameters the service refuses together (a DQN's batchSize above its
// bufferSize, a generated shop's slateSize above its items): the service said them only once every
// other field was valid, and checked no Sweep row before; the form says them as typed, in the words
// of the engine's functions (engine/cross-field.ts), next to the field and under a row.
import { describe, expect, it } from 'vitest';
import { initialDraft, setAt } from '../../src/renderer/src/form/draft';
import { crossFieldProblems, parameterChecks } from '../../src/renderer/src/form/sweep-checks';
import { GRID, parameterRanges, type SweepSearch } from '../../src/renderer/src/form/random-search';
import { sweepOf, sweptPaths, type SweepRow } from '../../src/renderer/src/form/sweep-section';
import { CROSS_FIELD_RULES } from '../../src/engine/cross-field';
import { agents, environments } from '../../src/engine/registry';
import { catalog } from '../helpers/catalog';

const start = initialDraft(catalog);
const dqn = (params: Record<string, unknown>) => setAt(start, ['agent'], { id: 'dqn', ...params });
const shop = (params: Record<string, unknown>) => setAt(start, ['env'], { id: 'shop', ...params });
const rows = (draft: typeof start, list: SweepRow[], search: SweepSearch = GRID) =>
  sweepOf(list, search, parameterRanges(catalog, draft), parameterChecks(catalog, draft, sweptPaths(list, search))).problems;

describe('crossFieldProblems, with parameters a Sweep row sets', () => {
  // The service checks each combination, the draft's own value replaced in every one: the form held
  // back Launch of q-learning on the shop's vector observation with agent.id swept over dqn, ppo.
  it('leaves the rules over a swept parameter to the service, and says the others', () => {
    const vectorQ = shop({ observation: 'vector' });
    expect(crossFieldProblems(catalog, vectorQ)).toEqual([expect.stringMatching(/^agent\.id: q-learning needs a discrete observation space/)]);
    expect(crossFieldProblems(catalog, vectorQ, ['agent.id'])).toEqual([]);
    expect(crossFieldProblems(catalog, vectorQ, ['env.observation'])).toEqual([]);
    expect(crossFieldProblems(catalog, vectorQ, ['agent.alpha'])).toHaveLength(1);
    const big = dqn({ batchSize: 2048, bufferSize: 1000 });
    expect(crossFieldProblems(catalog, big, ['agent.bufferSize'])).toEqual([]);
    expect(crossFieldProblems(catalog, big, ['agent.learningRate'])).toEqual(['agent.batchSize: batchSize 2048 exceeds bufferSize 1000: raise bufferSize']);
  });
});

describe('crossFieldProblems, the draft', () => {
  it("says a DQN's batchSize above its bufferSize under batchSize, while another field has a problem of its own too", () => {
    expect(crossFieldProblems(catalog, dqn({ batchSize: 2048, bufferSize: 1000, learningRate: 7 }))).toEqual(['agent.batchSize: batchSize 2048 exceeds bufferSize 1000: raise bufferSize']);
    expect(crossFieldProblems(catalog, dqn({ batchSize: 1000, bufferSize: 1000 }))).toEqual([]);
  });

  it("says PPO's nSteps that batchSize does not divide, and a batchSize above nSteps", () => {
    const ppo = (p: Record<string, unknown>) => crossFieldProblems(catalog, setAt(start, ['agent'], { id: 'ppo', ...p }));
    expect(ppo({ nSteps: 100, batchSize: 64 })).toEqual(['agent.nSteps: 100 is not a multiple of batchSize 64, so minibatches would be uneven: set nSteps to 128 (or 64) or choose a batchSize that divides it']);
    expect(ppo({ nSteps: 32, batchSize: 64 })).toEqual(['agent.batchSize: 64 exceeds nSteps 32: lower batchSize to at most 32 or raise nSteps to 64']);
    // Defaults fill what the draft leaves out: nSteps 128.
    expect(ppo({ batchSize: 256 })).toEqual(['agent.batchSize: 256 exceeds nSteps 128: lower batchSize to at most 128 or raise nSteps to 256']);
  });

  it("says the shop's rules: slate and categories against its generated items, leave probability, price sensitivities, the exact mode", () => {
    expect(crossFieldProblems(catalog, shop({ items: 3, categories: 5, slateSize: 4 }))).toEqual([
      'env.categories: 5 exceeds items 3: every category needs an item; lower categories or raise items',
      'env.slateSize: 4 exceeds items (3): a slate shows distinct items; lower slateSize or add items',
    ]);
    expect(crossFieldProblems(catalog, shop({ leaveBase: 0.5, leaveSlope: 0.6, priceSensitivityMin: 2, priceSensitivityMax: 1 }))).toEqual([
      'env.priceSensitivityMax: 1 is below priceSensitivityMin 2: raise priceSensitivityMax or lower priceSensitivityMin',
      'env.leaveSlope: leaveBase + leaveSlope = 1.1 exceeds 1, so the leave probability of a disengaged user would exceed 1: lower leaveSlope or leaveBase',
    ]);
    expect(crossFieldProblems(catalog, shop({ exact: true, driftStd: 0.1, shiftAt: 50 }))).toEqual([
      'env.driftStd: the exact mode needs driftStd 0 (drifting affinities are not part of its MDP state): set driftStd to 0 or exact to false',
      'env.shiftAt: the exact mode needs shiftAt null (a shift changes the dynamics with the episode): set shiftAt to null or exact to false',
    ]);
    // An explicit catalog's items are counted once it is read: the service's to say.
    expect(crossFieldProblems(catalog, shop({ items: 3, slateSize: 4, catalog: { items: [{ category: 0, price: 1, quality: 0.5, attractiveness: 0 }] } }))).toEqual([]);
  });

  it("says a generated shop's discrete observation past the states it builds under observation, which the service said only once all else was valid", () => {
    // 100 segments × (30 + 1) categories × 20 × 20 levels + 1.
    const large = { items: 30, categories: 30, segments: 100, engagementLevels: 20, fatigueLevels: 20 };
    const states = 'env.observation: the discrete observation would have 1,240,001 states (segments × (categories + 1) × engagementLevels × fatigueLevels + 1), more than 1,000,000: use fewer categories, segments or levels, or observation "vector"';
    expect(crossFieldProblems(catalog, shop(large))).toEqual([states]);
    // Said beside another rule's problem, as the service (which stops at that one) did not.
    expect(crossFieldProblems(catalog, shop({ ...large, leaveBase: 0.5, leaveSlope: 0.6 }))).toEqual([expect.stringMatching(/^env\.leaveSlope: /), states]);
    // The segment hidden counts as one; a vector observation has no states (dqn: the default q-learning would be refused it); an explicit catalog's categories are the service's to count.
    expect(crossFieldProblems(catalog, shop({ ...large, observeSegment: false }))).toEqual([]);
    expect(crossFieldProblems(catalog, setAt(shop({ ...large, observation: 'vector' }), ['agent'], { id: 'dqn' }))).toEqual([]);
    expect(crossFieldProblems(catalog, shop({ ...large, catalog: { items: [{ category: 0, price: 1, quality: 0.5, attractiveness: 0 }] } }))).toEqual([]);
    // A Sweep row that takes it past names its value.
    const sweep = rows(shop({ ...large, categories: 4 }), [{ path: 'env.categories', values: '4, 30' }]);
    expect(sweep).toEqual([`sweep[0]: categories = 30: ${states}`]);
  });

  it("says a generated exact shop's MDP past its pairs or actions under exact, once its observation fits", () => {
    // 10 segments × (20 + 1) × 5 × 5 + 1 = 5,251 states × 1,000 item actions.
    const wide = { exact: true, segments: 10, categories: 20, items: 1000, engagementLevels: 5, fatigueLevels: 5 };
    expect(crossFieldProblems(catalog, shop(wide))).toEqual([
      'env.exact: the exact MDP would have 5,251 states × 1,000 actions = 5,251,000 pairs, more than 2,000,000: use fewer items, categories, segments or levels (or category actions), or exact false',
    ]);
    // 91 states × 20,000 items fit the pairs, not the 10,000 actions an MDP file holds.
    const actions = 'env.exact: the exact MDP would have 20,000 actions, more than the 10,000 an exact MDP (an aisle.mdp/v1 file) holds: use fewer items (or category actions), or exact false';
    expect(crossFieldProblems(catalog, shop({ exact: true, items: 20_000 }))).toEqual([actions]);
    expect(rows(shop({ exact: true }), [{ path: 'env.items', values: '20, 20000' }])).toEqual([`sweep[0]: items = 20000: ${actions}`]);
    // Category actions, exact off, a vector observation (runs build no MDP for it; dqn takes it), an explicit catalog: nothing.
    expect(crossFieldProblems(catalog, shop({ ...wide, actionLevel: 'category' }))).toEqual([]);
    expect(crossFieldProblems(catalog, shop({ ...wide, exact: false }))).toEqual([]);
    expect(crossFieldProblems(catalog, setAt(shop({ ...wide, observation: 'vector' }), ['agent'], { id: 'dqn' }))).toEqual([]);
    expect(crossFieldProblems(catalog, shop({ ...wide, catalog: { items: [{ category: 0, price: 1, quality: 0.5, attractiveness: 0 }] } }))).toEqual([]);
    // An observation past its states is said alone: its fix, observation "vector", lifts this one.
    expect(crossFieldProblems(catalog, shop({ ...wide, segments: 100, categories: 30, engagementLevels: 20, fatigueLevels: 20 }))).toEqual([expect.stringMatching(/^env\.observation: /)]);
  });

  it("says a tabular agent on the shop's vector observation, and the myopic oracle off the shop, under agent.id once both are chosen (the service said them only at launch)", () => {
    const both = (env: Record<string, unknown>, agent: string) => crossFieldProblems(catalog, setAt(setAt(start, ['env'], env), ['agent'], { id: agent }));
    const vector = { id: 'shop', observation: 'vector', segments: 3, categories: 4, items: 20 };
    for (const id of ['q-learning', 'sarsa', 'expected-sarsa', 'double-q-learning']) {
      expect(both(vector, id)).toEqual([
        `agent.id: ${id} needs a discrete observation space, but the environment observes a vector of 13 features: choose a tabular environment (or the shop with observation "discrete") or a vector agent`,
      ]);
    }
    expect(both({ ...vector, observation: 'discrete' }, 'q-learning')).toEqual([]);
    expect(both(vector, 'dqn')).toEqual([]);
    expect(both(vector, 'myopic-oracle')).toEqual([]);
    expect(both({ id: 'seed-toy' }, 'myopic-oracle')).toEqual([
      'agent.id: myopic-oracle needs a simulator that exposes its true model (the shop): this environment has no oracle; choose the shop environment, or a learning agent or most-popular as the baseline',
    ]);
    // A field the rule reads with a problem of its own: that problem first, as the service.
    expect(both({ ...vector, categories: -1 }, 'q-learning')).toEqual([]);
    // LinUCB on discrete states the form can count: the testbed's one, seed-toy's, a generated shop's.
    const linucb = (states: string) =>
      `agent.id: linucb needs a vector observation space (Box), but the environment observes ${states}: choose the shop with observation "vector" (the other environments have only discrete states) or a tabular or bandit agent`;
    expect(both({ id: 'bandit-testbed' }, 'linucb')).toEqual([linucb('1 discrete state')]);
    expect(both({ id: 'seed-toy', states: 2000 }, 'linucb')).toEqual([linucb('2,000 discrete states')]);
    expect(both({ ...vector, observation: 'discrete', observeSegment: true, engagementLevels: 2, fatigueLevels: 2 }, 'linucb')).toEqual([linucb('61 discrete states')]);
    expect(both(vector, 'linucb')).toEqual([]);
    // PPO on a one-hot of more states than its first layer takes.
    expect(both({ id: 'seed-toy', states: 150_000 }, 'ppo')).toEqual([
      'agent.id: ppo feeds the observation to a neural network as 150,000 features (one-hot of the states), more than 100,000: choose the shop with observation "vector" (the other environments have only discrete states) or a tabular agent',
    ]);
    expect(both({ id: 'seed-toy', states: 100_000 }, 'ppo')).toEqual([]);
  });

  it("says nothing of a pair while one side is not a value its field takes: that field's own problem is said, as the service says only it", () => {
    expect(crossFieldProblems(catalog, dqn({ batchSize: 5000, bufferSize: 1000 }))).toEqual([]);
    expect(crossFieldProblems(catalog, dqn({ batchSize: 64, bufferSize: 'abc' }))).toEqual([]);
  });

  it('knows only parameters the environments and agents have', () => {
    for (const [which, all] of [
      ['env', environments],
      ['agent', agents],
    ] as const) {
      for (const [id, rules] of Object.entries(CROSS_FIELD_RULES[which])) {
        const keys = Object.keys(all.find((d) => d.id === id)!.params.shape);
        for (const rule of rules) expect(keys).toEqual(expect.arrayContaining([...rule.fields]));
      }
    }
  });
});

describe('a Sweep row against the draft', () => {
  const draft = dqn({ batchSize: 64, bufferSize: 1000 });
  it('names the value of a row that breaks a pair with the draft, in the service words', () => {
    expect(rows(draft, [{ path: 'agent.batchSize', values: '32, 64, 2048' }])).toEqual(['sweep[0]: batchSize = 2048: batchSize 2048 exceeds bufferSize 1000: raise bufferSize']);
    // The other side of the pair: the problem is batchSize's, its field named.
    expect(rows(draft, [{ path: 'agent.bufferSize', values: '16, 1000' }])).toEqual(['sweep[0]: bufferSize = 16: agent.batchSize: batchSize 64 exceeds bufferSize 16: raise bufferSize']);
  });

  it("leaves a pair both of whose sides rows set to the service, which checks each combination; the draft's own problem stays the draft's", () => {
    expect(rows(draft, [{ path: 'agent.batchSize', values: '32, 2048' }, { path: 'agent.bufferSize', values: '4096, 8192' }])).toEqual([]);
    expect(rows(dqn({ batchSize: 2048, bufferSize: 1000 }), [{ path: 'agent.learningRate', values: '0.001, 0.01' }])).toEqual([]);
    expect(rows(dqn({ batchSize: 2048, bufferSize: 1000 }), [{ path: 'agent.batchSize', values: '32, 2048' }])).toEqual([]);
  });

  it("leaves an ε schedule's rise to the service while another row sets the schedule's other field", () => {
    const schedule = setAt(start, ['agent', 'epsilon'], { start: 0.3, end: 0.05, decayEpisodes: 100 });
    expect(rows(schedule, [{ path: 'agent.epsilon.end', values: '0.1, 0.6' }])).toEqual([expect.stringMatching(/^sweep\[0\]: epsilon\.end = 0\.6: must not exceed start \(0\.3\)/)]);
    expect(rows(schedule, [{ path: 'agent.epsilon.end', values: '0.1, 0.6' }, { path: 'agent.epsilon.start', values: '0.9, 1' }])).toEqual([]);
  });
});

describe('a random search row', () => {
  const search: SweepSearch = { mode: 'random', trials: '6', seed: '1' };
  const schedule = setAt(setAt(start, ['agent', 'epsilon'], { start: 0.3, end: 0.05, decayEpisodes: 100 }), ['env', 'exact'], false);
  it("checks a schedule field's and shiftAt's bounds against their range", () => {
    expect(rows(schedule, [{ path: 'agent.epsilon.end', kind: 'uniform', lo: '0', hi: '2', values: '' }], search)).toEqual(["sweep[0]: 2 is outside the parameter's range: it must be in [0, 1]"]);
    expect(rows(schedule, [{ path: 'agent.epsilon.decayEpisodes', kind: 'uniform', lo: '10', hi: '500', values: '' }], search)).toEqual([
      'sweep[0]: the parameter takes whole numbers, which a uniform draw is not: choose integer to draw them from 10 to 500',
    ]);
    expect(rows(schedule, [{ path: 'env.shiftAt', kind: 'int', lo: '-5', hi: '100', values: '' }], search)).toEqual(["sweep[0]: -5 is outside the parameter's range: it must be whole number in [0, 100,000,000]"]);
    expect(rows(schedule, [{ path: 'env.shiftAt', kind: 'int', lo: '0', hi: '100', values: '' }], search)).toEqual([]);
  });

  it('says each draw the service would refuse with the draft: an ε end above its start, a batchSize above bufferSize', () => {
    const end = rows(schedule, [{ path: 'agent.epsilon.end', kind: 'uniform', lo: '0.2', hi: '0.9', values: '' }], search);
    expect(end.length).toBeGreaterThan(0);
    for (const line of end) expect(line).toMatch(/^sweep\[0\]: epsilon\.end = [\d.]+: must not exceed start \(0\.3\), got [\d.]+: ε falls from start to end, so lower end or raise start/);
    expect(rows(schedule, [{ path: 'agent.epsilon.end', kind: 'uniform', lo: '0', hi: '0.3', values: '' }], search)).toEqual([]);
    const batch = rows(dqn({ bufferSize: 1000 }), [{ path: 'agent.batchSize', kind: 'int', lo: '900', hi: '1100', values: '' }], search);
    expect(batch.length).toBeGreaterThan(0);
    for (const line of batch) expect(line).toMatch(/^sweep\[0\]: batchSize = (\d+): batchSize \1 exceeds bufferSize 1000: raise bufferSize$/);
  });

  it("says a choice its parameter takes but the draft's other parameters refuse", () => {
    expect(rows(dqn({ bufferSize: 1000 }), [{ path: 'agent.batchSize', kind: 'choice', values: '32, 2048' }], search)).toEqual([
      'sweep[0]: batchSize = 2048: batchSize 2048 exceeds bufferSize 1000: raise bufferSize',
    ]);
  });
});
