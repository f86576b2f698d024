/**
 * Myopic oracle: the best greedy policy there is. It reads the simulator's true model (its
 * EnvOracle: the expected immediate reward of every action in the current true state, hidden user
 * variables included) and takes the action with the largest one:
 *
 *   A_t = argmax_a E[R_{t+1} | S_t = s_true, A_t = a]      (ties uniformly at random)
 *
 * No learner that optimises the next reward can beat it, so it separates two questions: how much
 * of the gap to the optimum is learning (a bandit against this oracle) and how much is
 * short-sightedness (a long-horizon learner that beats this oracle has found value in the
 * future — fatigue, churn, return visits — that the next click does not show).
 *
 * It learns nothing and is only available on simulators that expose their model (the shop); the
 * real world has no oracle, so it is a yardstick, not a policy to deploy. Its greedy action is the
 * same rule, so evaluating it measures the oracle itself; it reads the true state of the
 * environment it was created with.
 */
import * as z from 'zod';
import type { Agent } from '../agent';
import type { EnvOracle, Observation } from '../env';
import { defineAgent } from '../definitions';
import { NO_ORACLE } from '../cross-field';
import type { Rng } from '../rng';

const params = z.strictObject({});


class MyopicOracleAgent implements Agent<Observation> {
  readonly id = 'myopic-oracle';
  readonly episodeMetricNames = ['train/oracle_value'] as const;
  /** The expected immediate reward of every action in the current true state. */
  private readonly expected: Float64Array;
  /** Sum and count of the chosen actions' expected rewards in this episode (the diagnostic). */
  private valueSum = 0;
  private chosen = 0;

  constructor(
    private readonly oracle: EnvOracle,
    actions: number,
    private readonly rng: Rng,
  ) {
    this.expected = new Float64Array(actions);
  }

  /** argmax_a of the oracle's values, ties uniformly at random (reservoir sampling). */
  private act(record = true): number {
    const v = this.expected;
    this.oracle.immediateValues(v);
    let best = v[0]!;
    let choice = 0;
    let ties = 1;
    for (let a = 1; a < v.length; a++) {
      const x = v[a]!;
      if (x > best) {
        best = x;
        choice = a;
        ties = 1;
      } else if (x === best && this.rng.int(++ties) === 0) {
        choice = a;
      }
    }
    if (record) {
      this.valueSum += best;
      this.chosen++;
    }
    return choice;
  }

  start(_observation: Observation): number {
    this.valueSum = 0;
    this.chosen = 0;
    return this.act();
  }

  step(_reward: number, _observation: Observation): number {
    return this.act();
  }

  end(_reward: number, _observation: Observation, _terminated: boolean): void {}

  greedyAction(_observation: Observation): number {
    return this.act(false);
  }

  /** `train/oracle_value`: the mean expected immediate reward of the actions taken this episode. */
  episodeMetrics(out: Float64Array, offset: number): void {
    out[offset] = this.chosen > 0 ? this.valueSum / this.chosen : NaN;
  }
}

export const myopicOracle = defineAgent({
  id: 'myopic-oracle',
  title: 'Myopic oracle',
  description:
    'Knows the simulator\'s true model and at every step recommends what maximises the expected immediate reward for this user right now: the strongest greedy baseline there is. ' +
    'A learner that beats it has found long-term value (less fatigue, fewer users leaving) that the next click does not show; a bandit that approaches it has little left to learn. ' +
    'Needs a simulator that exposes its model (the shop); it learns nothing.',
  family: 'baseline',
  keeps: [],
  params,
  // The mean expected immediate reward of the actions taken: more is better, as the return is.
  metricDirections: { 'train/oracle_value': 'higher' },
  noSeparateEvaluation: 'myopic-oracle reads the true state of the environment it trains on, and learns nothing: its training return is already its greedy return; remove evaluation',
  compatible: (_observationSpace, _actionSpace, env) => (env?.oracle ? null : NO_ORACLE),
  create(_p, ctx) {
    if (!ctx.oracle) throw new RangeError(NO_ORACLE);
    return new MyopicOracleAgent(ctx.oracle, ctx.actionSpace.n, ctx.rng);
  },
});
