/**
 * What the context-free bandit agents (ε-greedy, most-popular, UCB1, Thompson sampling) share:
 * one estimate per arm, the RL-Glue plumbing (every reward updates the arm just pulled; bandits have no successor
 * state, so `terminated` changes nothing) and the 1 × k values view. Each agent's own file holds
 * its selection rule (`act`) and its update (`learn`).
 */
import { argmax, type Agent, type TabularValues } from '../agent';
import type { Observation } from '../env';
import type { Rng } from '../rng';
import { scheduleValue, type EpsilonSchedule } from '../schedule';
import { epsilonGreedyAction } from './tabular';

export abstract class BanditAgent implements Agent<Observation> {
  abstract readonly id: string;
  abstract readonly episodeMetricNames: readonly string[];
  protected readonly k: number;
  /** The estimate of each arm's mean reward (Thompson: the posterior mean): the values() view. */
  protected readonly q: Float64Array;
  /** The arm pulled last, which the next reward is about. */
  protected lastAction = 0;
  private readonly view: TabularValues;

  constructor(actions: number, initialEstimate: number) {
    this.k = actions;
    this.q = new Float64Array(actions).fill(initialEstimate);
    this.view = { states: 1, actions, q: this.q };
  }

  /** Chooses the next arm. */
  protected abstract act(): number;
  /** Learns from the reward of `lastAction`. */
  protected abstract learn(reward: number): void;
  abstract episodeMetrics(out: Float64Array, offset: number): void;

  /** Called at the start of every episode (schedules). */
  protected beginEpisode(): void {}

  start(_observation: Observation): number {
    this.beginEpisode();
    return (this.lastAction = this.act());
  }

  step(reward: number, _observation: Observation): number {
    this.learn(reward);
    return (this.lastAction = this.act());
  }

  end(reward: number, _observation: Observation, _terminated: boolean): void {
    this.learn(reward);
  }

  /** The arm with the best estimate (ties to the lowest index). */
  greedyAction(_observation: Observation): number {
    return argmax(this.q, 0, this.k);
  }

  values(): TabularValues {
    return this.view;
  }
}

/**
 * A bandit that acts ε-greedily on its estimates, ε following a per-episode schedule and reported
 * as `train/epsilon` (ε-greedy, most-popular). Subclasses write only `learn`.
 */
export abstract class EpsilonGreedyBandit extends BanditAgent {
  readonly episodeMetricNames = ['train/epsilon'] as const;
  /** Episodes started so far: the index of the current episode in the ε schedule. */
  private episode = 0;
  /** ε used in the current episode (reported by episodeMetrics after the episode ends). */
  private epsilon: number;

  constructor(
    private readonly epsilonSpec: number | EpsilonSchedule,
    actions: number,
    initialEstimate: number,
    private readonly rng: Rng,
  ) {
    super(actions, initialEstimate);
    this.epsilon = scheduleValue(epsilonSpec, 0);
  }

  protected override beginEpisode(): void {
    this.epsilon = scheduleValue(this.epsilonSpec, this.episode++);
  }

  episodeMetrics(out: Float64Array, offset: number): void {
    out[offset] = this.epsilon;
  }

  /** ε-greedy, greedy ties broken uniformly at random (shared with the tabular agents). */
  protected act(): number {
    return epsilonGreedyAction(this.q, 0, this.k, this.epsilon, this.rng);
  }
}
