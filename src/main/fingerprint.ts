/**
 * An environment's identity, as exported policies carry it (`env`: its id, its parameters with an
 * MDP replaced by a hash, and a hash of those) and as a simulator experiment's fittedTo records
 * it. It covers what the environment does, not what it is called: an MDP's name is a display text.
 * A simulator fitted to logs is named "… from 10,000 rows", and when that wording changed (it was
 * "from 10000 rows") so did the hash of every simulator fitted after, which then read as another
 * environment than the one its policies and fits recorded.
 */
import type { Env, Observation } from '../engine/env';
import type { ComponentConfig } from '../engine/experiment';
import { createHash } from 'node:crypto';
import { canonicalMdpHead, writeCanonicalMdpRows, type Mdp } from '../engine/mdp/format';
import type { EnvFingerprint } from '../engine/policy/format';
import { configHash } from './hash';

/** The environment's identity: id, parameters (an MDP replaced by the hash of its data, without its name) and a hash of both. */
export function envFingerprint(config: ComponentConfig, env: Env<Observation>): EnvFingerprint {
  return fingerprints(config, env, false)[0]!;
}

/**
 * The fingerprints an environment may have been recorded under: this version's (envFingerprint),
 * then, for an MDP with a name, the one earlier versions took with the name in the MDP's hash. A
 * hash stored then (a policy file's env.hash, an experiment's fittedTo.envHash) is compared with
 * each, so what was exported or fitted before still names its environment. (Only this version's is
 * written: that one stays the same whatever the MDP is called.)
 */
export function envFingerprints(config: ComponentConfig, env: Env<Observation>): EnvFingerprint[] {
  return fingerprints(config, env, true);
}

/** envFingerprints, or only its first (this version's) when not `earlier`: an MDP is then hashed once, not twice. */
function fingerprints(config: ComponentConfig, env: Env<Observation>, earlier: boolean): EnvFingerprint[] {
  const mdp = (env as { mdp?: Mdp }).mdp;
  const { id: _id, ...params } = config as Record<string, unknown>;
  if (!mdp) return [withHash(config.id, params)];
  delete params.mdp;
  const { name: _name, ...data } = mdp;
  const [withoutName, withName] = mdpHashes(data, earlier ? mdp : data);
  const current = withHash(config.id, params, withoutName);
  return withName === undefined ? [current] : [current, withHash(config.id, params, withName)];
}

/**
 * sha-256 of canonicalMdpJson of the MDP without its name (`data`) and, when it has a name, with
 * it (`mdp`): the two texts differ in their head only, so their rows are written once and fed to
 * both hashes piece by piece (an MDP of a million transitions is some 30 MB of text, which was
 * made whole twice).
 */
function mdpHashes(data: Mdp, mdp: Mdp): [string, string | undefined] {
  const hashes = [createHash('sha256').update(canonicalMdpHead(data))];
  if (mdp.name !== undefined) hashes.push(createHash('sha256').update(canonicalMdpHead(mdp)));
  writeCanonicalMdpRows(mdp, (text) => {
    for (const hash of hashes) hash.update(text);
  });
  return [hashes[0]!.digest('hex'), hashes[1]?.digest('hex')];
}

/**
 * The fingerprints of a config that no longer builds an environment (written by an older
 * version), from its parameters alone: an inline MDP hashed as it stands, without its name, then
 * with it, as envFingerprints.
 */
export function configFingerprints(config: ComponentConfig): EnvFingerprint[] {
  const { id, mdp, ...rest } = config;
  if (typeof mdp !== 'object' || mdp === null) return [withHash(id, mdp === undefined ? rest : { ...rest, mdp })];
  const { name, ...data } = mdp as Record<string, unknown>;
  const current = withHash(id, rest, configHash(data));
  return name === undefined ? [current] : [current, withHash(id, rest, configHash(mdp))];
}

function withHash(id: string, params: Record<string, unknown>, mdpHash?: string): EnvFingerprint {
  const body = { id, params, ...(mdpHash !== undefined ? { mdpHash } : {}) };
  return { ...body, hash: configHash(body) };
}
