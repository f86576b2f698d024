/** Why a run has no Q-table to show: the words qtables.get refuses with and runs.get gives the Q-tables screen. */
import { findAgent } from '../../engine/registry';

/**
 * Why a run has no Q-table to show, or undefined when it has one (a 'qtable' checkpoint among
 * `checkpointKinds`): its agent learns a network (PPO, LinUCB; DQN, whose table of Q values exists
 * only on states it can list, and whose checkpoints here are its weights) or no values at all (a
 * baseline), or it has not stored its first checkpoint. Said by qtables.get's refusal, and by
 * runs.get (RunDetail.noQTable) so that the Q-tables screen says it without a read that fails.
 */
export function noQTableReason(runId: number, status: string, agentId: string, checkpointKinds: readonly string[]): string | undefined {
  if (checkpointKinds.includes('qtable')) return undefined;
  const agent = findAgent(agentId);
  const title = agent?.title.replace(/ \(.*\)$/, '') ?? agentId; // 'PPO (proximal policy optimization)' reads PPO
  const weights = checkpointKinds.includes('weights');
  if (agent !== undefined && agent.keeps.length === 0) return `run ${runId} has no Q-table: its agent (${agentId}) is a baseline that learns no values: pick a run of a tabular agent`;
  if (weights || (agent !== undefined && !agent.keeps.includes('table'))) {
    const what = agent?.family === 'bandit' ? 'a linear model of the features per action' : 'a network';
    // DQN tabulates its network's Q values where it can list the states: not on feature vectors, nor past a table's size.
    const only = agent?.keeps.includes('table') ? ', whose Q values make a table only on discrete states (a shop observed as feature vectors gives none)' : '';
    return `run ${runId} has no Q-table: ${title} learns ${what}${only}; export or evaluate its policy on the Policies screen`;
  }
  if (status === 'queued' || status === 'running') return `run ${runId} has no Q-table yet (status ${status}): a tabular agent saves one at its checkpoints and at the end`;
  return `run ${runId} has no Q-table (agent ${agentId}, status ${status}): it stopped before its first checkpoint; a tabular agent saves one at its checkpoints and at the end`;
}
