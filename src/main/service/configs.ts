/**
 * Run configurations as the app shows and compares them: an environment's fingerprint, a config
 * whose inline MDP is replaced by its hash (an MDP can hold millions of transitions: it is never
 * sent where a summary will do), and the dot paths ("agent.alpha") whose values differ.
 */
import type { ComponentConfig } from '../../engine/experiment';
import type { EnvFingerprint } from '../../engine/policy/format';
import { canonicalJson } from '../../engine/canonical';
import { configHash } from '../hash';
import { createEnv, envFingerprint } from '../policies';

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

/** The behaviour part of a run's config with an inline MDP shown as "name · sha256 …" (its hash). */
export function displayConfig(config: RunConfig): { env: Record<string, unknown>; agent: Record<string, unknown>; episodes: number } {
  const env: Record<string, unknown> = { ...config.env };
  if (typeof env.mdp === 'object' && env.mdp !== null) {
    const fingerprint = fingerprintOf(config.env);
    const name = (env.mdp as { name?: unknown }).name;
    env.mdp = `${typeof name === 'string' ? `${name} · ` : ''}sha256 ${fingerprint.mdpHash ?? '?'}`;
  }
  return { env, agent: { ...config.agent }, episodes: config.episodes };
}

/** Leaves of a JSON value by dot path ("agent.epsilon.start"), as canonical JSON; arrays are leaves. */
export function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out.set(prefix, canonicalJson(value));
  }
  return out;
}

/** Paths whose values are not the same in every config (missing counts as a value), in first-seen order. */
export function differingPaths(configs: readonly unknown[]): string[] {
  const flat = configs.map((c) => flatten(c));
  const paths = new Set<string>();
  for (const f of flat) for (const path of f.keys()) paths.add(path);
  return [...paths].filter((path) => flat.some((f) => f.get(path) !== flat[0]!.get(path)));
}

/** "agent.alpha=0.5": a setting for a label (strings unquoted). */
export function describeSetting(config: unknown, path: string): string {
  const value = flatten(config).get(path);
  const shown = value === undefined ? '–' : value.startsWith('"') ? (JSON.parse(value) as string) : value;
  return `${path}=${shown}`;
}
