// Compare's run-id box: ids and ranges, in order and each once; what is not an id is named, and a
// range too long to look up run by run is refused.
import { describe, expect, it } from 'vitest';
import { MAX_RANGE, noEpisodesText, parseRunIds } from '../../src/renderer/src/components/run-ids';

describe('parseRunIds', () => {
  it('reads ids and ranges in any of their spellings, each once', () => {
    expect(parseRunIds('4, 1-3 7..8  9–10 2')).toEqual({ ok: true, ids: [4, 1, 2, 3, 7, 8, 9, 10] });
    expect(parseRunIds('')).toEqual({ ok: true, ids: [] });
  });

  it('names what is not a run id, and refuses a range beyond the cap', () => {
    expect(parseRunIds('3, x, 5-2, 0')).toEqual({ ok: false, problem: 'not a run id: x, 5-2, 0 (a run id is a whole number, as in the Runs list; a range is written 3-7)' });
    const long = parseRunIds(`1-${MAX_RANGE + 1}`);
    expect(long.ok).toBe(false);
    expect(long.ok ? '' : long.problem).toMatch(/more than 200 at once/);
    expect(parseRunIds(`1-${MAX_RANGE}`)).toMatchObject({ ok: true });
  });
});

describe('noEpisodesText', () => {
  it('says "yet" only of a run that will have episodes, and "before its first episode" of one that stopped', () => {
    expect(noEpisodesText(11, 'cancelled')).toBe('run 11 was cancelled before its first episode: it has none to compare');
    expect(noEpisodesText(11, 'interrupted')).toBe('run 11 was interrupted before its first episode: it has none to compare');
    expect(noEpisodesText(11, 'failed')).toBe('run 11 failed before its first episode: it has none to compare');
    expect(noEpisodesText(12, 'queued')).toBe('run 12 is queued: it has no episodes yet');
    expect(noEpisodesText(13, 'running')).toBe('run 13 has just started: it has no episodes yet');
  });
});
