/**
 * The design brief's toy environment: the next state is uniform whatever the action, the reward is a
 * fair coin (1 or 0). Nothing is learnable, which makes it the reference for throughput benchmarks
 * and for checking that an agent's numbers are noise around 0.5 per step. Unlike the brief's sketch,
 * the state does move to the drawn next state.
 */
import * as z from 'zod';
import { defineEnv } from '../definitions';
import type { Env, StepResult } from '../env';
import { num } from '../params';
import { Rng, Stream } from '../rng';
import { discrete, type DiscreteSpace } from '../spaces';

const params = z
  .object({
    states: num({ default: 10, int: true, min: 1, max: 1_000_000, describe: 'Number of states; each step moves to one drawn uniformly.' }),
    actions: num({ default: 5, int: true, min: 1, max: 10_000, describe: 'Number of actions (none of them changes anything).' }),
    stepsPerEpisode: num({ default: 100, int: true, min: 1, max: 10_000_000, describe: 'Steps after which an episode is truncated.' }),
  })
  .strict();

export class SeedToyEnv implements Env<number> {
  readonly id = 'seed-toy';
  readonly observationSpace: DiscreteSpace;
  readonly actionSpace: DiscreteSpace;
  readonly episodeMetricNames: readonly string[] = [];
  /** Bernoulli(0.5) rewards. */
  get rewardRange(): readonly [number, number] {
    return [0, 1];
  }
  private rng: Rng | null = null;
  private t = 0;
  private ended = true;
  private readonly result: StepResult<number> = { observation: 0, reward: 0, terminated: false, truncated: false };

  constructor(
    readonly states: number,
    readonly actions: number,
    readonly stepsPerEpisode: number,
  ) {
    this.observationSpace = discrete(states);
    this.actionSpace = discrete(actions);
  }

  /**
   * The environment's generator, made from `seed` as reset(seed) makes it when there is none yet:
   * the WebAssembly kernel, which plays this environment's episodes in its own memory, starts from
   * its state and hands it back, so a paused run's checkpoint holds where the generator stands.
   */
  generator(seed: number): Rng {
    return (this.rng ??= new Rng(seed, Stream.env));
  }

  reset(seed?: number): number {
    if (seed !== undefined) this.rng = new Rng(seed, Stream.env);
    if (this.rng === null) throw new Error('seed-toy: the first reset needs a seed (reset(seed))');
    this.t = 0;
    this.ended = false;
    return this.rng.int(this.states);
  }

  /** One `int` and one `next` draw per step, nothing allocated. */
  step(action: number): StepResult<number> {
    const rng = this.rng;
    if (rng === null || this.ended) throw new Error(rng === null ? 'seed-toy: call reset(seed) before step()' : 'seed-toy: the episode has ended: call reset() before step()');
    if (!(action >= 0 && action < this.actions && (action | 0) === action)) throw new RangeError(`seed-toy: action ${action} is not in 0..${this.actions - 1}`);
    const r = this.result;
    r.observation = rng.int(this.states);
    r.reward = rng.next() < 0.5 ? 1 : 0;
    r.truncated = ++this.t >= this.stepsPerEpisode;
    this.ended = r.truncated;
    return r;
  }

  episodeMetrics(): void {}
}

export const seedToy = defineEnv({
  id: 'seed-toy',
  title: 'Seed toy',
  description:
    'Pure noise: a random walk over uniformly drawn states with a fair-coin reward of 1 or 0, whatever the action. Nothing can be learned; it measures throughput and shows what pure noise looks like in the charts.',
  params,
  metricDirections: {},
  maxEpisodeSteps: (p) => p.stepsPerEpisode,
  create: (p): Env => new SeedToyEnv(p.states, p.actions, p.stepsPerEpisode),
});
