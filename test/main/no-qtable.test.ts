// Why a run has no Q-table, in the words the Q-tables screen shows (runs.get's noQTable) and
// qtables.get refuses with: a network's agent, a baseline, a run that has stored none yet.
import { describe, expect, it } from 'vitest';
import { noQTableReason } from '../../src/main/service/no-qtable';

describe('noQTableReason', () => {
  it('says what the agent learns instead, or that the run has stored none yet', () => {
    expect(noQTableReason(11, 'completed', 'dqn', ['weights', 'weights'])).toBe(
      'run 11 has no Q-table: DQN learns a network, whose Q values make a table only on discrete states (a shop observed as feature vectors gives none); export or evaluate its policy on the Policies screen',
    );
    expect(noQTableReason(4, 'running', 'ppo', [])).toBe('run 4 has no Q-table: PPO learns a network; export or evaluate its policy on the Policies screen');
    expect(noQTableReason(5, 'completed', 'linucb', ['weights'])).toBe('run 5 has no Q-table: LinUCB learns a linear model of the features per action; export or evaluate its policy on the Policies screen');
    expect(noQTableReason(6, 'completed', 'myopic-oracle', [])).toBe('run 6 has no Q-table: its agent (myopic-oracle) is a baseline that learns no values: pick a run of a tabular agent');
    // DQN on discrete states before its first checkpoint may still store a table.
    expect(noQTableReason(7, 'running', 'dqn', [])).toBe('run 7 has no Q-table yet (status running): a tabular agent saves one at its checkpoints and at the end');
    expect(noQTableReason(8, 'completed', 'q-learning', ['qtable'])).toBeUndefined();
    expect(noQTableReason(9, 'completed', 'dqn', ['qtable', 'weights'])).toBeUndefined();
  });
});
