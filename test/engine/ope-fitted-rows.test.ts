// Which of the rows an evaluation scores a simulator was fitted to: counted from the file's lines
// against a brute force over the synthetic rows (the fit's filter and holdout, the evaluation's),
// and the targets it names — a policy whose provenance records the fit, or an older one whose
// experiment is named after the file — with the warning in words.
import { describe, expect, it } from 'vitest';
import { fitOverlaps, fitOverlapText, fittedRowsScored, fitWhereWarning, type FittedRows, type LinesReader } from '../../src/engine/ope/fitted-rows';
import type { TargetSpec } from '../../src/engine/ope/run';
import type { PolicyFile } from '../../src/engine/policy/format';
import { heldOut, logsCsv, syntheticRows } from '../helpers/logs-csv';

const ROWS = syntheticRows(1200, 5);
const LINES = logsCsv(ROWS).split('\n');
const uniform = ROWS.flatMap((r, i) => (r.policy === 'uniform' ? [i] : []));
const HELD3 = heldOut(uniform.length, 3);
/** The rows (file order) the fit of the uniform policy's rows, 1 in 3 held out, used. */
const FITTED = new Set(uniform.filter((_, j) => !HELD3[j]));
const FIT: FittedRows = { logs: 'logs.csv', where: { policy: 'uniform' }, holdout: 3, rows: FITTED.size };

describe('fittedRowsScored', () => {
  it('counts the fitting rows among those scored, for every filter and holdout of the evaluation', async () => {
    // The fit's own rows and holdout: the rows held out, none fitted.
    expect(await fittedRowsScored(LINES, FIT, { where: { policy: 'uniform' }, holdout: 3 })).toEqual({ scored: uniform.length - FITTED.size, fitted: 0 });
    // Every row of the file, or of the same policy: each fitting row is scored.
    expect(await fittedRowsScored(LINES, FIT, { where: {} })).toEqual({ scored: ROWS.length, fitted: FITTED.size });
    expect(await fittedRowsScored(LINES, FIT, { where: { policy: 'uniform' } })).toEqual({ scored: uniform.length, fitted: FITTED.size });
    // Another holdout of the same rows draws other rows: as many fitted as both splits say.
    const held2 = heldOut(uniform.length, 2);
    expect(await fittedRowsScored(LINES, FIT, { where: { policy: 'uniform' }, holdout: 2 })).toEqual({
      scored: held2.filter(Boolean).length,
      fitted: uniform.filter((i, j) => held2[j] && FITTED.has(i)).length,
    });
    // Another filter: its own holdout is drawn over its own rows.
    const home = ROWS.flatMap((r, i) => (r.page === 'home' ? [i] : []));
    const lastHome = home.slice(home.length - Math.ceil(home.length * 0.2));
    expect(await fittedRowsScored(LINES, FIT, { where: { page: 'home' }, holdoutLast: 20 })).toEqual({ scored: lastHome.length, fitted: lastHome.filter((i) => FITTED.has(i)).length });
    // The other policy's rows: none fitted.
    expect(await fittedRowsScored(LINES, FIT, { where: { policy: 'greedy' } })).toEqual({ scored: ROWS.length - uniform.length, fitted: 0 });
  });

  it('cannot tell for logs that are not those fitted: a column of its filter missing, or another count of rows', async () => {
    expect(await fittedRowsScored(LINES, { ...FIT, where: { campaign: 'men' } }, { where: {} })).toBeNull();
    expect(await fittedRowsScored(LINES, { ...FIT, rows: FIT.rows + 1 }, { where: {} })).toBeNull();
  });
});

describe('fitOverlaps', () => {
  const read: LinesReader = (use) => use(LINES);
  const policy = (provenance: Partial<PolicyFile['provenance']>): TargetSpec => ({
    kind: 'policy',
    label: 'learned.json',
    policy: {
      format: 'aisle.policy/v1',
      kind: 'context-free',
      env: { id: 'tabular-mdp', params: {}, hash: 'x' },
      actions: ['hats'],
      values: [1],
      greedy: 0,
      provenance: { runId: 1, agent: 'q-learning', seed: 0, episodes: 1, configHash: 'x', appVersion: '0', createdAt: '', experimentName: 'learn from logs.csv', ...provenance },
    },
  });

  it('names a policy scored on rows it learned from, an older one of an experiment named after the file, and nothing else', async () => {
    const scored = { where: {} };
    const [overlap] = await fitOverlaps([{ kind: 'uniform' }, policy({ fittedTo: FIT })], 'logs.csv', read, scored, ROWS.length);
    expect(overlap).toEqual({ spec: 'learned.json', fit: FIT, fitted: FITTED.size, scored: ROWS.length });
    expect(fitOverlapText(overlap!, 'learned.json', () => '--where policy=uniform --holdout 3')).toBe(
      `learned.json was learned on a simulator fitted to ${FITTED.size} of the 1,200 rows scored (logs.csv, the rows with policy=uniform, ${FITTED.size} rows fitted, 1 row in 3 held out): an estimate on rows a policy learned from is optimistically biased. To avoid it, score it on the rows the fit held out: --where policy=uniform --holdout 3.`,
    );
    // The rows the fit held out, another file, or a policy of another experiment: nothing to say.
    expect(await fitOverlaps([policy({ fittedTo: FIT })], 'logs.csv', read, { where: { policy: 'uniform' }, holdout: 3 }, 1)).toEqual([]);
    expect(await fitOverlaps([policy({ fittedTo: FIT })], 'other.csv', read, scored, ROWS.length)).toEqual([]);
    expect(await fitOverlaps([policy({ experimentName: 'cliff' })], 'logs.csv', read, scored, ROWS.length)).toEqual([]);
    // Exported before fits were recorded: not known, and said so.
    const [older] = await fitOverlaps([policy({})], 'logs.csv', read, scored, ROWS.length);
    expect(older).toEqual({ spec: 'learned.json', experiment: 'learn from logs.csv', scored: ROWS.length });
    expect(fitOverlapText(older!, 'learned.json', () => '')).toMatch(/^learned\.json was learned in the experiment "learn from logs\.csv" on a simulator fitted to these logs, and exported before Aisle recorded which of their rows a fit used/);
    // A fit that held nothing out: no rows to score it on but a new fit's.
    const whole = { ...FIT, rows: uniform.length, holdout: undefined };
    const [all] = await fitOverlaps([policy({ fittedTo: whole })], 'logs.csv', read, scored, ROWS.length);
    expect(fitOverlapText(all!, 'learned.json', () => '')).toContain('. To avoid it, fit the simulator again with a holdout (this fit held no row out), train and export again');
  });
});

describe('fitWhereWarning', () => {
  const men: FittedRows = { logs: 'obd.csv', where: { policy: 'random', campaign: 'men', uf0: '1' }, rows: 100 };

  it('names the logging columns on which the rows scored have another value than the fit’s', () => {
    expect(fitWhereWarning(men, { policy: 'random', campaign: 'women' })).toBe(
      'the policy was learned on a simulator fitted to the rows with campaign=men, and these rows have campaign=women: rows of another logging policy, campaign or page are another experiment, with their own actions and propensities (the same label may name another item), so the estimate says how it would do on traffic it never learned from. Evaluate it on rows with campaign=men, or fit a simulator to these rows and train on that.',
    );
    expect(fitWhereWarning(men, { policy: 'bts', campaign: 'women' })).toMatch(/^the policy was learned on a simulator fitted to the rows with policy=random, campaign=men, and these rows have policy=bts, campaign=women:/);
  });

  it('says nothing when they agree, when the rows are not filtered by the column, or when the column is context (a user feature)', () => {
    expect(fitWhereWarning(men, { policy: 'random', campaign: 'men' })).toBeUndefined();
    expect(fitWhereWarning(men, {})).toBeUndefined();
    expect(fitWhereWarning(men, { policy: 'random', campaign: 'men', uf0: '2' })).toBeUndefined();
    expect(fitWhereWarning({ ...men, where: {} }, { campaign: 'women' })).toBeUndefined();
  });
});
