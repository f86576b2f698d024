// The episodes a learning curve marks: the environment's (the shop's preference shift), and
// Compare's one chart marking them only when every group shares them.
import { describe, expect, it } from 'vitest';
import { envEpisodeMarks } from '../../src/engine/registry';
import { markText, sharedMarks } from '../../src/renderer/src/components/episode-marks';

const shift = (episode: number) => [{ episode, label: 'preference shift' }];

describe('envEpisodeMarks', () => {
  it("marks the shop's shift at shiftAt, and nothing for a shop without one or another environment", () => {
    expect(envEpisodeMarks({ id: 'shop', items: 20, shiftAt: 3000 })).toEqual(shift(3000));
    expect(envEpisodeMarks({ id: 'shop', items: 20, shiftAt: 0 })).toEqual(shift(0));
    expect(envEpisodeMarks({ id: 'shop', items: 20 })).toEqual([]);
    expect(envEpisodeMarks({ id: 'seed-toy' })).toEqual([]);
    expect(envEpisodeMarks({ id: 'no-such-env', shiftAt: 3 })).toEqual([]);
  });

  it('marks nothing for parameters that no longer parse (a run stored by another version), rather than failing its page', () => {
    expect(envEpisodeMarks({ id: 'shop', shiftAt: 3000, items: -1 })).toEqual([]);
  });
});

describe('sharedMarks', () => {
  it("draws the groups' marks when all share them", () => {
    expect(sharedMarks([{ label: 'a', episodeMarks: shift(60) }, { label: 'b', episodeMarks: shift(60) }])).toEqual({ marks: shift(60), note: null });
    expect(sharedMarks([{ label: 'a', episodeMarks: [] }, { label: 'b', episodeMarks: [] }])).toEqual({ marks: [], note: null });
    expect(sharedMarks([])).toEqual({ marks: [], note: null });
  });

  it('draws none when they differ, and names each group\'s', () => {
    expect(sharedMarks([{ label: 'a', episodeMarks: shift(60) }, { label: 'b', episodeMarks: shift(100) }, { label: 'c', episodeMarks: [] }])).toEqual({
      marks: [],
      note: "Not marked on the chart: the groups' environments change at different episodes (a: preference shift at episode 60; b: preference shift at episode 100; c: none).",
    });
  });

  it('says an episode as the app writes counts', () => {
    expect(markText({ episode: 3000, label: 'preference shift' })).toBe('preference shift at episode 3,000');
  });
});
