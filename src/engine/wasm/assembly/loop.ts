/**
 * The entry of the tabular kernel: the episode loop of src/engine/train.ts over the environment of
 * envs.ts and the agent of agents.ts, run a chunk of episodes at a time, each episode's metrics
 * (return, length, train/epsilon) written to a buffer the host reads after the chunk. The host
 * (src/engine/wasm/tabular.ts) copies tables and generator states in and out, and can save the
 * learning state before a chunk and restore it, to replay a chunk up to the episode where a hook
 * stopped the run.
 */
import { AGENT_RNG, ENV_RNG } from './rng';
import { envKind, envReset, envStep, envTerminated, envTruncated, SEED_TOY, stepReward, TABULAR_MDP } from './envs';
import { agentEnd, agentRule, agentStart, agentStep, DOUBLE_Q_LEARNING, episode, EXPECTED_SARSA, epsilon, Q_LEARNING, SARSA, setEpisode } from './agents';

import { seedToyQLearning } from './seed-toy-q';

import { writeEpisode } from './metrics';

export { useColumns } from './metrics';
export { useSeedToy, useTabularMdp } from './envs';
export { useAgent } from './agents';

/** Linear memory for the host's arrays (tables, MDP, metrics); the stub runtime never frees. */
export function allocate(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Where the environment's and the agent's generator states are (four u32 each). */
export function envRngAt(): usize {
  return ENV_RNG;
}

export function agentRngAt(): usize {
  return AGENT_RNG;
}

/** Episodes the agent has finished (the ε schedule's clock) and ε of the last one. */
export function agentEpisode(): f64 {
  return episode;
}

export function agentEpsilon(): f64 {
  return epsilon;
}

/**
 * Plays up to `maxEpisodes` episodes, stopping early once `stepBudget` steps have been taken
 * (checked after each episode, so at least one is played). Writes each episode's return, length
 * and ε to metrics[3·i ..]. Returns the number of episodes played.
 */
export function run(maxEpisodes: i32, stepBudget: f64, metrics: usize): i32 {
  if (envKind == SEED_TOY) {
    if (agentRule == Q_LEARNING) return seedToyQLearning(maxEpisodes, stepBudget, metrics);
    if (agentRule == SARSA) return seedToySarsa(maxEpisodes, stepBudget, metrics);
    if (agentRule == EXPECTED_SARSA) return seedToyExpectedSarsa(maxEpisodes, stepBudget, metrics);
    return seedToyDoubleQLearning(maxEpisodes, stepBudget, metrics);
  }
  if (agentRule == Q_LEARNING) return mdpQLearning(maxEpisodes, stepBudget, metrics);
  if (agentRule == SARSA) return mdpSarsa(maxEpisodes, stepBudget, metrics);
  if (agentRule == EXPECTED_SARSA) return mdpExpectedSarsa(maxEpisodes, stepBudget, metrics);
  return mdpDoubleQLearning(maxEpisodes, stepBudget, metrics);
}

// One loop per (environment, agent) pair: play() inlined with both kinds as constants, so each
// pair's loop has no dispatch and fewer live values (each is also compiled, and tiered up by V8,
// on its own). seed-toy × Q-learning, the brief's workload, has a loop of its own: seed-toy-q.ts.
function seedToySarsa(n: i32, budget: f64, metrics: usize): i32 {
  return play(SEED_TOY, SARSA, n, budget, metrics);
}
function seedToyExpectedSarsa(n: i32, budget: f64, metrics: usize): i32 {
  return play(SEED_TOY, EXPECTED_SARSA, n, budget, metrics);
}
function seedToyDoubleQLearning(n: i32, budget: f64, metrics: usize): i32 {
  return play(SEED_TOY, DOUBLE_Q_LEARNING, n, budget, metrics);
}
function mdpQLearning(n: i32, budget: f64, metrics: usize): i32 {
  return play(TABULAR_MDP, Q_LEARNING, n, budget, metrics);
}
function mdpSarsa(n: i32, budget: f64, metrics: usize): i32 {
  return play(TABULAR_MDP, SARSA, n, budget, metrics);
}
function mdpExpectedSarsa(n: i32, budget: f64, metrics: usize): i32 {
  return play(TABULAR_MDP, EXPECTED_SARSA, n, budget, metrics);
}
function mdpDoubleQLearning(n: i32, budget: f64, metrics: usize): i32 {
  return play(TABULAR_MDP, DOUBLE_Q_LEARNING, n, budget, metrics);
}

/** train.ts's episode loop for one environment kind and one agent rule. */
// @ts-ignore: decorator
@inline function play(env: i32, rule: i32, maxEpisodes: i32, stepBudget: f64, metrics: usize): i32 {
  let steps: f64 = 0;
  let played: i32 = 0;
  while (played < maxEpisodes) {
    let action = agentStart(rule, envReset(env));
    let episodeReturn: f64 = 0;
    let length: i32 = 0;
    while (true) {
      const observation = envStep(env, action);
      const reward = stepReward;
      const terminated = envTerminated(env);
      episodeReturn += reward;
      length++;
      if (terminated || envTruncated(length)) {
        agentEnd(rule, reward, observation, terminated);
        break;
      }
      action = agentStep(rule, reward, observation);
    }
    writeEpisode(metrics, played, episodeReturn, <f64>length, epsilon);
    played++;
    steps += <f64>length;
    if (steps >= stepBudget) break;
  }
  return played;
}

/**
 * Copies the learning state (both generators, the agent's clock, `tableBytes` bytes of tables
 * starting at `tables`) to `to`, or back from it. Environment states need no saving: between
 * episodes an environment holds nothing but its generator.
 */
export function save(to: usize, tables: usize, tableBytes: usize): void {
  memory.copy(to, ENV_RNG, 16);
  memory.copy(to + 16, AGENT_RNG, 16);
  store<f64>(to, episode, 32);
  memory.copy(to + 40, tables, tableBytes);
}

export function restore(from: usize, tables: usize, tableBytes: usize): void {
  memory.copy(ENV_RNG, from, 16);
  memory.copy(AGENT_RNG, from + 16, 16);
  setEpisode(load<f64>(from, 32));
  memory.copy(tables, from + 40, tableBytes);
}
