// Run detail's Pause waits, disabled and reading "Pausing…", until the run's status ends the pause.
import { describe, expect, it, vi } from 'vitest';
import { endsPause } from '../../src/renderer/src/components/run-header';
import type { RunStatus } from '../../src/shared/dto';

vi.mock('../../src/renderer/src/color-scheme', () => ({ useChartTheme: () => ({}) }));

describe('endsPause', () => {
  it('a run read as queued or running has not paused yet: the pool may start a run the page showed queued, and it reads running before paused', () => {
    expect(endsPause('queued')).toBe(false);
    expect(endsPause('running')).toBe(false);
  });

  it('paused, or ended any other way, gives Pause back (or Resume its place)', () => {
    const ending: RunStatus[] = ['paused', 'completed', 'cancelled', 'failed', 'interrupted'];
    expect(ending.filter((s) => !endsPause(s))).toEqual([]);
  });
});
