// Compare's run-id box: ids and ranges, in order and each once; what is not an id is named, and a
// range too long to look up run by run is refused.
import { describe, expect, it } from 'vitest';
import { MAX_RANGE, missingRunsText, noEpisodesText, parseRunIds, readRunNumber, withoutEpisodesText } from '../../src/renderer/src/components/run-ids';

describe('parseRunIds', () => {
  it('reads ids and ranges in any of their spellings, each once', () => {
    expect(parseRunIds('4, 1-3 7..8  9–10 2')).toEqual({ ok: true, ids: [4, 1, 2, 3, 7, 8, 9, 10] });
    expect(parseRunIds('')).toEqual({ ok: true, ids: [] });
  });

  it('names what is not a run id, and refuses a range beyond the cap', () => {
    // A range ending at 0 is not a reversed one (there is no run 0 to start from): named, not dropped as no ids.
    expect(parseRunIds('5-0')).toEqual({ ok: false, problem: 'not a run id: 5-0 (a run id is a whole number from 1, as in the Runs list; a range is written 3-7)' });
    expect(parseRunIds('3, x, 0-2, 0')).toEqual({ ok: false, problem: 'not a run id: x, 0-2, 0 (a run id is a whole number from 1, as in the Runs list; a range is written 3-7)' });
    const long = parseRunIds(`1-${MAX_RANGE + 1}`);
    expect(long.ok).toBe(false);
    expect(long.ok ? '' : long.problem).toMatch(/more than 200 at once/);
    expect(parseRunIds(`1-${MAX_RANGE}`)).toMatchObject({ ok: true });
  });
});

describe('a paste gone wrong', () => {
  const HOW = '(a run id is a whole number from 1, as in the Runs list; a range is written 3-7)';
  it('quotes each part cut as every message quotes what was typed, and at most five of them: a page of text was said back whole', () => {
    expect(parseRunIds('x'.repeat(5000))).toEqual({ ok: false, problem: `not a run id: ${'x'.repeat(60)}… ${HOW}` });
    const words = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    expect(parseRunIds(words)).toEqual({ ok: false, problem: `not a run id: word0, word1, word2, word3, word4 and 495 more ${HOW}` });
    // A number thousands of digits long, which no run has, and such a range.
    expect(parseRunIds('9'.repeat(3000))).toEqual({ ok: false, problem: `there is no run ${'9'.repeat(60)}…` });
    const range = parseRunIds(`${'9'.repeat(3000)}-${'9'.repeat(3001)}`);
    expect(range.ok || range.problem.length < 200).toBe(true);
    // The run number of Q-tables and Policies alike.
    expect(readRunNumber('9'.repeat(3000))).toEqual({ problem: `there is no run ${'9'.repeat(60)}…: pick a run from the list, or type another run’s number` });
    // Short parts are quoted whole, as before.
    expect(parseRunIds('abc, 24-characters-long!')).toEqual({ ok: false, problem: `not a run id: abc, 24-characters-long! ${HOW}` });
  });
});

describe('numbers past 2^53, which no run has', () => {
  it('says there is no such run, without asking (the lookup refused it with a 400 and its schema’s words)', () => {
    expect(parseRunIds('99999999999999999999')).toEqual({ ok: false, problem: 'there is no run 99999999999999999999' });
    expect(parseRunIds('3, 9007199254740993 99999999999999999998-99999999999999999999')).toEqual({
      ok: false,
      problem: 'there are no runs 9007199254740993, 99999999999999999998-99999999999999999999',
    });
    expect(parseRunIds('9007199254740991')).toEqual({ ok: true, ids: [9007199254740991] });
    // From a run's number to past 2^53: a range over the cap, as before.
    expect(parseRunIds('1-99999999999999999999')).toMatchObject({ ok: false, problem: expect.stringMatching(/more than 200 at once/) as unknown });
    expect(readRunNumber('99999999999999999999')).toEqual({ problem: 'there is no run 99999999999999999999: pick a run from the list, or type another run’s number' });
    expect(readRunNumber('9007199254740991')).toEqual({ id: 9007199254740991 });
  });
});

describe('a reversed range and missing runs', () => {
  it('says a range typed backwards is reversed and how to write it, beside any id that is not one', () => {
    expect(parseRunIds('9-4')).toEqual({ ok: false, problem: '9-4 is reversed: write 4-9' });
    expect(parseRunIds('x 9..4')).toEqual({ ok: false, problem: 'not a run id: x (a run id is a whole number from 1, as in the Runs list; a range is written 3-7); 9..4 is reversed: write 4-9' });
  });

  it('says five reversed ranges and how many more, as its other lists do (the rest were dropped without a word)', () => {
    const five = '9-4 is reversed: write 4-9; 8-3 is reversed: write 3-8; 7-2 is reversed: write 2-7; 6-1 is reversed: write 1-6; 10-5 is reversed: write 5-10';
    expect(parseRunIds('9-4 8-3 7-2 6-1 10-5')).toEqual({ ok: false, problem: five });
    expect(parseRunIds('9-4 8-3 7-2 6-1 10-5 11-6')).toEqual({ ok: false, problem: `${five}; and 1 more reversed range` });
    const many = Array.from({ length: 1005 }, (_, i) => `${i + 9}-${i + 2}`).join(' ');
    expect(parseRunIds(`${many} 99999999999999999999`)).toEqual({
      ok: false,
      problem: expect.stringMatching(/; 13-6 is reversed: write 6-13; and 1,000 more reversed ranges; there is no run 99999999999999999999$/) as unknown,
    });
  });

  it('names the ids that are no run once, consecutive ones as a range', () => {
    expect(missingRunsText([7])).toBe('there is no run 7');
    expect(missingRunsText([105, 101, 102, 103, 104])).toBe('there are no runs 101–105');
    expect(missingRunsText([3, 101, 102, 103, 9, 10])).toBe('there are no runs 3, 9, 10, 101–103');
  });
});

describe('withoutEpisodesText', () => {
  it('names every run left out in one clause, with why by status', () => {
    expect(withoutEpisodesText([{ runId: 44, status: 'cancelled' }])).toBe('run 44 has no stored episodes (cancelled before its first episode)');
    expect(withoutEpisodesText([{ runId: 45, status: 'cancelled' }, { runId: 44, status: 'cancelled' }])).toBe('runs 44 and 45 have no stored episodes (cancelled before their first episode)');
    expect(withoutEpisodesText([{ runId: 44, status: 'cancelled' }, { runId: 45, status: 'queued' }, { runId: 46, status: 'cancelled' }])).toBe(
      'runs 44–46 have no stored episodes (44 and 46 cancelled before their first episode; 45 queued: none yet)',
    );
    expect(withoutEpisodesText([3, 4, 5, 6, 9].map((runId) => ({ runId, status: 'failed' as const })))).toBe('runs 3–6 and 9 have no stored episodes (failed before their first episode)');
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

describe('readRunNumber (the "or run #" box of Q-tables and Policies)', () => {
  it('reads a whole number from 1 as a run, and empty text as nothing to pick', () => {
    expect(readRunNumber('12')).toEqual({ id: 12 });
    expect(readRunNumber(' 7 ')).toEqual({ id: 7 });
    expect(readRunNumber('1e2')).toEqual({ id: 100 });
    expect(readRunNumber('')).toBeNull();
  });
  it('says what is no run number, quoting it, where the box used to leave it unread with nothing said', () => {
    for (const text of ['0', '-3', '1.5']) {
      expect(readRunNumber(text)).toEqual({ problem: `“${text}” is not a run number: type a whole number from 1, as the Runs list numbers runs` });
    }
    // Text the number input cannot read at all reaches the page as empty, marked badInput.
    expect(readRunNumber('', true)).toEqual({ problem: 'not a run number: type a whole number from 1, as the Runs list numbers runs' });
  });
});
