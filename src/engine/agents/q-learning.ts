/**
 * Q-learning (Watkins 1989; Sutton & Barto 2018, §6.5): off-policy TD control. The agent behaves
 * ε-greedily but learns the values of the greedy policy, so Q converges to q* whatever the
 * exploration (given every pair keeps being tried).
 *
 *   Q(S,A) ← Q(S,A) + α[R + γ max_a Q(S',a) − Q(S,A)]
 *
 * At a terminal S' the target is R alone; at a time-limit truncation it still bootstraps from S'.
 */
import { maxOf } from '../agent';
import { defineAgent, needsDiscreteObservations, type AgentContext } from '../definitions';
import { epsilonGreedyAction, tableSizeProblems, TabularAgent, tabularParams, type TabularParams, EPSILON_METRIC_DIRECTIONS } from './tabular';

class QLearningAgent extends TabularAgent {
  constructor(params: TabularParams, ctx: AgentContext) {
    super('q-learning', params, ctx);
  }

  step(reward: number, nextState: number): number {
    const q = this.q;
    const nActions = this.actions;
    const next = nextState * nActions;
    const sa = this.lastState * nActions + this.lastAction;
    const tdTarget = reward + this.gamma * maxOf(q, next, nActions);
    const tdError = tdTarget - q[sa]!;
    q[sa] = q[sa]! + this.alpha * tdError;
    const action = epsilonGreedyAction(q, next, nActions, this.epsilon, this.rng);
    this.lastState = nextState;
    this.lastAction = action;
    return action;
  }

  end(reward: number, nextState: number, terminated: boolean): void {
    const q = this.q;
    const nActions = this.actions;
    const sa = this.lastState * nActions + this.lastAction;
    const tdTarget = terminated ? reward : reward + this.gamma * maxOf(q, nextState * nActions, nActions);
    const tdError = tdTarget - q[sa]!;
    q[sa] = q[sa]! + this.alpha * tdError;
    this.finishEpisode();
  }
}

export const qLearning = defineAgent({
  id: 'q-learning',
  title: 'Q-learning',
  description:
    'Off-policy TD control: explores ε-greedily but learns the value of always taking the best-looking item next, so it finds the optimal policy even while exploring. ' +
    'Fast and sample-efficient on small state spaces, but the max in its target overestimates values when rewards are noisy (see Double Q-learning), and its greedy policy ignores the cost of the exploration it will keep doing online (see SARSA).',
  family: 'tabular',
  keeps: ['table'],
  params: tabularParams,
  metricDirections: EPSILON_METRIC_DIRECTIONS,
  compatible: (observationSpace) => needsDiscreteObservations('q-learning', observationSpace),
  check: (_params, env) => tableSizeProblems(env),
  create: (params, ctx) => new QLearningAgent(params, ctx),
});
