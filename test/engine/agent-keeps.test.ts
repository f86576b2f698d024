// AgentDefinition.keeps says what a run stores to inspect and export, and the app's pickers (Q-tables,
// Export) list runs by it: it must be what the agent really exposes, on every kind of environment.
import { describe, expect, it } from 'vitest';
import { agents } from '../../src/engine/registry';
import type { RunSpec } from '../../src/engine/train';
import { pairings } from '../helpers/pairings';

const ENVS: Record<string, RunSpec['env']> = {
  'seed-toy': { id: 'seed-toy' },
  'shop (discrete)': { id: 'shop', maxSteps: 5 },
  'shop (vector)': { id: 'shop', maxSteps: 5, observation: 'vector' },
};

describe('keeps', () => {
  for (const def of agents) {
    it(`${def.id}: a table when it exposes values, a network when it exposes weights`, () => {
      let built = 0;
      for (const { name, prepared } of pairings(ENVS, def.id)) {
        built++;
        const { agent } = prepared;
        const discrete = prepared.env.observationSpace.kind === 'discrete';
        expect(agent.weights !== undefined, `${name}: weights`).toBe(def.keeps.includes('network'));
        if (agent.values !== undefined) expect(def.keeps, `${name}: values`).toContain('table');
        // A table-keeping agent has its values wherever the states are discrete (DQN computes its Q-table there only).
        if (def.keeps.includes('table') && (discrete || !def.keeps.includes('network'))) expect(agent.values, `${name}: values`).toBeDefined();
      }
      expect(built, 'environments it runs on').toBeGreaterThan(0);
    });
  }

  it('the random policy and the myopic oracle keep nothing; LinUCB a network; most-popular a table', () => {
    const keeps = Object.fromEntries(agents.map((a) => [a.id, a.keeps]));
    expect(keeps).toMatchObject({ random: [], 'myopic-oracle': [], linucb: ['network'], 'most-popular': ['table'] });
  });
});
