/**
 * Run configurations as the app shows and compares them: an environment's fingerprint, a config
 * whose inline MDP is replaced by its hash (an MDP can hold millions of transitions: it is never
 * sent where a summary will do), and the dot paths ("agent.alpha") whose values differ.
 */
import type { ComponentConfig } from '../../engine/experiment';
import type { EnvFingerprint } from '../../engine/policy/format';
import { shownEnvConfig } from '../../engine/registry';
import { mdpSummary } from '../../shared/inline-files';
import { configFingerprints, envFingerprint, envFingerprints } from '../fingerprint';
import { createEnv } from '../policies';

export { describeSetting, differingPaths, flatten } from '../config-paths';

export interface RunConfig {
  readonly env: ComponentConfig;
  readonly agent: ComponentConfig;
  readonly episodes: number;
  readonly seed: number;
}

/**
 * The environment's fingerprint as exported policies carry it. A config that no longer builds an
 * environment (written by an older version) still gets one, from its parameters alone.
 */
export function fingerprintOf(env: ComponentConfig): EnvFingerprint {
  try {
    return envFingerprint(env, createEnv(env)); // not the earlier ones: a large MDP is hashed once
  } catch {
    return configFingerprints(env)[0]!;
  }
}

/** fingerprintOf's, then those earlier versions recorded the environment under (see envFingerprints). */
export function fingerprintsOf(env: ComponentConfig): EnvFingerprint[] {
  try {
    return envFingerprints(env, createEnv(env));
  } catch {
    return configFingerprints(env);
  }
}

/** Fingerprints by run config hash (content-addressed: the same config, the same fingerprint). */
const fingerprints = new Map<string, EnvFingerprint>();
const CACHED_FINGERPRINTS = 64;

/**
 * fingerprintOf a stored run's environment, computed once per config: it builds the environment,
 * which for an inline MDP of a million transitions takes ~1.5 s, and run detail asks every 2 s
 * while a run trains (Q-tables and Compare ask too).
 */
export function runFingerprint(run: { readonly configHash: string; readonly config: unknown }): EnvFingerprint {
  const cached = fingerprints.get(run.configHash);
  if (cached) {
    fingerprints.delete(run.configHash); // most recently used last
    fingerprints.set(run.configHash, cached);
    return cached;
  }
  const fingerprint = fingerprintOf((run.config as RunConfig).env);
  fingerprints.set(run.configHash, fingerprint);
  if (fingerprints.size > CACHED_FINGERPRINTS) fingerprints.delete(fingerprints.keys().next().value!);
  return fingerprint;
}

/**
 * An environment config as run detail lists it: without inert parameters (see shownEnvConfig),
 * and an inline MDP as its name and sizes (what the app's tables show of it), not its
 * transitions: a million of them would be tens of MB on every refresh.
 */
export function listedEnvConfig(env: ComponentConfig): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...shownEnvConfig(env) };
  const mdp = mdpSummary(shown.mdp);
  if (mdp) shown.mdp = { ...(mdp.name !== null ? { name: mdp.name } : {}), states: mdp.states, actions: mdp.actions };
  return shown;
}

/**
 * The behaviour part of a run's config with an inline MDP shown as "name · sha256 …" (its hash),
 * and without the environment parameters its others make inert (see shownEnvConfig).
 */
export function displayConfig(run: { readonly configHash: string; readonly config: unknown }): { env: Record<string, unknown>; agent: Record<string, unknown>; episodes: number } {
  const config = run.config as RunConfig;
  const env: Record<string, unknown> = { ...shownEnvConfig(config.env) };
  if (typeof env.mdp === 'object' && env.mdp !== null) {
    const fingerprint = runFingerprint(run);
    const name = (env.mdp as { name?: unknown }).name;
    env.mdp = `${typeof name === 'string' ? `${name} · ` : ''}sha256 ${fingerprint.mdpHash ?? '?'}`;
  }
  return { env, agent: { ...config.agent }, episodes: config.episodes };
}
