/**
 * The order the app offers stored policies in, wherever it lists them (the Policies screen, its
 * Evaluate picker, Off-policy's stored-policy target): newest first, by id, as Runs and Experiments
 * list theirs. policies.list gives them in the order they were stored, as `aisle policies` prints them.
 */
import type { PolicySummary } from '../../../shared/dto';

export function newestPoliciesFirst(list: readonly PolicySummary[] | undefined): readonly PolicySummary[] {
  return [...(list ?? [])].sort((a, b) => b.id - a.id);
}
