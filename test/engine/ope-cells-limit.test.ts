// Logs with more contexts × actions than a target policy's table holds are refused in one line:
// it read "20000 actions × 95016 contexts is more than 10,000,000 cells", its counts ungrouped beside the limit.
import { describe, expect, it } from 'vitest';
import { checkLoggedBandit } from '../../src/engine/ope/data';
import { ValidationError } from '../../src/engine/params';

describe('the contexts × actions limit', () => {
  it('names the counts grouped, as the limit', () => {
    const logs = {
      actionLabels: Array.from({ length: 20_000 }, (_, i) => `i${i}`),
      contextLabels: Array.from({ length: 95_016 }, (_, i) => `u${i}`),
      action: Int32Array.of(0),
      context: Int32Array.of(0),
      reward: Float64Array.of(1),
      propensity: Float64Array.of(0.5),
    };
    let refused: unknown;
    try {
      checkLoggedBandit(logs, 'wide.csv');
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).problems).toEqual(['wide.csv: 20,000 actions × 95,016 contexts is more than 10,000,000 cells: choose a coarser context column']);
  });
});
