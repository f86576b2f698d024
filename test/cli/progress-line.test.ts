// aisle run's progress bar on a terminal: the status stays in view on an ordinary terminal's width.
import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/run';
import { DATABASE_WAIT_MESSAGE } from '../../src/main/jobs/pool';

const run = (status: string) => ({ runId: 12, seed: 3, ret: '-49.809', status });

describe('progressLine', () => {
  it('fits a finished run in 80 columns by narrowing the bar, and keeps its status in view where the line is still cut', () => {
    const quickstart = progressLine(80, 1, 500, 500, { runId: 1, seed: 0, ret: '-49.809', status: 'completed' });
    expect(quickstart.length).toBeLessThanOrEqual(80);
    expect(quickstart).toMatch(/ 100% \| completed \| 500\/500 episodes \| return -49\.809$/);
    expect(progressLine(80, 1, 10_000, 10_000, run('completed')).slice(0, 80)).toContain('100% | completed | 10000/10000 episodes');
  });

  it('shows the wait for the database within a 100-column terminal, where the counts and the return may be cut', () => {
    expect(progressLine(100, 0.45, 4500, 10_000, run(DATABASE_WAIT_MESSAGE)).slice(0, 100)).toContain(`45% | ${DATABASE_WAIT_MESSAGE} |`);
  });

  it('keeps the bar one width while the percentage, the count and the return grow', () => {
    const bar = (line: string) => line.replace(/^ run 12 seed 3 /, '').split(' ')[0]!.length;
    expect(bar(progressLine(90, 0, 0, 10_000, { ...run('queued'), ret: '–' }))).toBe(bar(progressLine(90, 1, 10_000, 10_000, run('completed'))));
  });

  it('draws a bar of 40 characters where there is room, and never fewer than 10', () => {
    const bar = (line: string) => line.replace(/^ run 12 seed 3 /, '').split(' ')[0]!;
    expect(bar(progressLine(200, 0.5, 5, 10, run('running')))).toBe(`${'█'.repeat(20)}${'░'.repeat(20)}`);
    expect(bar(progressLine(20, 0.5, 5, 10, run('running')))).toBe(`${'█'.repeat(5)}${'░'.repeat(5)}`);
  });
});
