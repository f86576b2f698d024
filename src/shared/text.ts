/** Wording shared by the CLI, the main process and the app (the engine's own is in engine/params.ts). */
export { plural } from '../engine/params';

/** Where an exact evaluation's γ came from, in words: "the agent's in training". */
export function gammaSourceText(from: 'option' | 'experiment' | 'policy' | 'default'): string {
  return { option: 'as asked', experiment: "the experiment's agent's", policy: "the agent's in training", default: 'undiscounted: the policy does not say its γ' }[from];
}
