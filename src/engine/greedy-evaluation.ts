/**
 * Greedy evaluation during training, as stable-baselines3's EvalCallback does it: every `every`
 * training episodes and after the last one, the agent's greedy policy (greedyAction: no
 * exploration, no learning) plays `episodes` episodes on an environment instance of its own. That
 * instance is seeded from the run's evaluation stream, never from the training environment's or
 * the agent's, so a run's training draws and metrics are the same with or without evaluation. It
 * is reset with the same seed at every evaluation: two evaluation points play the same episodes as
 * far as the policy's choices allow (common random numbers), so their difference is the policy's.
 */
import * as z from 'zod';
import type { Agent } from './agent';
import type { Env, Observation } from './env';
import { playPolicy } from './evaluate';
import { numberSchema, show } from './params';
import { Rng, Stream } from './rng';

export interface EvaluationSettings {
  /** Training episodes between two evaluations (the last episode is always evaluated). */
  readonly every: number;
  /** Episodes the greedy policy plays at each evaluation. */
  readonly episodes: number;
}

/** The metrics an evaluation writes at its episode (NaN at every other episode). */
export const EVALUATION_METRICS = ['eval/greedy_return', 'eval/greedy_return_std'] as const;

const notEvery = (issue: { input?: unknown }) => `must be a whole number ≥ 1, got ${show(issue.input)}`;

export const evaluationSchema = z
  .object({
    every: z
      .number({ error: (issue) => (issue.input === undefined ? 'is required: the training episodes between two greedy evaluations, a whole number ≥ 1 (e.g. 100)' : notEvery(issue)) })
      .int({ error: notEvery })
      .min(1, { error: notEvery })
      .describe('Training episodes between two greedy evaluations (the last episode is always evaluated).'),
    episodes: numberSchema({ int: true, min: 1, max: 100_000, describe: 'Episodes the greedy policy plays at each evaluation; their mean return is eval/greedy_return, their standard deviation eval/greedy_return_std.' })
      .default(10),
  })
  .strict()
  .describe(
    'Off when absent. After every "every" training episodes and after the last, the agent\'s greedy policy (no exploration, no learning) plays "episodes" episodes on a separate environment with its own seeded randomness, recorded as eval/greedy_return at those episodes only; training is unchanged.',
  );

/** The seed of a run's evaluation environment: the first draw of the run's evaluation stream. */
export function evaluationSeed(runSeed: number): number {
  return new Rng(runSeed, Stream.eval).nextU32() | 0;
}

/** The first evaluation episode (0-based) at or after `from` in a run of `total` episodes, Infinity when none is left. */
export function nextEvaluationEpisode(from: number, every: number, total: number): number {
  if (from >= total) return Infinity;
  return Math.min(Math.ceil((from + 1) / every) * every - 1, total - 1);
}

/** The evaluation of one run: its own environment, its seed, and the next episode due. */
export class GreedyEvaluator {
  /** The next training episode (0-based) after which the policy is evaluated; Infinity when none is left. */
  next: number;
  readonly seed: number;

  constructor(
    private readonly env: Env<Observation>,
    private readonly settings: EvaluationSettings,
    runSeed: number,
    private readonly total: number,
    /** The run's first episode to play: 0, or where a resumed run continues. */
    first = 0,
  ) {
    this.seed = evaluationSeed(runSeed);
    this.next = nextEvaluationEpisode(first, settings.every, total);
  }

  /**
   * Plays the agent's greedy policy and writes the mean return and its standard deviation (NaN for
   * a single episode) into out[offset], out[offset + 1]; the next evaluation is then due.
   */
  evaluate(agent: Agent<Observation>, out: Float64Array, offset: number): void {
    const played = playPolicy(this.env, (observation) => agent.greedyAction(observation), this.settings.episodes, this.seed);
    out[offset] = played.meanReturn;
    out[offset + 1] = played.stdReturn;
    this.next = nextEvaluationEpisode(this.next + 1, this.settings.every, this.total);
  }
}
