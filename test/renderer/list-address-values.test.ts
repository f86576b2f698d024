// Runs dropped status=bogus, sort=nope and page=-3 from its address without a word, and Experiments
// kept sort=zzz in its address and sorted by number: both now name them (UnreadAddress), as an
// experiment=abc is named, with what the key takes; the defaults stand in their place.
import { describe, expect, it } from 'vitest';
import { unreadIds } from '../../src/renderer/src/url-state';
import { readQuery, RUNS_VALUE_KEYS } from '../../src/renderer/src/components/runs-filters';
import { EXPERIMENT_SORTS, EXPERIMENTS_VALUE_KEYS, readExperimentsQuery } from '../../src/renderer/src/components/experiments-query';
import { RUN_STATUSES } from '../../src/shared/dto';

const q = (s: string) => new URLSearchParams(s);

describe('list screens’ values left out of the address', () => {
  it('Runs names a status, sort or page it does not read, beside an experiment that is no number', () => {
    const query = q('experiment=abc&status=bogus,running,nope&sort=nope&page=-3');
    expect(unreadIds(query, { experiment: { noun: 'experiment' } }, RUNS_VALUE_KEYS)).toBe(
      'Left out of this address: experiment=abc (“abc” is not an experiment number: experiment takes a whole number such as experiment=12); ' +
        `status=bogus,running,nope (“bogus”, “nope” are not run statuses: status takes some of ${RUN_STATUSES.join(', ')}, such as status=running,failed); ` +
        'sort=nope (“nope” is not a column to sort by: sort takes one of id, createdAt, startedAt, finishedAt, episodesDone, status, returnLast100, seed, elapsed, experiment, agent, env, such as sort=seed); ' +
        'page=-3 (“-3” is not a page number: page takes a whole number from 1, such as page=2).',
    );
    // What the line calls read is what the table reads.
    expect(readQuery(query)).toMatchObject({ status: ['running'], sort: 'id', page: 1 });
    const good = q('status=running,failed&sort=seed&page=3');
    expect(unreadIds(good, {}, RUNS_VALUE_KEYS)).toBeNull();
    expect(readQuery(good)).toMatchObject({ status: ['running', 'failed'], sort: 'seed', page: 3 });
  });

  it('a page that is no whole number (page=2.5) is named and the first page shown, as page=0 is: it was page 2, unsaid', () => {
    for (const [keys, read] of [
      [RUNS_VALUE_KEYS, readQuery],
      [EXPERIMENTS_VALUE_KEYS, readExperimentsQuery],
    ] as const) {
      expect(unreadIds(q('page=2.5'), {}, keys)).toBe('Left out of this address: page=2.5 (“2.5” is not a page number: page takes a whole number from 1, such as page=2).');
      expect(read(q('page=2.5')).page).toBe(1);
      expect(unreadIds(q('page=2'), {}, keys)).toBeNull();
      expect(read(q('page=2')).page).toBe(2);
    }
  });

  it('Experiments names a sort or page it does not read', () => {
    expect(unreadIds(q('sort=zzz&page=0'), {}, EXPERIMENTS_VALUE_KEYS)).toBe(
      `Left out of this address: sort=zzz (“zzz” is not a column to sort by: sort takes one of ${EXPERIMENT_SORTS.join(', ')}, such as sort=name); page=0 (“0” is not a page number: page takes a whole number from 1, such as page=2).`,
    );
    expect(readExperimentsQuery(q('sort=zzz&page=0'))).toMatchObject({ sort: 'id', page: 1 });
    for (const sort of EXPERIMENT_SORTS) {
      expect(unreadIds(q(`sort=${sort}&page=2`), {}, EXPERIMENTS_VALUE_KEYS)).toBeNull();
      expect(readExperimentsQuery(q(`sort=${sort}`)).sort).toBe(sort);
    }
  });
});
