// A Latin-1 byte is named by its line (`is not UTF-8 text (at line 22)`), counted as the file is
// streamed. The count took LFs only, while the readers end a line at a CR alone too (Node's
// readline; Excel for Mac's "CSV (Macintosh)" writes them): every such file's bad byte was said to
// be "at line 1" (found by the real-data audit's CSV battery). Line ends are now counted as readline
// reads them, a CRLF once, also when a chunk of the file ends between its CR and its LF.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvents } from '../../src/cli/calibrate-data';
import { problemsOf } from '../helpers/validation-problems';
import { tempDir } from '../helpers/tmp';

const HEADER = 'ts,customer,invoice,item,qty,price';
const refusal = (line: number) => [`events.csv: is not UTF-8 text (at line ${line}): save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)`];

function refused(bytes: Buffer): Promise<readonly string[]> {
  const path = join(tempDir(), 'events.csv');
  writeFileSync(path, bytes);
  return problemsOf(() => readEvents(path, 'events.csv', () => undefined));
}

/** The header, `n` good rows, then a row whose stock code is Latin-1 "café" (line n + 2), each line ended by `end`. */
function file(n: number, end: string): Buffer {
  const rows = Array.from({ length: n }, (_, i) => `${1_300_000_000 + i},c${i % 7},i${i},A${i % 3},1,1.50`);
  return Buffer.concat([Buffer.from([HEADER, ...rows].map((l) => l + end).join('')), Buffer.from(`1300099999,c1,i9,caf\u00e9,1,1.50${end}`, 'latin1')]);
}

describe('the line of a byte that is not UTF-8', () => {
  it('is counted at CRs alone as at LFs and CRLFs', async () => {
    for (const end of ['\n', '\r\n', '\r']) expect(await refused(file(20, end))).toEqual(refusal(22));
  });

  it('counts a CRLF once when the first 64 KiB chunk read ends between its CR and its LF', async () => {
    // Rows of one length; the header padded with spaces (trimmed when read) so that a row's CR is
    // the chunk's last byte (65,535) and its LF the next chunk's first.
    const rows = Array.from({ length: 5000 }, (_, i) => `${1_300_000_000 + i},c${i % 7},i${i % 10},A1,1,1.5\r\n`);
    const length = rows[0]!.length;
    const pad = (65_537 - (HEADER.length + 2)) % length;
    const text = `${HEADER}${' '.repeat(pad)}\r\n${rows.join('')}`;
    const bytes = Buffer.concat([Buffer.from(text), Buffer.from('1300099999,c1,i9,caf\u00e9,1,1.50\r\n', 'latin1')]);
    expect(bytes.subarray(65_535, 65_537).toString()).toBe('\r\n');
    expect(await refused(bytes)).toEqual(refusal(5002));
  });
});
