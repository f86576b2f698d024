/**
 * Gymnasium's env checker for Aisle's Env interface: declared spaces, observations inside them,
 * finite rewards, boolean end flags, episode metrics of the declared length, and determinism (same
 * seed and actions ⇒ same trajectory; a different seed ⇒ a different one). Every environment passes
 * it in tests.
 */
import type { Env, Observation } from './env';
import { Rng, Stream } from './rng';
import { contains, describeSpace, type Space } from './spaces';

export interface CheckEnvOptions {
  /** Seed of the first reset (default 0); the different-seed check uses seed + 1. */
  seed?: number;
  /** Steps per trajectory (default 1000). */
  steps?: number;
  /** The environment ignores its seed (for example an MDP with deterministic start and transitions). */
  deterministic?: boolean;
}

/** What one run of the checker saw: one entry per step (and per episode end), for comparing runs. */
interface Trajectory {
  readonly trace: number[];
  readonly problems: string[];
}

function spaceProblems(name: string, space: Space | undefined): string[] {
  if (!space || typeof space !== 'object') return [`${name} is not declared`];
  if (space.kind === 'discrete') {
    if (!Number.isInteger(space.n) || space.n < 1) return [`${name} is Discrete(${space.n}): n must be a whole number ≥ 1`];
    if (space.labels && space.labels.length !== space.n) return [`${name} has ${space.labels.length} labels for ${space.n} elements`];
    return [];
  }
  if (space.kind === 'box') {
    if (!Number.isInteger(space.size) || space.size < 1) return [`${name} is a Box of size ${space.size}: the size must be a whole number ≥ 1`];
    if (Number.isNaN(space.low) || Number.isNaN(space.high) || space.low > space.high) return [`${name} has bounds [${space.low}, ${space.high}]: need low ≤ high`];
    if (space.labels && space.labels.length !== space.size) return [`${name} has ${space.labels.length} labels for ${space.size} features`];
    return [];
  }
  return [`${name} has an unknown kind ${JSON.stringify((space as { kind: unknown }).kind)}`];
}

function show(value: unknown): string {
  if (value instanceof Float32Array) return `Float32Array(${value.length}) [${Array.from(value.subarray(0, 4)).join(', ')}${value.length > 4 ? ', …' : ''}]`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Appends an observation's numbers (copied: environments may reuse their buffers). */
function record(trace: number[], obs: Observation): void {
  if (typeof obs === 'number') trace.push(obs);
  else for (let i = 0; i < obs.length; i++) trace.push(obs[i]!);
}

/**
 * Resets with `seed` and plays `actions`, resetting (without a seed) after each episode. Stops at
 * the first problem: later steps would only repeat it.
 */
function play(env: Env, seed: number, actions: Int32Array): Trajectory {
  const trace: number[] = [];
  const problems: string[] = [];
  const metrics = new Float64Array(env.episodeMetricNames.length + 2);
  const where = (i: number) => `step ${i} (seed ${seed})`;
  let obs: Observation;
  try {
    obs = env.reset(seed);
  } catch (e) {
    return { trace, problems: [`reset(${seed}) threw: ${(e as Error).message}`] };
  }
  if (!contains(env.observationSpace, obs)) return { trace, problems: [`reset(${seed}) returned ${show(obs)}, outside the observation space ${describeSpace(env.observationSpace)}`] };
  record(trace, obs);
  for (let i = 0; i < actions.length; i++) {
    try {
      const r = env.step(actions[i]!);
      if (!contains(env.observationSpace, r.observation)) problems.push(`${where(i)}: observation ${show(r.observation)} is outside the observation space ${describeSpace(env.observationSpace)}`);
      if (typeof r.reward !== 'number' || !Number.isFinite(r.reward)) problems.push(`${where(i)}: reward ${show(r.reward)} is not a finite number`);
      if (typeof r.terminated !== 'boolean' || typeof r.truncated !== 'boolean') problems.push(`${where(i)}: terminated and truncated must be booleans, got ${show(r.terminated)} and ${show(r.truncated)}`);
      if (problems.length > 0) break;
      record(trace, r.observation);
      trace.push(r.reward, r.terminated ? 1 : 0, r.truncated ? 1 : 0);
      if (!r.terminated && !r.truncated) continue;
      // The sentinels around the slice catch writes outside the declared metrics.
      metrics.fill(NaN);
      env.episodeMetrics(metrics, 1);
      const n = env.episodeMetricNames.length;
      for (let m = 1; m <= n; m++) if (!Number.isFinite(metrics[m]!)) problems.push(`${where(i)}: episode metric "${env.episodeMetricNames[m - 1]}" is ${metrics[m]}, not a finite number`);
      if (!Number.isNaN(metrics[0]!) || !Number.isNaN(metrics[n + 1]!)) problems.push(`${where(i)}: episodeMetrics wrote outside its ${n} slot${n === 1 ? '' : 's'} (episodeMetricNames has ${n} names)`);
      if (problems.length > 0) break;
      for (let m = 1; m <= n; m++) trace.push(metrics[m]!);
      obs = env.reset();
      if (!contains(env.observationSpace, obs)) {
        problems.push(`${where(i)}: reset() returned ${show(obs)}, outside the observation space ${describeSpace(env.observationSpace)}`);
        break;
      }
      record(trace, obs);
    } catch (e) {
      problems.push(`${where(i)}: threw ${(e as Error).message}`);
      break;
    }
  }
  return { trace, problems };
}

function firstDifference(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : n;
}

/** Problems found with the environments `factory` makes; an empty list means it passes. */
export function checkEnv(factory: () => Env, opts: CheckEnvOptions = {}): string[] {
  const { seed = 0, steps = 1000, deterministic = false } = opts;
  let env: Env;
  try {
    env = factory();
  } catch (e) {
    return [`the factory threw: ${(e as Error).message}`];
  }
  const problems = [...spaceProblems('observationSpace', env.observationSpace), ...spaceProblems('actionSpace', env.actionSpace)];
  if (env.actionSpace?.kind !== 'discrete') problems.push('actionSpace must be discrete');
  if (typeof env.id !== 'string' || env.id === '') problems.push('id must be a non-empty string');
  const names = env.episodeMetricNames;
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n === '')) problems.push('episodeMetricNames must be an array of non-empty strings');
  else if (new Set(names).size !== names.length) problems.push(`episodeMetricNames has repeats: ${names.join(', ')}`);
  if (problems.length > 0) return problems;

  const rng = new Rng(seed, Stream.eval);
  const actions = new Int32Array(steps);
  for (let i = 0; i < steps; i++) actions[i] = rng.int(env.actionSpace.n);
  const first = play(env, seed, actions);
  if (first.problems.length > 0) return first.problems;

  // Determinism: a fresh env, same seed and actions; then the first env reseeded.
  const again = play(factory(), seed, actions);
  let at = firstDifference(first.trace, again.trace);
  if (again.problems.length > 0 || at >= 0) problems.push(`two environments with seed ${seed} and the same actions differ (at trace entry ${at}): every random draw must come from the generator seeded in reset(seed)`);
  const reseeded = play(env, seed, actions);
  at = firstDifference(first.trace, reseeded.trace);
  if (reseeded.problems.length > 0 || at >= 0) problems.push(`reset(${seed}) on a used environment does not reproduce a fresh one (trace entry ${at}): reseed every source of randomness in reset(seed)`);
  if (!deterministic) {
    const other = play(factory(), seed + 1, actions);
    if (other.problems.length === 0 && firstDifference(first.trace, other.trace) < 0) {
      problems.push(`seeds ${seed} and ${seed + 1} give the same trajectory: the seed is ignored (pass deterministic: true if the environment has no randomness)`);
    }
  }

  // Stepping past the end may throw, but a reset afterwards must work.
  try {
    const ended = factory();
    ended.reset(seed);
    for (let i = 0; i < steps; i++) {
      const r = ended.step(actions[i]!);
      if (!r.terminated && !r.truncated) continue;
      try {
        ended.step(actions[i]!);
      } catch {
        // allowed
      }
      const obs = ended.reset();
      if (!contains(ended.observationSpace, obs)) problems.push(`reset() after stepping past the end of an episode returned ${show(obs)}, outside the observation space`);
      else ended.step(actions[0]!);
      break;
    }
  } catch (e) {
    problems.push(`reset() and step() after stepping past the end of an episode failed: ${(e as Error).message}`);
  }
  return problems;
}

/** Throws an Error listing every problem checkEnv finds. */
export function assertEnv(factory: () => Env, opts: CheckEnvOptions = {}): void {
  const problems = checkEnv(factory, opts);
  if (problems.length > 0) throw new Error(`the environment fails checkEnv:\n- ${problems.join('\n- ')}`);
}
