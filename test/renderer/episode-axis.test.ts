// Run detail's shared episode axis: a live run spans its plan, a run that stopped early ends where
// it stopped (and says so), a finished run spans what it played.
import { describe, expect, it } from 'vitest';
import { episodeAxis } from '../../src/renderer/src/components/episode-axis';

describe('episodeAxis', () => {
  it('spans the planned episodes while the run is queued or running', () => {
    expect(episodeAxis({ status: 'running', episodesDone: 437, episodesTotal: 2000 })).toEqual({ min: 0, max: 2000, stoppedNote: null });
    expect(episodeAxis({ status: 'queued', episodesDone: 0, episodesTotal: 2000 })).toEqual({ min: 0, max: 2000, stoppedNote: null });
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
