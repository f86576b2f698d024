// `aisle run --sample agent.id=choice:…`: another agent drawn leaves the file's parameters it does
// not have behind, as `--set agent.id=…` does, and says so rather than dropping them unsaid.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandSweep, parseSetting } from '../../src/cli/sweep';
import { parseSample, searchPlan } from '../../src/cli/search';
import { tempDir } from '../helpers/tmp';

function bandit(): string {
  const file = join(tempDir(), 'ucb.json');
  writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'ucb', env: { id: 'bandit-testbed', arms: 10 }, agent: { id: 'ucb1', c: 2 }, episodes: 5, seeds: 1 }));
  return file;
}

describe('--sample of an agent id', () => {
  it('warns, once per id drawn, of the parameters the drawn agent leaves behind, as --set does', () => {
    const file = bandit();
    const plan = searchPlan({ sample: [parseSample('agent.id=choice:ucb1,epsilon-greedy,thompson')], trials: 3 }, []);
    const { experiments, warnings } = expandSweep(file, [], {}, plan);
    const ids = experiments.map((e) => e.experiment.agent.id);
    expect(new Set(ids)).toEqual(new Set(['ucb1', 'epsilon-greedy', 'thompson']));
    // The drawn agents indeed lose c.
    for (const e of experiments) expect('c' in e.experiment.agent).toBe(e.experiment.agent.id === 'ucb1');
    expect(warnings).toEqual(
      ['epsilon-greedy', 'thompson']
        .sort((a, b) => ids.indexOf(a) - ids.indexOf(b))
        .map((id) => `--sample agent.id=choice:ucb1,epsilon-greedy,thompson: in the trials that draw ${id}, ucb1's parameter c is left out: ${id} has no such parameter`),
    );
  });

  it("says nothing of an id no trial draws, nor of the file's own id", () => {
    const file = bandit();
    const plan = searchPlan({ sample: [parseSample('agent.id=choice:ucb1,ucb1,epsilon-greedy')], trials: 2 }, []);
    const { warnings } = expandSweep(file, [], {}, plan);
    expect(warnings).toEqual(["--sample agent.id=choice:ucb1,ucb1,epsilon-greedy: in the trials that draw epsilon-greedy, ucb1's parameter c is left out: epsilon-greedy has no such parameter"]);
  });

  it('keeps the --set wording', () => {
    const { warnings } = expandSweep(bandit(), [parseSetting('agent.id=thompson')], {});
    expect(warnings).toEqual(["--set agent.id=thompson: ucb1's parameter c is left out: thompson has no such parameter"]);
  });
});
