// A fit's actions and contexts become the labels of an aisle.mdp/v1 file, which holds no control
// character. An action logged as "a<TAB>b" (a tab inside a quoted field) was read, and `aisle logs
// mdp` then refused its own MDP as 'the fitted MDP.actions[2]: label must not contain control
// characters (found U+0009 at character 2): remove it', naming no line or column of the logs, while
// the app's fit, which does not check the MDP, handed the form an environment it refuses (found by
// the real-data audit). The row is now refused by its line and column as the reader refuses others.
import { describe, expect, it } from 'vitest';
import { parseLogLines, parseLogLinesToFit } from '../../src/engine/ope/csv';
import { fitLogsTask } from '../../src/main/logs-task';
import { problemsOf } from '../helpers/validation-problems';

const HEADER = 'item,position,click,pscore';
const rows = (item: string, position: string) => [HEADER, 'a,1,0,0.5', `"${item}",${position},1,0.5`, 'b,2,1,0.5'];

describe('a control character in an action or a context, read for a fit', () => {
  it('is refused by its line and column, naming the character', async () => {
    expect(await problemsOf(() => parseLogLinesToFit(rows('a\tb', '1'), 'logs.csv'))).toEqual([
      'logs.csv:3: column "item": holds a control character (U+0009 at character 2), which a simulator\'s action label cannot hold: remove it, got "a\\tb"',
    ]);
    expect(await problemsOf(() => parseLogLinesToFit(rows('c', '2\u0001'), 'logs.csv'))).toEqual([
      'logs.csv:3: column "position": holds a control character (U+0001 at character 2), which a simulator\'s state label cannot hold: remove it, got "2\\u0001"',
    ]);
  });

  it('is refused by the app’s fit too, which does not check the MDP it makes', async () => {
    const fit = await fitLogsTask({ text: rows('a\u202Eb', '1').join('\n'), fileName: 'logs.csv', where: {}, columns: {}, priorStrength: 1, holdout: {} });
    expect(fit).toEqual({ ok: false, problems: [expect.stringMatching(/^logs\.csv:3: column "item": holds a control character \(U\+202E at character 2\)/)] });
  });

  it('is still read for an evaluation, which writes no label', async () => {
    const read = await parseLogLines(rows('a\tb', '1'), 'logs.csv');
    expect(read.actionLabels).toEqual(['a', 'a\tb', 'b']);
  });
});
