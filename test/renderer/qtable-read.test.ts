// The Q-tables screen reads a run's table only when it knows the run has one: a run the pickers list
// (they list only runs that stored one), or one whose details say so. A DQN run on feature vectors
// (or a baseline's) is said from its details, never read: the read's 404 was a failed request in the
// browser's console.
import { describe, expect, it } from 'vitest';
import { tableRead } from '../../src/renderer/src/screens/qtables';

const none = { data: undefined, error: undefined };
const why = 'run 11 has no Q-table: DQN learns a network, whose Q values make a table only on discrete states (a shop observed as feature vectors gives none); export or evaluate its policy on the Policies screen';

describe('tableRead', () => {
  it('reads a listed run at once, and nothing before the run is known to be stored', () => {
    expect(tableRead(3, true, new Set([3, 4]), none)).toEqual({ read: true, needsDetail: false });
    expect(tableRead(3, false, new Set([3]), none)).toEqual({ read: false, needsDetail: false });
    expect(tableRead(undefined, true, new Set([3]), none)).toEqual({ read: false, needsDetail: false });
    // The list not answered yet: wait for it; failed: read, and the read says what is wrong.
    expect(tableRead(3, true, undefined, none)).toEqual({ read: false, needsDetail: false });
    expect(tableRead(3, true, null, none)).toEqual({ read: true, needsDetail: false });
  });

  it('asks about an unlisted run first, and says why it has no Q-table instead of reading one', () => {
    expect(tableRead(11, true, new Set([3]), none)).toEqual({ read: false, needsDetail: true });
    expect(tableRead(11, true, new Set([3]), { data: { id: 11, noQTable: why } })).toEqual({ read: false, none: why, needsDetail: true });
    // Another run's details (the previous answer, kept while this one loads) say nothing about it.
    expect(tableRead(11, true, new Set([3]), { data: { id: 12, noQTable: why } })).toEqual({ read: false, needsDetail: true });
    // A run still training, or older than the newest 500, that has a table: read.
    expect(tableRead(11, true, new Set([3]), { data: { id: 11 } })).toEqual({ read: true, needsDetail: true });
    // Its details failed (deleted meanwhile): that is said, and no table read.
    expect(tableRead(11, true, new Set([3]), { error: new Error('run 11 does not exist') })).toEqual({ read: false, detailFailed: true, needsDetail: true });
  });
});
