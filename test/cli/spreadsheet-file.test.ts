// A recommender team's logs often come out of a spreadsheet. Given as the workbook rather than a CSV
// saved from it, `aisle ope`, `logs mdp` and `shop calibrate` said of an .xlsx "is a zip archive:
// extract the file from it first" (extracting it gives XML, no CSV), and of a legacy .xls "is not
// UTF-8 text (at line N): save it as UTF-8 (e.g. iconv -f latin1 …)", which cannot help either. Both
// are now named as the workbooks they are, with the fix: save the sheet as CSV.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readEvents } from '../../src/cli/calibrate-data';
import { readLogs } from '../../src/cli/logged-data';
import { tempDir } from '../helpers/tmp';
import { problemsOf } from '../helpers/validation-problems';

/**
 * A zip's first local file header, naming `name`, then its data, deflated or `stored` as it is (an
 * .ods stores its "mimetype" entry so): how a workbook starts.
 */
function zipStart(name: string, data: string, stored = false): Buffer {
  const body = stored ? Buffer.from(data) : deflateRawSync(Buffer.from(data));
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(stored ? 0 : 8, 8);
  header.writeUInt32LE(body.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, Buffer.from(name), body]);
}

/** An OLE2 compound document's signature, then a sector of the bytes an .xls holds: not text. */
const XLS = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.from(Array.from({ length: 504 }, (_, i) => (i * 37) % 256))]);

function file(name: string, bytes: Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

const SAVE = 'not a text file: save it from the spreadsheet as CSV (comma-separated, UTF-8)';

describe('a spreadsheet workbook given where a CSV file goes', () => {
  it.each([
    ['Excel’s .xlsx', zipStart('[Content_Types].xml', '<?xml version="1.0"?><Types/>')],
    ['an .xlsx another program wrote', zipStart('docProps/app.xml', '<Properties/>')],
    ['LibreOffice’s .ods', zipStart('mimetype', 'application/vnd.oasis.opendocument.spreadsheet', true)],
  ])('%s is named a workbook, by aisle ope and shop calibrate alike', async (_what, bytes) => {
    const logs = file('logs.xlsx', bytes);
    expect(await problemsOf(() => readLogs(logs, 'logs.xlsx'))).toEqual([`logs.xlsx: is a spreadsheet workbook (.xlsx or .ods), ${SAVE}`]);
    expect(await problemsOf(() => readEvents(logs, 'events.xlsx', () => undefined))).toEqual([`events.xlsx: is a spreadsheet workbook (.xlsx or .ods), ${SAVE}`]);
  });

  it('a legacy .xls is named one, not told to be converted from Latin-1', async () => {
    const logs = file('logs.xls', XLS);
    expect(await problemsOf(() => readLogs(logs, 'logs.xls'))).toEqual([`logs.xls: is an Excel 97–2003 workbook (.xls), ${SAVE}`]);
  });

  it('any other zip is still a zip archive to extract', async () => {
    const logs = file('logs.zip', zipStart('logs.csv', 'action,reward,propensity\n0,1,0.5\n'));
    expect(await problemsOf(() => readLogs(logs, 'logs.zip'))).toEqual(['logs.zip: is a zip archive: extract the file from it first']);
  });
});
