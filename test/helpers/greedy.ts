// Comparing a served policy's action with the trained agent's greedy action.
import { expect } from 'vitest';

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
