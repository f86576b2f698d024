// Shared checks for policy tests: the runtime's load errors, and a served action against the agent's.
import { expect } from 'vitest';
import { loadPolicy, PolicyLoadError } from '../../src/engine/policy/runtime';

/** The message the runtime refuses a policy with (the test fails if it loads). */
export function loadError(doc: unknown): string {
  try {
    loadPolicy(doc);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyLoadError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

/**
 * The policy runtime computes in the reference kernels' arithmetic; the agent may run faster
 * kernels (WebAssembly SIMD) that sum in another order, so outputs agree to float32 rounding and
 * the actions agree except at a near-tie, where the served action must be one of the tied.
 */
export function expectSameAction(served: number, outputs: readonly number[], greedy: number, what: string): void {
  const top = Math.max(...outputs);
  const tied = outputs.flatMap((v, a) => (top - v <= 1e-5 * Math.max(1, Math.abs(top)) ? [a] : []));
  if (tied.length === 1) expect(served, what).toBe(greedy);
  else expect(tied, what).toContain(served);
}
