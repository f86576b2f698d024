// Compare's words shared by the app, `aisle compare` and the Markdown report.
import { describe, expect, it } from 'vitest';
import { compareHeading, fewRunsIntervalsText, lastEpisodesText, partialRunsText, trainingLengthsText } from '../../src/shared/compare-text';

describe("the final window's count", () => {
  it('is grouped by thousands as the app\'s other counts are, in each text that names it', () => {
    expect(lastEpisodesText(100_000)).toBe('last 100,000 episodes');
    expect(lastEpisodesText(100)).toBe('last 100 episodes');
    expect(lastEpisodesText(1)).toBe('last 1 episode');
    expect(compareHeading({ metric: 'return', finalWindow: 100_000 }, 0)).toMatch(/^return: a run's final value is its mean over its last 100,000 episodes; /);
    expect(partialRunsText(2, 25_000)).toContain('the final value is the mean of the last 25,000 episodes it stored');
    expect(trainingLengthsText({ trainingLengths: [100_000, 200_000], finalWindow: 10_000 })).toContain("a run's mean over its last 10,000 episodes, ");
  });
});

describe('the few-runs caution', () => {
  it("names the probability of improvement as the matrix does for the metric: P(X < Y) for one better low", () => {
    expect(fewRunsIntervalsText('lower')).toMatch(/^With fewer than 8 runs in a group, the bootstrap intervals \(IQM, P\(X < Y\)\) cover .* P\(X < Y\)'s 67 % with 2 runs against 2/);
    expect(fewRunsIntervalsText('lower')).not.toContain('P(X > Y)');
    for (const direction of ['higher', null, undefined] as const) {
      expect(fewRunsIntervalsText(direction)).toMatch(/\(IQM, P\(X > Y\)\) cover .* P\(X > Y\)'s 67 %/);
      expect(fewRunsIntervalsText(direction)).not.toContain('P(X < Y)');
    }
  });
});
