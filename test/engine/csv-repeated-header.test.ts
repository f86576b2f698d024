// Two monthly exports joined with `cat` put the second file's header among the rows. The readers
// reported it as a bad value in the first column they checked: shop calibrate 'column "ts": must be
// a whole number of seconds since 1970 …, got "ts"', aisle ope 'column "click": must be a finite
// decimal number …, got "click"' (found by the real-data audit's CSV battery). The line is now
// named as a repeat of the header, with what to do, by each reader and by the app's inspection.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvents } from '../../src/cli/calibrate-data';
import { rowShapeProblem } from '../../src/engine/csv';
import { parseLogLines } from '../../src/engine/ope/csv';
import { inspectLogsText } from '../../src/main/logs-task';
import { problemsOf } from '../helpers/validation-problems';
import { tempDir } from '../helpers/tmp';

const REPEAT = 'repeats the header (line 1): files joined one after another? Remove this line';

describe('a header repeated among the rows', () => {
  it('is named by shop calibrate', async () => {
    const path = join(tempDir(), 'events.csv');
    const header = 'ts,customer,invoice,item,qty,price';
    writeFileSync(path, `${header}\n1300000000,c1,i1,A,1,1.5\n${header}\n1300086400,c2,i2,B,1,2.5\n`);
    expect(await problemsOf(() => readEvents(path, 'events.csv', () => undefined))).toEqual([`events.csv:3: ${REPEAT}`]);
  });

  it('is named by aisle ope and the Off-policy screen, in any case and spacing', async () => {
    const lines = ['item,click,pscore', 'a,0,0.5', ' Item , CLICK,pscore', 'b,1,0.5'];
    expect(await problemsOf(() => parseLogLines(lines, 'logs.csv'))).toEqual([`logs.csv:3: ${REPEAT}`]);
    expect(inspectLogsText(lines.join('\n'), 'logs.csv')).toEqual({ ok: false, problems: [`logs.csv:3: ${REPEAT}`] });
  });

  it('leaves a row that only shares some of its names, and a reader that gives no header', () => {
    expect(rowShapeProblem(['item', '1', '0.5'], 3, 'item,1,0.5', { names: ['item', 'click', 'pscore'], line: 1 })).toBeUndefined();
    expect(rowShapeProblem(['item', 'click', 'pscore'], 3, 'item,click,pscore')).toBeUndefined();
  });
});
