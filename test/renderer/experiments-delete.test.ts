// What the Experiments screen's delete dialogs say goes with the experiments: their runs by count, or
// that there are none (an experiment whose runs were all deleted on the Runs screen).
import { describe, expect, it } from 'vitest';
import { deletedRunsText } from '../../src/renderer/src/components/experiments-delete';

describe('deletedRunsText', () => {
  it('says an experiment without runs has none, rather than counting 0 runs', () => {
    expect(deletedRunsText(0, 'Its')).toBe('It has no runs.');
    expect(deletedRunsText(0, 'Their')).toBe('They have no runs.');
  });
  it('counts the runs deleted with them', () => {
    expect(deletedRunsText(1, 'Its')).toBe('Its run, its metrics and checkpoints are deleted too.');
    expect(deletedRunsText(4, 'Their')).toBe('Their 4 runs, their metrics and checkpoints are deleted too.');
    expect(deletedRunsText(12_000, 'Its')).toBe('Its 12,000 runs, their metrics and checkpoints are deleted too.');
  });
});
