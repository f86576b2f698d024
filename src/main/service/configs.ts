/**
 * Run configurations as the app shows and compares them: an environment's fingerprint, a config
 * whose inline MDP is replaced by its hash (an MDP can hold millions of transitions: it is never
 * sent where a summary will do), and the dot paths ("agent.alpha") whose values differ.
 */
import type { ComponentConfig } from '../../engine/experiment';
import type { EnvFingerprint } from '../../engine/policy/format';
import { shownEnvConfig } from '../../engine/registry';
import { configHash } from '../hash';
import { createEnv, envFingerprint } from '../policies';

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
    return envFingerprint(env, createEnv(env));
  } catch {
    const { id, mdp, ...rest } = env;
    const mdpHash = typeof mdp === 'object' && mdp !== null ? configHash(mdp) : undefined;
    const params: Record<string, unknown> = mdpHash || mdp === undefined ? rest : { ...rest, mdp };
    const body = { id, params, ...(mdpHash ? { mdpHash } : {}) };
    return { ...body, hash: configHash(body) };
  }
}

/**
 * The behaviour part of a run's config with an inline MDP shown as "name · sha256 …" (its hash),
 * and without the environment parameters its others make inert (see shownEnvConfig).
 */
export function displayConfig(config: RunConfig): { env: Record<string, unknown>; agent: Record<string, unknown>; episodes: number } {
  const env: Record<string, unknown> = { ...shownEnvConfig(config.env) };
  if (typeof env.mdp === 'object' && env.mdp !== null) {
    const fingerprint = fingerprintOf(config.env);
    const name = (env.mdp as { name?: unknown }).name;
    env.mdp = `${typeof name === 'string' ? `${name} · ` : ''}sha256 ${fingerprint.mdpHash ?? '?'}`;
  }
  return { env, agent: { ...config.agent }, episodes: config.episodes };
}
