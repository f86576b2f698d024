/**
 * Pausing and resuming a run between two episodes: the state train.ts keeps when a hook stops it
 * (see TrainOptions.keepState), and how a fresh run built from the same spec takes it back (see
 * TrainOptions.resume). A resumed run plays on as the run would have without the pause: the same
 * metrics, summary, snapshots and final values, bit for bit.
 */
import { findAgent } from '../registry';
import type { PreparedRun, RunSpec } from '../train';
import { ValidationError } from '../params';
import type { RunState } from './format';
import { captureState, restoreState, StateMismatchError, type StateNode, type TypedArray } from './state-tree';

/**
 * The agents whose whole state the checkpoint is shown to hold: test/engine/resume.test.ts pauses
 * each on every environment it runs on and holds the resumed run to a straight one, bit for bit.
 * An agent is added here with its test, never before.
 */
export const RESUMABLE_AGENTS: ReadonlySet<string> = new Set([
  'q-learning',
  'sarsa',
  'expected-sarsa',
  'double-q-learning',
  'epsilon-greedy',
  'ucb1',
  'thompson',
  'linucb',
  'random',
  'most-popular',
  'myopic-oracle',
  'dqn',
  'ppo',
]);

/** Why a run of this agent cannot be paused and resumed, or null when it can. */
export function resumeProblem(agentId: string): string | null {
  if (RESUMABLE_AGENTS.has(agentId)) return null;
  const title = findAgent(agentId)?.title ?? agentId;
  return `agent.id: ${title} (${agentId}) cannot be paused and resumed yet: its runs can only be run again from the start`;
}

/** The loop's counters, as EpisodeLog (episode-log.ts) keeps them. */
export interface LoopCounters {
  played: number;
  steps: number;
  checkpointIndex: number;
  readonly sums: Float64Array;
  readonly missing: Float64Array;
  readonly tail: Float64Array;
}

/** Takes a run's state after `episode` episodes (a stop between two episodes). */
export function captureRun(spec: RunSpec, { env, agent }: PreparedRun, loop: LoopCounters): RunState {
  const blobs: TypedArray[] = [];
  return {
    envId: spec.env.id,
    agentId: spec.agent.id,
    seed: spec.seed,
    episodes: spec.episodes,
    episode: loop.played,
    loop: captureState(loop, blobs, 'loop'),
    env: captureState(env, blobs, 'env'),
    agent: captureState(agent, blobs, 'agent'),
    blobs,
  };
}

/**
 * Why `state` cannot resume a run of `spec` without building it (the agent is not resumable, or the
 * state is another run's): one line per field, empty when it can.
 */
export function stateProblems(spec: RunSpec, state: RunState): string[] {
  const problem = resumeProblem(spec.agent.id);
  if (problem) return [problem];
  const expected: Record<string, unknown> = { envId: spec.env.id, agentId: spec.agent.id, seed: spec.seed, episodes: spec.episodes };
  const wrong = Object.keys(expected).filter((key) => state[key as keyof RunState] !== expected[key]);
  const problems = wrong.map((key) => `checkpoint.${key}: ${JSON.stringify(state[key as keyof RunState])} is not the run's ${JSON.stringify(expected[key])}: the checkpoint belongs to another run`);
  if (!(state.episode >= 0 && state.episode <= spec.episodes)) problems.push(`checkpoint.episode: ${state.episode} is outside the run's 0..${spec.episodes}`);
  return problems;
}

/**
 * A checkpoint that the run built from its spec cannot take back (another run's, or one saved by an
 * Aisle whose run held other tables or metrics): what restoreRun throws, so that a worker resuming
 * a run can tell a refused checkpoint, which leaves the run paused as it was, from a run that fails.
 */
export class CheckpointMismatchError extends ValidationError {}

/**
 * Puts a run's state back into `prepared` (just built from `spec`) and `loop`; returns the episode
 * to continue at. Throws a CheckpointMismatchError naming the field when the state is of another
 * run or does not fit it.
 */
export function restoreRun(spec: RunSpec, prepared: PreparedRun, loop: LoopCounters, state: RunState): number {
  const problems = stateProblems(spec, state);
  if (problems.length > 0) throw new CheckpointMismatchError(problems);
  // The environment's generator and per-run state (a bandit's arm values) come with the first
  // seeded reset; a reset now gives the fresh environment the fields the checkpoint fills.
  prepared.env.reset(spec.seed);
  try {
    restore(loop, state.loop, state, 'loop');
    restore(prepared.env, state.env, state, 'env');
    restore(prepared.agent, state.agent, state, 'agent');
  } catch (e) {
    if (e instanceof StateMismatchError) throw new CheckpointMismatchError([`checkpoint.${e.message}: the checkpoint does not fit the run (saved by another version of Aisle?)`]);
    throw e;
  }
  if (loop.played !== state.episode) throw new CheckpointMismatchError([`checkpoint.loop.played: ${loop.played} episodes, the checkpoint says ${state.episode}`]);
  return state.episode;
}

function restore(target: object, node: StateNode, state: RunState, path: string): void {
  restoreState(target, node, state.blobs, path);
}
