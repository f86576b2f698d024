// Run detail's shared episode axis: a live run spans what it played, rounded up in 1-2-5 steps, a run that stopped early ends where
// it stopped (and says so), a finished run spans what it played.
import { describe, expect, it } from 'vitest';
import { episodeAxis, roundAbove } from '../../src/renderer/src/components/episode-axis';

describe('episodeAxis', () => {
  it('spans the episodes played so far while the run is queued or running, in 1-2-5 steps up to the plan', () => {
    expect(episodeAxis({ status: 'running', episodesDone: 437, episodesTotal: 2000 })).toEqual({ min: 0, max: 500, stoppedNote: null });
    // A long run: 2,345 of 200,000 episodes played fill most of the axis, not 1 % of it.
    expect(episodeAxis({ status: 'running', episodesDone: 2345, episodesTotal: 200_000 }).max).toBe(5000);
    expect(episodeAxis({ status: 'running', episodesDone: 5000, episodesTotal: 200_000 }).max).toBe(10_000);
    // Never past the plan.
    expect(episodeAxis({ status: 'running', episodesDone: 1500, episodesTotal: 2000 }).max).toBe(2000);
    expect(episodeAxis({ status: 'queued', episodesDone: 0, episodesTotal: 2000 })).toEqual({ min: 0, max: 1, stoppedNote: null });
  });
  it('rounds up to the next 1-2-5 number above what was played, so the axis does not rescale at every update', () => {
    expect([0, 1, 2, 4, 5, 9, 10, 19, 99, 100, 437, 1999, 2000, 49_999].map(roundAbove)).toEqual([1, 2, 5, 5, 10, 10, 20, 20, 100, 200, 500, 2000, 5000, 50_000]);
  });
  it('ends with the last stored episode of a run that stopped early, with a note saying where', () => {
    // Episodes count from 0: the axis ends at the count, one past the last episode's index.
    const axis = episodeAxis({ status: 'cancelled', episodesDone: 437, episodesTotal: 2000 });
    expect(axis.max).toBe(437);
    expect(axis.stoppedNote).toBe('Cancelled after 437 of 2,000 planned episodes: the episode axis ends where the run stopped.');
    expect(episodeAxis({ status: 'interrupted', episodesDone: 10, episodesTotal: 100_000_000 }).stoppedNote).toMatch(/^Interrupted after 10 of 100,000,000 planned/);
    expect(episodeAxis({ status: 'failed', episodesDone: 5, episodesTotal: 50 }).max).toBe(5);
  });
  it('spans every episode of a run that played them all, whatever its status', () => {
    expect(episodeAxis({ status: 'completed', episodesDone: 200, episodesTotal: 200 })).toEqual({ min: 0, max: 200, stoppedNote: null });
    // Failed after its last episode (e.g. writing the final checkpoint): nothing is missing.
    expect(episodeAxis({ status: 'failed', episodesDone: 200, episodesTotal: 200 }).stoppedNote).toBeNull();
  });
  it('keeps some width for no episode or one', () => {
    expect(episodeAxis({ status: 'cancelled', episodesDone: 1, episodesTotal: 200 }).max).toBe(1);
    expect(episodeAxis({ status: 'cancelled', episodesDone: 0, episodesTotal: 200 }).max).toBe(1);
    expect(episodeAxis({ status: 'completed', episodesDone: 1, episodesTotal: 1 }).max).toBe(1);
  });
});
