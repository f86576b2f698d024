// `aisle run --sample` before anything is trained (src/cli/search.ts): the plan's refusals, without
// spawning the command.
import { describe, expect, it } from 'vitest';
import { parseSample, searchPlan } from '../../src/cli/search';

const plan = (samples: string[], trials: number, searchSeed?: number) => searchPlan({ sample: samples.map(parseSample), trials, ...(searchSeed !== undefined ? { searchSeed } : {}) }, []);

describe('a random search before training', () => {
  it('refuses more trials than the samples draw apart, naming the count, and takes as many', () => {
    expect(() => plan(['agent.alpha=uniform:0.5:0.51'], 12)).toThrow(
      '--trials 12 asks for more trials than the 11 distinct values of --sample agent.alpha=uniform:0.5:0.51: give --trials 11 or fewer, or draw from more values (more choices, a wider range)',
    );
    expect(() => plan(['agent.gamma=choice:0.9,0.99', 'env.maxSteps=int:10:11'], 5)).toThrow('--trials 5 asks for more trials than the 4 distinct combinations of --sample agent.gamma=choice:0.9,0.99 --sample env.maxSteps=int:10:11:');
    expect(plan(['agent.gamma=choice:0.9,0.99', 'env.maxSteps=int:10:11'], 4)).toMatchObject({ trials: 4 });
  });
});
