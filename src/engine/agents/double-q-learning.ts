/**
 * Double Q-learning (van Hasselt 2010; Sutton & Barto 2018, §6.7). Q-learning's target
 * max_a Q(S',a) uses the same noisy estimates to pick the best action and to value it, so it is
 * biased upwards (maximization bias). Two independent tables split the roles: one picks, the other
 * values. The agent behaves ε-greedily on Q1 + Q2 and, on each transition,
 *
 *   with probability 0.5:
 *     Q1(S,A) ← Q1(S,A) + α[R + γ Q2(S', argmax_a Q1(S',a)) − Q1(S,A)]
 *   else:
 *     Q2(S,A) ← Q2(S,A) + α[R + γ Q1(S', argmax_a Q2(S',a)) − Q2(S,A)]
 *
 * At a terminal S' the target is R alone; at a time-limit truncation it bootstraps from S'.
 * Its action values (values(), greedyAction) are the average (Q1 + Q2) / 2.
 */
import { argmax, type TabularValues } from '../agent';
import { defineAgent, needsDiscreteObservations, type AgentContext } from '../definitions';
import { createQTable, epsilonGreedyAction, tableSizeProblems, TabularAgent, tabularParams, type TabularParams, EPSILON_METRIC_DIRECTIONS } from './tabular';

class DoubleQLearningAgent extends TabularAgent {
  private readonly q1: Float64Array;
  private readonly q2: Float64Array;
  /** Q1(s,·) + Q2(s,·) of the state being acted in. */
  private readonly rowSum: Float64Array;

  constructor(params: TabularParams, ctx: AgentContext) {
    super('double-q-learning', params, ctx);
    this.q1 = createQTable(this.states, this.actions, params.initialQ);
    this.q2 = createQTable(this.states, this.actions, params.initialQ);
    this.rowSum = new Float64Array(this.actions);
  }

  private sumRow(state: number): Float64Array {
    const q1 = this.q1;
    const q2 = this.q2;
    const rowSum = this.rowSum;
    const nActions = this.actions;
    const row = state * nActions;
    for (let a = 0; a < nActions; a++) rowSum[a] = q1[row + a]! + q2[row + a]!;
    return rowSum;
  }

  /** ε-greedy on Q1 + Q2 (the same argmax as on their average). */
  protected override behave(state: number): number {
    return epsilonGreedyAction(this.sumRow(state), 0, this.actions, this.epsilon, this.rng);
  }

  override greedyAction(state: number): number {
    return argmax(this.sumRow(state), 0, this.actions);
  }

  private learn(reward: number, nextState: number, terminated: boolean): void {
    const updateFirst = this.rng.next() < 0.5;
    const qUpdated = updateFirst ? this.q1 : this.q2; // picks the action and is updated
    const qOther = updateFirst ? this.q2 : this.q1; // values the picked action
    const nActions = this.actions;
    const sa = this.lastState * nActions + this.lastAction;
    let tdTarget = reward;
    if (!terminated) {
      const next = nextState * nActions;
      tdTarget += this.gamma * qOther[next + argmax(qUpdated, next, nActions)]!;
    }
    const tdError = tdTarget - qUpdated[sa]!;
    qUpdated[sa] = qUpdated[sa]! + this.alpha * tdError;
  }

  step(reward: number, nextState: number): number {
    this.learn(reward, nextState, false);
    const action = this.behave(nextState);
    this.lastState = nextState;
    this.lastAction = action;
    return action;
  }

  end(reward: number, nextState: number, terminated: boolean): void {
    this.learn(reward, nextState, terminated);
    this.finishEpisode();
  }

  protected override learnedTables(): readonly Float64Array[] {
    return [this.q1, this.q2];
  }

  /** (Q1 + Q2) / 2, computed into the preallocated table on each call. */
  override values(): TabularValues {
    const q = this.q;
    const q1 = this.q1;
    const q2 = this.q2;
    for (let i = 0; i < q.length; i++) q[i] = (q1[i]! + q2[i]!) * 0.5;
    return super.values();
  }
}

export const doubleQLearning = defineAgent({
  id: 'double-q-learning',
  title: 'Double Q-learning',
  description:
    'Q-learning with two value tables, one choosing the best next item and the other valuing it, which removes the overestimation that the max causes when rewards are noisy. ' +
    'Prefer it over Q-learning when many items have similar, noisy payoffs (click or conversion rewards): Q-learning then chases lucky items. It learns somewhat more slowly, since each table sees half the updates.',
  family: 'tabular',
  keeps: ['table'],
  params: tabularParams,
  metricDirections: EPSILON_METRIC_DIRECTIONS,
  compatible: (observationSpace) => needsDiscreteObservations('double-q-learning', observationSpace),
  check: (_params, env) => tableSizeProblems(env, 2),
  create: (params, ctx) => new DoubleQLearningAgent(params, ctx),
});
