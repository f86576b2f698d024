/**
 * SARSA (Rummery & Niranjan 1994; Sutton & Barto 2018, §6.4): on-policy TD control. It chooses
 * the next action A' first, with the same ε-greedy policy it follows, then learns from the
 * quintuple (S, A, R, S', A'), so Q estimates the value of the exploring policy itself.
 *
 *   choose A' from S' ε-greedily on Q
 *   Q(S,A) ← Q(S,A) + α[R + γ Q(S',A') − Q(S,A)]
 *
 * At a terminal S' the target is R alone. At a time-limit truncation no A' will be taken, so the
 * agent draws the A' it would have taken from the same ε-greedy policy and bootstraps from it.
 * With ε decaying to 0 the policy becomes greedy and Q converges to q*.
 */
import { defineAgent, needsDiscreteObservations, type AgentContext } from '../definitions';
import { epsilonGreedyAction, tableSizeProblems, TabularAgent, tabularParams, type TabularParams, EPSILON_METRIC_DIRECTIONS } from './tabular';

class SarsaAgent extends TabularAgent {
  constructor(params: TabularParams, ctx: AgentContext) {
    super('sarsa', params, ctx);
  }

  step(reward: number, nextState: number): number {
    const q = this.q;
    const nActions = this.actions;
    const next = nextState * nActions;
    const nextAction = epsilonGreedyAction(q, next, nActions, this.epsilon, this.rng);
    const sa = this.lastState * nActions + this.lastAction;
    const tdTarget = reward + this.gamma * q[next + nextAction]!;
    const tdError = tdTarget - q[sa]!;
    q[sa] = q[sa]! + this.alpha * tdError;
    this.lastState = nextState;
    this.lastAction = nextAction;
    return nextAction;
  }

  end(reward: number, nextState: number, terminated: boolean): void {
    const q = this.q;
    const nActions = this.actions;
    const sa = this.lastState * nActions + this.lastAction;
    let tdTarget = reward;
    if (!terminated) {
      const next = nextState * nActions;
      tdTarget += this.gamma * q[next + epsilonGreedyAction(q, next, nActions, this.epsilon, this.rng)]!;
    }
    const tdError = tdTarget - q[sa]!;
    q[sa] = q[sa]! + this.alpha * tdError;
    this.finishEpisode();
  }
}

export const sarsa = defineAgent({
  id: 'sarsa',
  title: 'SARSA',
  description:
    'On-policy TD control: learns the value of the ε-greedy policy it actually follows, exploration included, so it prefers recommendations that stay safe when an exploratory pick goes wrong. ' +
    'Use it when the agent keeps exploring in production; decay ε to 0 for it to converge to the optimal policy.',
  family: 'tabular',
  keeps: ['table'],
  params: tabularParams,
  metricDirections: EPSILON_METRIC_DIRECTIONS,
  compatible: (observationSpace) => needsDiscreteObservations('sarsa', observationSpace),
  check: (_params, env) => tableSizeProblems(env),
  create: (params, ctx) => new SarsaAgent(params, ctx),
});
