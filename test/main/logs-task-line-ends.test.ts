// The Off-policy screen split a logs file's text at LF (and CRLF) only, where `aisle ope` and `aisle
// logs mdp` read the same file with Node's readline, which also ends a line at a CR alone (Excel for
// Mac's "CSV (Macintosh)" writes them so): the CLI evaluated such a file, while the screen read it as
// one header line and said it had no rows (found by the real-data audit). The screen's inspection,
// evaluation and fit now split lines as the CLI does (textLines).
import { describe, expect, it } from 'vitest';
import { textLines } from '../../src/engine/csv';
import { fitLogsTask, inspectLogsText, runLogsTask } from '../../src/main/logs-task';

const LINES = ['policy,item,position,click,pscore', 'random,a,1,0,0.5', 'random,b,1,1,0.5', 'random,a,2,1,0.5', 'random,b,2,0,0.5'];

describe('a logs file whose lines end in a CR alone', () => {
  it('is split as LF and CRLF files are', () => {
    expect(textLines(LINES.join('\r'))).toEqual(LINES);
    expect(textLines(LINES.join('\r\n'))).toEqual(LINES);
    expect(textLines(`${LINES.join('\n')}\n`)).toEqual([...LINES, '']);
    expect(textLines('a,b\r\n\r\nc,d\r')).toEqual(['a,b', '', 'c,d', '']);
  });

  it('is inspected, evaluated and fitted as the same file with LF', async () => {
    for (const text of [LINES.join('\r'), `${LINES.join('\r')}\r`]) {
      expect(inspectLogsText(text, 'mac.csv')).toEqual(inspectLogsText(LINES.join('\n'), 'mac.csv'));
      expect(inspectLogsText(text, 'mac.csv')).toMatchObject({ ok: true, rows: 4 });
      const task = (t: string) => runLogsTask({ text: t, fileName: 'mac.csv', where: {}, columns: {}, specs: [{ kind: 'uniform' }], options: { resamples: 20 }, holdout: {} });
      const evaluated = await task(text);
      expect(evaluated).toMatchObject({ ok: true, result: { rowsRead: 4, rowsKept: 4 } });
      expect(evaluated).toEqual(await task(LINES.join('\n')));
      const fitted = await fitLogsTask({ text, fileName: 'mac.csv', where: {}, columns: {}, priorStrength: 1, holdout: {} });
      expect(fitted).toMatchObject({ ok: true });
    }
  });
});
