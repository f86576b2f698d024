/**
 * The `aisle.policy/v1` file: what a run learned, in a form a small runtime can serve. A tabular
 * policy holds the state and action labels, the Q-table, the greedy action per state, the
 * environment's fingerprint (so evaluating it elsewhere is noticed) and its provenance.
 */
import * as z from 'zod';
import { loadPolicy, PolicyLoadError } from './runtime';
import { ValidationError, formatIssues } from '../params';

export const POLICY_FORMAT = 'aisle.policy/v1';

export const envFingerprintSchema = z
  .object({
    id: z.string().describe('Environment id.'),
    params: z.record(z.string(), z.unknown()).describe('Environment parameters (an inline MDP is replaced by its hash).'),
    mdpHash: z.string().optional().describe('sha-256 of the canonical MDP, for tabular-mdp.'),
    hash: z.string().describe('sha-256 of the canonical fingerprint (id, params, mdpHash).'),
  })
  .strict();

export const provenanceSchema = z
  .object({
    runId: z.number().int(),
    experimentId: z.number().int().optional(),
    experimentName: z.string().optional(),
    agent: z.string(),
    seed: z.number().int(),
    episodes: z.number().int(),
    configHash: z.string(),
    appVersion: z.string(),
    createdAt: z.string(),
  })
  .strict();

export const policyFileSchema = z
  .object({
    format: z.literal(POLICY_FORMAT),
    kind: z.literal('tabular'),
    name: z.string().max(500).optional(),
    env: envFingerprintSchema,
    states: z.array(z.string()).min(1).max(1_000_000),
    actions: z.array(z.string()).min(1).max(10_000),
    q: z.array(z.array(z.number())),
    greedy: z.array(z.number().int().min(0)),
    provenance: provenanceSchema,
  })
  .strict();

export type PolicyFile = z.output<typeof policyFileSchema>;
export type EnvFingerprint = z.output<typeof envFingerprintSchema>;

/**
 * Validates an untrusted policy object: sizes and shape first (the runtime's own checks, cheap and
 * bounded, so huge arrays are refused before anything walks them), then the full schema.
 */
export function parsePolicy(raw: unknown): PolicyFile {
  try {
    loadPolicy(raw);
  } catch (e) {
    if (e instanceof PolicyLoadError) throw new ValidationError([e.message]);
    throw e;
  }
  const result = policyFileSchema.safeParse(raw);
  if (!result.success) throw new ValidationError(formatIssues(result.error.issues, 'policy'));
  return result.data;
}
