/**
 * The uniform random policy, π(a | s) = 1/k for every state and action: the floor every learning
 * agent must clear. It learns nothing, so it runs on any environment, discrete or vector-observed.
 *
 * A uniform policy has no greedy action, so `greedyAction` also draws uniformly: evaluating this
 * baseline measures random play (returning a fixed arm would measure that arm instead). Those
 * draws come from a generator forked off the agent's stream at creation, so how often a run
 * evaluates never changes the actions taken in training.
 */
import * as z from 'zod';
import type { Agent } from '../agent';
import type { Observation } from '../env';
import { defineAgent } from '../definitions';
import { Stream, type Rng } from '../rng';

const params = z.strictObject({});

class RandomAgent implements Agent<Observation> {
  readonly id = 'random';
  readonly episodeMetricNames = [] as const;
  private readonly evalRng: Rng;

  constructor(
    private readonly k: number,
    private readonly rng: Rng,
  ) {
    this.evalRng = rng.fork(Stream.eval);
  }

  start(_observation: Observation): number {
    return this.rng.int(this.k);
  }

  step(_reward: number, _observation: Observation): number {
    return this.rng.int(this.k);
  }

  end(_reward: number, _observation: Observation, _terminated: boolean): void {}

  /** Uniform too (see the module comment), from the evaluation generator. */
  greedyAction(_observation: Observation): number {
    return this.evalRng.int(this.k);
  }

  episodeMetrics(_out: Float64Array, _offset: number): void {}
}

export const randomAgent = defineAgent({
  id: 'random',
  title: 'Uniform random',
  description:
    'Recommends an item uniformly at random at every step and learns nothing. ' +
    'Use it as the floor in comparisons: an agent that does not clearly beat it on the same seeds has not learned, ' +
    'and its return estimates what an unpersonalised shuffle would earn.',
  family: 'baseline',
  keeps: [],
  params,
  metricDirections: {},
  compatible: () => null,
  create(_p, ctx) {
    return new RandomAgent(ctx.actionSpace.n, ctx.rng);
  },
});
