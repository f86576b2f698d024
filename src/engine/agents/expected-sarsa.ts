/**
 * Expected SARSA (van Seijen et al. 2009; Sutton & Barto 2018, §6.6): SARSA with the sampled A'
 * replaced by its expectation under the ε-greedy behaviour policy π, which removes the variance
 * that the random choice of A' adds to the target.
 *
 *   Q(S,A) ← Q(S,A) + α[R + γ Σ_a π(a|S') Q(S',a) − Q(S,A)]
 *   π(a|s) = ε/|A| + (1 − ε)/|A*(s)| for the maximal actions A*(s), ε/|A| for the others
 *
 * At a terminal S' the target is R alone; at a time-limit truncation it bootstraps from S'.
 */
import { defineAgent, needsDiscreteObservations, type AgentContext } from '../definitions';
import { epsilonGreedyAction, epsilonGreedyProbabilities, tableSizeProblems, TabularAgent, tabularParams, type TabularParams, EPSILON_METRIC_DIRECTIONS } from './tabular';

class ExpectedSarsaAgent extends TabularAgent {
  /** π(·|S'), rewritten at every update. */
  private readonly pi: Float64Array;

  constructor(params: TabularParams, ctx: AgentContext) {
    super('expected-sarsa', params, ctx);
    this.pi = new Float64Array(this.actions);
  }

  /** Σ_a π(a|s) Q(s,a) under this episode's ε. */
  private expectedValue(state: number): number {
    const q = this.q;
    const pi = this.pi;
    const nActions = this.actions;
    const row = state * nActions;
    epsilonGreedyProbabilities(pi, q, row, nActions, this.epsilon);
    let expected = 0;
    for (let a = 0; a < nActions; a++) expected += pi[a]! * q[row + a]!;
    return expected;
  }

  step(reward: number, nextState: number): number {
    const q = this.q;
    const nActions = this.actions;
    const sa = this.lastState * nActions + this.lastAction;
    const tdTarget = reward + this.gamma * this.expectedValue(nextState);
    const tdError = tdTarget - q[sa]!;
    q[sa] = q[sa]! + this.alpha * tdError;
    const action = epsilonGreedyAction(q, nextState * nActions, nActions, this.epsilon, this.rng);
    this.lastState = nextState;
    this.lastAction = action;
    return action;
  }

  end(reward: number, nextState: number, terminated: boolean): void {
    const q = this.q;
    const sa = this.lastState * this.actions + this.lastAction;
    const tdTarget = terminated ? reward : reward + this.gamma * this.expectedValue(nextState);
    const tdError = tdTarget - q[sa]!;
    q[sa] = q[sa]! + this.alpha * tdError;
    this.finishEpisode();
  }
}

export const expectedSarsa = defineAgent({
  id: 'expected-sarsa',
  title: 'Expected SARSA',
  description:
    'SARSA that averages over the next action instead of sampling it: the target uses the exploring policy’s expected value of the next state. ' +
    'Same on-policy caution as SARSA with lower-variance updates, so it tolerates larger step sizes α; a good default when rewards such as clicks are noisy.',
  family: 'tabular',
  keeps: ['table'],
  params: tabularParams,
  metricDirections: EPSILON_METRIC_DIRECTIONS,
  compatible: (observationSpace) => needsDiscreteObservations('expected-sarsa', observationSpace),
  check: (_params, env) => tableSizeProblems(env),
  create: (params, ctx) => new ExpectedSarsaAgent(params, ctx),
});
