// `aisle ope` and `aisle logs mdp` take column names as given, exactly. A name typed in another case
// (`--action-column Item`, `--where Policy=random`) or with a slip (`itm`, `pscor`) was refused with
// the file's columns listed and nothing pointing at the one meant; the message now names it.
import { describe, expect, it } from 'vitest';
import { didYouMean, parseLogLines, parseLogLinesToFit } from '../../src/engine/ope/csv';
import { problemsOf } from '../helpers/validation-problems';

const LINES = ['policy,item,position,click,pscore', 'random,a,1,0,0.5', 'random,b,2,1,0.5'];
const ITS = '(its columns: policy, item, position, click, pscore)';

describe('a column name the file nearly has', () => {
  it('names the column in another case, or one typed character off, for each role', async () => {
    expect(await problemsOf(() => parseLogLines(LINES, 'logs.csv', { action: 'Item' }))).toEqual([`logs.csv: has no column "Item": did you mean "item"? ${ITS}: name the action column with --action-column`]);
    expect(await problemsOf(() => parseLogLines(LINES, 'logs.csv', { action: 'itm' }))).toEqual([`logs.csv: has no column "itm": did you mean "item"? ${ITS}: name the action column with --action-column`]);
    expect(await problemsOf(() => parseLogLines(LINES, 'logs.csv', { propensity: 'pscor' }))).toEqual([`logs.csv: has no column "pscor": did you mean "pscore"? ${ITS}: name the propensity column with --propensity-column`]);
    expect(await problemsOf(() => parseLogLinesToFit(LINES, 'logs.csv', { reward: 'Click' }))).toEqual([`logs.csv: has no column "Click": did you mean "click"? ${ITS}: name the reward column with --reward-column`]);
  });

  it('names it for a filter too', async () => {
    expect(await problemsOf(() => parseLogLines(LINES, 'logs.csv', { where: { Policy: 'random' } }))).toEqual([`logs.csv: cannot keep rows by column "Policy": there is no such column: did you mean "policy"? ${ITS}`]);
  });

  it('says nothing more where no name is that near, or two are', () => {
    expect(didYouMean('arm', ['item', 'click'])).toBe('');
    expect(didYouMean('slot', ['policy', 'item', 'pscore'])).toBe('');
    expect(didYouMean('uf', ['uf0', 'uf1'])).toBe(''); // too short to guess
    expect(didYouMean('uf5', ['uf0', 'uf1'])).toBe(''); // two as near
    expect(didYouMean('POSITION', ['position', 'click'])).toBe(': did you mean "position"?');
  });
});
