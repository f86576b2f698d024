// The runs an agent can be prepared for among some environments: a test that must hold for every
// environment and agent pairing (what an agent keeps, which metrics have a direction) walks them here.
import { prepareRun, type RunSpec } from '../../src/engine/train';

export interface Pairing {
  readonly name: string;
  readonly env: RunSpec['env'];
  readonly prepared: ReturnType<typeof prepareRun>;
}

/** Each of `envs` (named) that agent `agentId` runs on, prepared for one episode; the others are skipped. */
export function* pairings(envs: Record<string, RunSpec['env']>, agentId: string): Generator<Pairing> {
  for (const [name, env] of Object.entries(envs)) {
    let prepared;
    try {
      prepared = prepareRun({ env, agent: { id: agentId }, episodes: 1, seed: 0 });
    } catch {
      continue; // not an environment it runs on
    }
    yield { name, env, prepared };
  }
}
