// The training loop: determinism, stopping, checkpoints, summaries and the exact greedy report.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointEpisodes, STOP_POLL_STEPS, train, type RunSpec } from '../../src/engine/train';

const cliff = JSON.parse(readFileSync(resolve(__dirname, '../../resources/experiments/cliff.mdp.json'), 'utf8'));

function cliffSpec(agent: string, seed: number, episodes = 500): RunSpec {
  return {
    env: { id: 'tabular-mdp', mdp: cliff, maxSteps: 1000 },
    agent: { id: agent, alpha: 0.5, gamma: 1, epsilon: 0.1, initialQ: 0 },
    episodes,
    seed,
    checkpoints: 4,
  };
}

function rowsOf(spec: RunSpec): number[][] {
  const rows: number[][] = [];
  train(spec, { onEpisode: (_e, r) => void rows.push(Array.from(r)) });
  return rows;
}

describe('train', () => {
  it('same spec and seed ⇒ identical metrics; another seed ⇒ different ones', () => {
    const a = rowsOf(cliffSpec('q-learning', 3, 100));
    const b = rowsOf(cliffSpec('q-learning', 3, 100));
    const c = rowsOf(cliffSpec('q-learning', 4, 100));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('reports return, length, env and agent metrics in order, with mean and last-100 summaries', () => {
    const rows: number[][] = [];
    const result = train(cliffSpec('sarsa', 1, 250), { onEpisode: (_e, r) => void rows.push(Array.from(r)) });
    expect(result.metricNames).toEqual(['return', 'length', 'train/epsilon']);
    expect(result.episodes).toBe(250);
    expect(result.steps).toBe(rows.reduce((s, r) => s + r[1]!, 0));
    const mean = rows.reduce((s, r) => s + r[0]!, 0) / rows.length;
    const last = rows.slice(-100).reduce((s, r) => s + r[0]!, 0) / 100;
    expect(result.summary.return!.mean).toBeCloseTo(mean, 9);
    expect(result.summary.return!.last100).toBeCloseTo(last, 9);
  });

  it('stops when the hook returns false (cancel) and says so', () => {
    let seen = 0;
    const result = train(cliffSpec('q-learning', 1, 1000), { onEpisode: () => ++seen < 10 });
    expect(result.status).toBe('cancelled');
    expect(result.episodes).toBe(10);
    expect(result.summary.length!.mean).toBeGreaterThan(0);
  });

  it('stops inside an episode when stopRequested says so, on the JavaScript path, recording only the episodes it completed', () => {
    const spec: RunSpec = { env: { id: 'seed-toy', stepsPerEpisode: 100_000 }, agent: { id: 'q-learning' }, episodes: 5, seed: 1 };
    let polls = 0;
    const recorded: number[] = [];
    // The first episode (100,000 steps) is 390 polls; yes at the 400th, inside the second.
    expect(Math.floor(100_000 / STOP_POLL_STEPS)).toBe(390);
    const result = train(spec, { onEpisode: (e) => void recorded.push(e), stopRequested: () => ++polls >= 400 }, undefined, { backend: 'js' });
    expect(result.status).toBe('cancelled');
    expect(recorded).toEqual([0]);
    expect(result.episodes).toBe(1);
    expect(result.steps).toBe(100_000);
    expect(polls).toBe(400);
    // Never asked, it plays to the end.
    expect(train({ ...spec, episodes: 2 }, { stopRequested: () => false }, undefined, { backend: 'js' })).toMatchObject({ status: 'completed', episodes: 2, steps: 200_000 });
  });

  it('plays an episode a stop is asked in to its end when that is within STOP_GRACE_STEPS, then stops between episodes, keeping the state', () => {
    // Episodes of 200 steps: the 3rd poll, at step 768, is inside episode 3 (steps 600–799), which ends 32 steps later.
    const spec: RunSpec = { env: { id: 'seed-toy', stepsPerEpisode: 200 }, agent: { id: 'q-learning' }, episodes: 50, seed: 1 };
    let polls = 0;
    const recorded: number[] = [];
    const result = train(spec, { onEpisode: (e) => void recorded.push(e), stopRequested: () => ++polls >= 3 }, undefined, { backend: 'js', keepState: true });
    expect(result).toMatchObject({ status: 'cancelled', episodes: 4, steps: 800 });
    expect(recorded).toEqual([0, 1, 2, 3]);
    expect(result.state?.episode).toBe(4);
    expect(polls).toBe(3);
    // An episode that goes on past the grace is dropped where it is: asked at step 256 of 1,000, stopped at 512, no state.
    const long = train({ ...spec, env: { id: 'seed-toy', stepsPerEpisode: 1000 } }, { stopRequested: () => true }, undefined, { backend: 'js', keepState: true });
    expect(long).toMatchObject({ status: 'cancelled', episodes: 0, steps: 0 });
    expect(long.state).toBeUndefined();
  });

  it('summarises a metric that some episodes lack (NaN) over the episodes that have it', () => {
    // DQN reports no loss before learningStarts: those episodes' train/loss is NaN.
    const spec: RunSpec = { env: { id: 'seed-toy', stepsPerEpisode: 20 }, agent: { id: 'dqn', learningStarts: 200, batchSize: 8, hidden: [8] }, episodes: 60, seed: 1 };
    const rows: number[][] = [];
    const result = train(spec, { onEpisode: (_e, r) => void rows.push(Array.from(r)) });
    const at = result.metricNames.indexOf('train/loss');
    const losses = rows.map((r) => r[at]!);
    const valued = losses.filter((v) => !Number.isNaN(v));
    expect(valued.length).toBeGreaterThan(0);
    expect(valued.length).toBeLessThan(losses.length); // some episodes have none
    expect(result.summary['train/loss']!.mean).toBeCloseTo(valued.reduce((a, b) => a + b, 0) / valued.length, 12);
    const tail = losses.slice(-100).filter((v) => !Number.isNaN(v));
    expect(result.summary['train/loss']!.last100).toBeCloseTo(tail.reduce((a, b) => a + b, 0) / tail.length, 12);
  });

  it('hands blocks of consecutive episodes to onEpisodes with the rows onEpisode sees, on both backends', () => {
    const seedToy = (episodes: number): RunSpec => ({ env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes, seed: 2, checkpoints: 3 });
    for (const backend of ['js', 'wasm'] as const) {
      for (const spec of [seedToy(5000), cliffSpec('sarsa', 1, 300)]) {
        const single: number[][] = [];
        const blocks: number[][] = [];
        const starts: number[] = [];
        const result = train(
          spec,
          {
            onEpisode: (_e, r) => void single.push(Array.from(r)),
            onEpisodes: (first, count, rows, width, columns) => {
              expect(first).toBe(blocks.length);
              expect(rows.length).toBeGreaterThanOrEqual(count * width);
              starts.push(first);
              for (let i = 0; i < count; i++) blocks.push(Array.from(rows.subarray(i * width, (i + 1) * width)));
              // The kernel's float32 columns are the rows rounded, value for value; JavaScript has none.
              if (backend === 'js') expect(columns).toBeUndefined();
              else {
                expect(columns).toHaveLength(width);
                for (let m = 0; m < width; m++) {
                  expect(columns![m]!.length).toBe(count);
                  for (let i = 0; i < count; i++) if (columns![m]![i] !== Math.fround(rows[i * width + m]!)) expect.fail(`column ${m}, episode ${first + i}`);
                }
              }
            },
          },
          undefined,
          { backend },
        );
        expect(result.backend).toBe(backend);
        expect(blocks).toEqual(single);
        expect(blocks.length).toBe(spec.episodes);
        // One call per episode in JavaScript, far fewer from the kernel.
        if (backend === 'js') expect(starts.length).toBe(spec.episodes);
        else expect(starts.length).toBeLessThan(spec.episodes / 10);
      }
    }
  });

  it('stops after the block when onEpisodes returns false, as a run stopped there by onEpisode', () => {
    const spec: RunSpec = { env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 20_000, seed: 5 };
    let calls = 0;
    let end = 0;
    const stopped = train(spec, { onEpisodes: (first, count) => ((end = first + count), ++calls < 3) });
    expect(stopped.status).toBe('cancelled');
    expect(stopped.episodes).toBe(end);
    expect(end).toBeLessThan(spec.episodes);
    const reference = train(spec, { onEpisode: (e) => e < end - 1 }, undefined, { backend: 'js' });
    expect(reference.episodes).toBe(end);
    expect(Array.from(stopped.values!.q)).toEqual(Array.from(reference.values!.q));
    expect(stopped.summary).toEqual(reference.summary);
  });

  it('takes checkpoints at evenly spaced episodes', () => {
    expect(checkpointEpisodes(100, 4)).toEqual([19, 39, 59, 79]);
    expect(checkpointEpisodes(3, 10)).toEqual([0, 1]);
    expect(checkpointEpisodes(100, 0)).toEqual([]);
    const seen: number[] = [];
    train(cliffSpec('q-learning', 1, 100), { onCheckpoint: (e, v) => (seen.push(e), expect(v.q.length).toBe(48 * 4)) });
    expect(seen).toEqual([19, 39, 59, 79]);
  });

  it('evaluates the greedy policy exactly on a tabular MDP', () => {
    const q = train(cliffSpec('q-learning', 0, 500));
    expect(q.greedy).toBeDefined();
    expect(q.greedy!.optimalReturn).toBe(-13);
    expect(q.greedy!.expectedReturn).toBe(-13); // Q-learning's greedy policy walks the cliff edge
    expect(q.greedy!.normalizedScore).toBe(1);
    const s = train(cliffSpec('sarsa', 0, 500));
    // SARSA's greedy path is the safe one (S&B Figure 6.4): longer, so below the optimum.
    expect(s.greedy!.expectedReturn).toBeLessThan(-13);
    expect(s.greedy!.expectedReturn).toBeGreaterThan(-30);
    expect(s.greedy!.optimalityGap).toBeCloseTo(-13 - s.greedy!.expectedReturn, 12);
  });

  it('reports no greedy section for bandit agents or non-MDP environments', () => {
    const r = train({ env: { id: 'bandit-testbed', arms: 10 }, agent: { id: 'ucb1', c: 2 }, episodes: 200, seed: 1 });
    expect(r.greedy).toBeUndefined();
    expect(r.metricNames).toEqual(expect.arrayContaining(['return', 'reward', 'optimal']));
    expect(r.summary.optimal!.last100).toBeGreaterThan(0.3);
  });
});

describe('the greedy report of a run spec that leaves settings to their defaults', () => {
  it("uses the defaults the run trains with (a shop's 100 steps, the agent's γ), not γ 1 and a horizon of 1000", async () => {
    const { findAgent } = await import('../../src/engine/registry');
    const gamma = (findAgent('q-learning')!.params.parse({}) as { gamma: number }).gamma;
    const env = { id: 'shop', exact: true, items: 6, categories: 2, segments: 1, fatigueLevels: 2, catalogSeed: 11 };
    const implicit = train({ env, agent: { id: 'q-learning' }, episodes: 200, seed: 0 });
    const explicit = train({ env: { ...env, maxSteps: 100 }, agent: { id: 'q-learning', gamma }, episodes: 200, seed: 0 });
    expect(implicit.greedy).toBeDefined();
    expect(implicit.greedy).toEqual(explicit.greedy);
    const longer = train({ env: { ...env, maxSteps: 1000 }, agent: { id: 'q-learning', gamma: 1 }, episodes: 200, seed: 0 });
    expect(longer.greedy!.optimalReturn).not.toBe(implicit.greedy!.optimalReturn);
  });
});
