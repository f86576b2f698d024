// aisle run's progress bar on a terminal: the status stays in view on an ordinary terminal's width,
// and a sweep's bar says which experiment it is in.
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/cli/display-width';
import { progressLine } from '../../src/cli/run-progress';
import { DATABASE_WAIT_MESSAGE } from '../../src/main/jobs/pool-contract';

const run = (status: string) => ({ runId: 12, seed: 3, values: '', ret: '-49.809', status });

describe('progressLine', () => {
  it('fits a finished run in 80 columns by narrowing the bar, and keeps its status in view where the line is still cut', () => {
    const quickstart = progressLine(80, 1, 500, 500, { runId: 1, seed: 0, values: '', ret: '-49.809', status: 'completed' });
    expect(quickstart.length).toBeLessThanOrEqual(80);
    expect(quickstart).toMatch(/ 100% \| completed \| 500\/500 episodes \| return -49\.809$/);
    expect(progressLine(80, 1, 10_000, 10_000, run('completed')).slice(0, 80)).toContain('100% | completed | 10,000/10,000 episodes');
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

  describe('in a sweep', () => {
    const swept = (values: string, status: string) => ({ runId: 7, seed: 2, values, ret: '-49.809', status });
    /** What an 80-column terminal shows of a line: its first 80 columns. */
    const shown = (line: string) => {
      let out = '';
      for (const c of line) if (displayWidth(out + c) <= 80) out += c;
      return out;
    };

    it('says the experiment’s values after the seed, whole where they fit, and keeps the status in 80 columns', () => {
      const line = progressLine(80, 1, 500, 500, swept('alpha=0.5, epsilon=0.2', 'completed'));
      expect(line).toMatch(/^ run 7 seed 2 \(alpha=0\.5, epsilon=0\.2\) █{10} 100% \| completed \| 500\/500 episodes/);
      expect(shown(line)).toContain('100% | completed |');
      expect(shown(progressLine(80, 0.45, 4500, 10_000, swept('alpha=0.5, epsilon=0.2', DATABASE_WAIT_MESSAGE)))).toContain('45% | waiting for the database');
    });

    it('cuts values too long for the line with "…", before the status, counted in columns', () => {
      const values = 'alpha=0.5, epsilon={"start":1,"end":0.05,"decayEpisodes":10000}, gamma=0.99';
      const line = progressLine(80, 0.5, 250, 500, swept(values, 'running'));
      expect(line).toMatch(/^ run 7 seed 2 \(alpha=0\.5, epsilon=\{"start":1,[^)]*…\) [█░]{10} 50% \| running /);
      expect(shown(line)).toContain('50% | running |');
      expect(shown(progressLine(80, 0.45, 4500, 10_000, swept(values, DATABASE_WAIT_MESSAGE)))).toContain('45% | waiting for the database');
      // A name of wide characters takes two columns each: cut by columns, not by characters.
      const wide = progressLine(80, 1, 500, 500, swept('name=強化学習の推薦システムの実験を比較する長い名前です', 'completed'));
      expect(wide).toContain('…)');
      expect(shown(wide)).toContain('100% | completed |');
    });

    it('gives the bar the room the values leave, from 10 to 40 characters', () => {
      const bar = (line: string) => line.replace(/^ run 7 seed 2 \([^)]*\) /, '').split(' ')[0]!;
      expect(bar(progressLine(200, 0.5, 5, 10, swept('alpha=0.5', 'running')))).toHaveLength(40);
      expect(bar(progressLine(80, 0.5, 5, 10, swept('alpha=0.5, epsilon=0.2', 'running')))).toHaveLength(10);
    });
  });
});
