// Greedy evaluation during training: it leaves training bit for bit as it is, lands at the right
// episodes, and reports what an independent evaluation of the agent at that point measures.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { behaviourConfig, experimentWarnings, parseExperiment } from '../../src/engine/experiment';
import { rollout } from '../../src/engine/evaluate';
import { EVALUATION_METRICS, evaluationSeed, nextEvaluationEpisode } from '../../src/engine/greedy-evaluation';
import { ValidationError } from '../../src/engine/params';
import { prepareRun, train, type RunSpec, type TrainOptions } from '../../src/engine/train';

const cliff = JSON.parse(readFileSync(resolve(__dirname, '../../resources/experiments/cliff.mdp.json'), 'utf8'));
const vectorShop = { id: 'shop', observation: 'vector', maxSteps: 20, slateSize: 2, actionLevel: 'category' };

const specs: Record<string, RunSpec> = {
  'q-learning on cliff': { env: { id: 'tabular-mdp', mdp: cliff, maxSteps: 200 }, agent: { id: 'q-learning', alpha: 0.5, epsilon: 0.1 }, episodes: 60, seed: 3, checkpoints: 3 },
  'double Q on seed-toy': { env: { id: 'seed-toy' }, agent: { id: 'double-q-learning', epsilon: { start: 1, end: 0.1, decayEpisodes: 40 } }, episodes: 50, seed: 5, checkpoints: 2 },
  'DQN on the vector shop': {
    env: vectorShop,
    agent: { id: 'dqn', hidden: [16], learningStarts: 50, batchSize: 16, bufferSize: 500, epsilon: { start: 1, end: 0.1, decayEpisodes: 20 } },
    episodes: 30,
    seed: 2,
    checkpoints: 2,
  },
  'PPO on the vector shop': { env: vectorShop, agent: { id: 'ppo', hidden: [16], nSteps: 64, batchSize: 32, nEpochs: 2 }, episodes: 30, seed: 4, checkpoints: 2 },
  'LinUCB on the vector shop': { env: vectorShop, agent: { id: 'linucb' }, episodes: 20, seed: 1 },
};

const evaluation = { every: 7, episodes: 3 };

/** Every episode's row, the final summary and what the agent learned, through the per-episode hook or the block hook. */
function play(spec: RunSpec, hook: 'onEpisode' | 'onEpisodes', options: TrainOptions = {}) {
  const rows: number[][] = [];
  const hooks =
    hook === 'onEpisode'
      ? { onEpisode: (_e: number, r: Float64Array) => void rows.push(Array.from(r)) }
      : { onEpisodes: (_f: number, count: number, r: Float64Array, width: number) => void rows.push(...Array.from({ length: count }, (_, i) => Array.from(r.subarray(i * width, (i + 1) * width)))) };
  const result = train(spec, hooks, undefined, options);
  return { rows, result };
}

describe('greedy evaluation during training', () => {
  for (const [name, spec] of Object.entries(specs)) {
    for (const hook of ['onEpisode', 'onEpisodes'] as const) {
      it(`leaves ${name}'s training unchanged (${hook}) and evaluates at every 7th episode and the last`, () => {
        const without = play(spec, hook);
        const withEvaluation = play({ ...spec, evaluation }, hook);
        expect(withEvaluation.result.backend).toBe(without.result.backend);
        const width = without.result.metricNames.length;
        expect(withEvaluation.result.metricNames).toEqual([...without.result.metricNames, ...EVALUATION_METRICS]);
        expect(withEvaluation.rows.map((r) => r.slice(0, width))).toEqual(without.rows);
        const { [EVALUATION_METRICS[0]]: greedy, [EVALUATION_METRICS[1]]: spread, ...summary } = withEvaluation.result.summary;
        expect(summary).toEqual(without.result.summary);
        expect(withEvaluation.result.values).toEqual(without.result.values);
        expect(withEvaluation.result.weights).toEqual(without.result.weights);
        expect(withEvaluation.result.greedy).toEqual(without.result.greedy);

        const evaluated = withEvaluation.rows.flatMap((r, e) => (Number.isNaN(r[width]) ? [] : [e]));
        const last = spec.episodes - 1;
        expect(evaluated).toEqual([...Array.from({ length: Math.floor(spec.episodes / 7) }, (_, k) => 7 * k + 6), ...(spec.episodes % 7 ? [last] : [])]);
        expect(withEvaluation.rows.every((r) => Number.isNaN(r[width]) === Number.isNaN(r[width + 1]))).toBe(true);
        const returns = evaluated.map((e) => withEvaluation.rows[e]![width]!);
        expect(greedy!.mean).toBeCloseTo(returns.reduce((s, v) => s + v, 0) / returns.length, 9);
        expect(spread!.mean).toBeGreaterThanOrEqual(0);
      });
    }
  }

  it('gives the JavaScript loop\'s evaluations on the WebAssembly kernel', () => {
    const spec = { ...specs['q-learning on cliff']!, evaluation };
    const kernel = play(spec, 'onEpisodes', { backend: 'wasm' });
    const js = play(spec, 'onEpisodes', { backend: 'js' });
    expect(kernel.rows).toEqual(js.rows);
    expect(kernel.result.summary).toEqual(js.result.summary);
  });

  const cuts: readonly [string, RunSpec, 'wasm' | 'js', number][] = [
    ['q-learning on cliff (kernel)', { ...specs['q-learning on cliff']!, episodes: 300 }, 'wasm', 100],
    ['DQN on the vector shop', specs['DQN on the vector shop']!, 'js', 10],
  ];
  for (const [name, spec, backend, every] of cuts) {
    it(`reports what rollout measures of the agent trained up to that episode, on a fresh environment: ${name}`, () => {
      const { rows, result } = play({ ...spec, evaluation: { every, episodes: 4 } }, 'onEpisodes', { backend });
      const width = result.metricNames.length - 2;
      const seen: number[] = [];
      for (const episode of [every - 1, 2 * every - 1]) {
        // The same run cut after that episode, without evaluation, on the reference loop.
        const prepared = prepareRun(spec);
        train({ ...spec, episodes: episode + 1 }, {}, prepared, { backend: 'js' });
        const fresh = prepareRun(spec).env;
        const independent = rollout(fresh, (o) => prepared.agent.greedyAction(o), 4, evaluationSeed(spec.seed));
        expect(rows[episode]![width]).toBe(independent.meanReturn);
        expect(rows[episode]![width + 1]).toBe(independent.stdReturn);
        seen.push(independent.meanReturn);
      }
      // The policy learned something by then: an evaluation of a stale (untrained) agent would not match.
      const untrained = prepareRun(spec);
      const before = rollout(prepareRun(spec).env, (o) => untrained.agent.greedyAction(o), 4, evaluationSeed(spec.seed)).meanReturn;
      expect(seen.some((v) => v !== before)).toBe(true);
    });
  }

  it('writes a single episode\'s return with no spread', () => {
    const { rows, result } = play({ ...specs['double Q on seed-toy']!, evaluation: { every: 25, episodes: 1 } }, 'onEpisodes');
    const width = result.metricNames.length - 2;
    expect(Number.isFinite(rows[24]![width])).toBe(true);
    expect(Number.isNaN(rows[24]![width + 1])).toBe(true);
  });

  it('schedules evaluations every `every` episodes and at the last', () => {
    expect(nextEvaluationEpisode(0, 7, 30)).toBe(6);
    expect(nextEvaluationEpisode(7, 7, 30)).toBe(13);
    expect(nextEvaluationEpisode(28, 7, 30)).toBe(29);
    expect(nextEvaluationEpisode(30, 7, 30)).toBe(Infinity);
    expect(nextEvaluationEpisode(0, 100, 30)).toBe(29);
  });
});

describe('the experiment\'s evaluation setting', () => {
  const base = { format: 'aisle.experiment/v1', name: 'e', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 50 };
  const problems = (raw: unknown): readonly string[] => {
    try {
      parseExperiment(raw);
    } catch (e) {
      if (e instanceof ValidationError) return e.problems;
      throw e;
    }
    return [];
  };

  it('is absent unless given, and leaves the hashed behaviour as it is', () => {
    const plain = parseExperiment(base);
    expect('evaluation' in plain).toBe(false);
    const evaluating = parseExperiment({ ...base, evaluation: { every: 10 } });
    expect(evaluating.evaluation).toEqual({ every: 10, episodes: 10 });
    expect(behaviourConfig(evaluating)).toEqual(behaviourConfig(plain));
  });

  it('refuses counts below 1 and fractions, one line naming the field', () => {
    expect(problems({ ...base, evaluation: { every: 0 } })).toEqual(['evaluation.every: must be a whole number ≥ 1, got 0']);
    expect(problems({ ...base, evaluation: { every: 2.5, episodes: 0 } })).toEqual([
      'evaluation.every: must be a whole number ≥ 1, got 2.5',
      'evaluation.episodes: must be a whole number in [1, 100,000], got 0',
    ]);
    expect(problems({ ...base, evaluation: {} })).toEqual(['evaluation.every: is required: the training episodes between two greedy evaluations, a whole number ≥ 1 (e.g. 100)']);
    expect(problems({ ...base, evaluation: { every: 5, often: 2 } })[0]).toMatch(/^evaluation: /);
  });

  it('is refused where a separate environment would not measure the run', () => {
    expect(problems({ ...base, env: { id: 'bandit-testbed' }, agent: { id: 'epsilon-greedy' }, evaluation: { every: 5 } })).toEqual([
      expect.stringMatching(/^evaluation: bandit-testbed draws its arms' true values from the seed/),
    ]);
    expect(problems({ ...base, env: { id: 'shop' }, agent: { id: 'myopic-oracle' }, evaluation: { every: 5 } })).toEqual([expect.stringMatching(/^evaluation: myopic-oracle /)]);
  });
});

describe('warnings of an evaluating experiment', () => {
  const experiment = (env: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    parseExperiment({ format: 'aisle.experiment/v1', name: 'w', env, agent: { id: 'linucb' }, episodes: 1000, ...extra });

  it('says that a drifting or shifting shop is evaluated as it started, only when evaluating', () => {
    const shifting = { id: 'shop', observation: 'vector', shiftAt: 500 };
    expect(experimentWarnings(experiment(shifting))).toEqual([]);
    expect(experimentWarnings(experiment(shifting, { evaluation: { every: 100 } }))).toEqual([expect.stringMatching(/^evaluation: the shop shifts at episode 500 \(shiftAt\), but each greedy evaluation plays a fresh shop/)]);
    expect(experimentWarnings(experiment({ id: 'shop', observation: 'vector', driftStd: 0.1 }, { evaluation: { every: 100 } }))[0]).toMatch(/^evaluation: the shop drifts \(driftStd\), but/);
    expect(experimentWarnings(experiment({ id: 'shop', observation: 'vector' }, { evaluation: { every: 100 } }))).toEqual([]);
  });

  it('counts the evaluation\'s two metrics in the storage estimate', () => {
    const huge = (extra: Record<string, unknown>) =>
      experimentWarnings(parseExperiment({ format: 'aisle.experiment/v1', name: 'huge', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 100_000_000, ...extra }));
    expect(huge({})[0]).toMatch(/ × 3 metrics would store 300,000,000 values/);
    expect(huge({ evaluation: { every: 1_000_000 } })[0]).toMatch(/ × 5 metrics would store 500,000,000 values/);
  });
});
