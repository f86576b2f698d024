/** sha-256 of canonical JSON: the identity of a configuration, an MDP or a policy's provenance. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../engine/canonical';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function configHash(value: unknown): string {
  return sha256(canonicalJson(value));
}
