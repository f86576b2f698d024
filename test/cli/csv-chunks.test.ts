// csvFileLines reads a file in chunks (64 KiB each; `aisle ope` reads logs past MAX_EVENTS_BYTES so,
// never holding the text whole). Here the chunks are a few bytes, so that every line end, every
// character and the byte-order mark falls across two reads somewhere, and what is read must be what
// the file's whole text gives: the same lines, the same rows, the same problems on the same lines.
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { textLines } from '../../src/engine/csv';
import { parseLogLines } from '../../src/engine/ope/csv';
import { ValidationError } from '../../src/engine/params';
import { csvFileLines, MAX_EVENTS_BYTES, OPE_LOGS_BYTES, type CsvReading } from '../../src/cli/calibrate-data';
import { readLogs } from '../../src/cli/logged-data';
import { tempDir } from '../helpers/tmp';

const HEADER = 'policy,item,position,click,pscore';

function write(content: string | Buffer): string {
  const file = join(tempDir(), 'logs.csv');
  writeFileSync(file, content);
  return file;
}

/** The lines csvFileLines gives, or the problems it throws. */
async function linesOf(path: string, reading: CsvReading = {}): Promise<string[] | { problems: readonly string[] }> {
  try {
    const file = await csvFileLines(path, 'logs.csv', 'logs', undefined, undefined, reading);
    const lines: string[] = [];
    try {
      for await (const line of file.lines) lines.push(line);
    } finally {
      file.close();
    }
    return lines;
  } catch (e) {
    if (e instanceof ValidationError) return { problems: e.problems };
    throw e;
  }
}

/** What a logs file parses to (its columns as arrays, so toEqual compares them), or its problems. */
async function parsed(read: () => Promise<Awaited<ReturnType<typeof readLogs>>>): Promise<unknown> {
  try {
    const r = await read();
    return { ...r, action: [...r.action], context: [...r.context], reward: [...r.reward], propensity: [...r.propensity] };
  } catch (e) {
    if (e instanceof ValidationError) return { problems: e.problems };
    throw e;
  }
}

const CHUNKS = [1, 2, 3, 5, 7];

/** Rows in Open Bandit's shape; the items' names hold 2-, 3- and 4-byte characters. */
const rows = ['random,café,1,0,0.25', 'random,€uro,2,1,0.25', 'bts,😀,3,0,0.5', 'bts,café,1,1,0.5'];

const cases: Record<string, string> = {
  'LF, last line with one': `${HEADER}\n${rows.join('\n')}\n`,
  'CRLF (each CR and LF fall in two reads at some chunk size)': `${HEADER}\r\n${rows.join('\r\n')}\r\n`,
  'a CR alone (Excel for Mac)': `${HEADER}\r${rows.join('\r')}\r`,
  'a byte-order mark, the last line without a line end': `\uFEFF${HEADER}\n${rows.join('\n')}`,
  'line ends mixed, blank lines, a CR before a CRLF': `${HEADER}\r\n\r\n${rows[0]}\r\r\n${rows[1]}\n\r${rows[2]}\r\n\n${rows[3]}`,
  'a quoted field with a comma': `${HEADER}\n"random",café,1,0,0.25\nbts,"a, b",2,1,0.5\n`,
};

const faulty: Record<string, string> = {
  'a bad propensity after CR line ends': `${HEADER}\r${rows[0]}\r${rows[1]}\rbts,😀,3,0,2.5\r${rows[3]}`,
  'a bad click after CRLF and a multi-byte character': `\uFEFF${HEADER}\r\n${rows[0]}\r\n\r\n${rows[2]}\r\nrandom,€uro,2,yes,0.25\r\n`,
  'a row short of a field on the last line, without a line end': `${HEADER}\n${rows.join('\n')}\nbts,café,1`,
  'an unclosed quote': `${HEADER}\n${rows[0]}\n"bts,café,1,0,0.5\n${rows[1]}\n`,
};

describe('csvFileLines read a few bytes at a time', () => {
  it.each(Object.entries({ ...cases, ...faulty }))('gives the lines of the whole read: %s', async (_what, text) => {
    const path = write(text);
    const whole = await linesOf(path);
    // The whole text split as the readers split it, less the byte-order mark and the empty rest after a last line end.
    const split = textLines(text.replace(/^\uFEFF/, ''));
    expect(whole).toEqual(split.at(-1) === '' ? split.slice(0, -1) : split);
    for (const chunkBytes of CHUNKS) expect(await linesOf(path, { chunkBytes }), `${chunkBytes}-byte reads`).toEqual(whole);
  });

  it.each(Object.entries(cases))('parses the rows the whole text parses to: %s', async (_what, text) => {
    const path = write(text);
    const whole = await parsed(() => parseLogLines(textLines(text), 'logs.csv', { context: 'position' }));
    expect(whole).not.toHaveProperty('problems');
    for (const chunkBytes of CHUNKS) expect(await parsed(() => readLogs(path, 'logs.csv', { context: 'position' }, { chunkBytes })), `${chunkBytes}-byte reads`).toEqual(whole);
  });

  it.each(Object.entries(faulty))('names the lines the whole text names: %s', async (_what, text) => {
    const path = write(text);
    const whole = await parsed(() => parseLogLines(textLines(text), 'logs.csv', { context: 'position' }));
    expect(whole).toHaveProperty('problems');
    for (const chunkBytes of CHUNKS) expect(await parsed(() => readLogs(path, 'logs.csv', { context: 'position' }, { chunkBytes })), `${chunkBytes}-byte reads`).toEqual(whole);
  });

  it('names the line of a byte that is not UTF-8 as one read of the whole file does, the line ends before it CR, CRLF and LF', async () => {
    const start = Buffer.from(`${HEADER}\r${rows[0]}\r\n${rows[1]}\n${rows[2]}\r\nbts,caf`);
    const path = write(Buffer.concat([start, Buffer.from([0xe9]), Buffer.from(`,1,0,0.5\n${rows[3]}\n`)])); // a Latin-1 "é" on line 5
    const whole = await linesOf(path);
    expect(whole).toEqual({ problems: [expect.stringMatching(/^logs\.csv: is not UTF-8 text \(at line 5\)/)] });
    for (const chunkBytes of CHUNKS) expect(await linesOf(path, { chunkBytes }), `${chunkBytes}-byte reads`).toEqual(whole);
  });

  it('looks at the first bytes together: a gzip or zip file read a byte at a time is still named as one', async () => {
    // Looked at in the first chunk alone, a 1-byte chunk held too little of the magic number, and a
    // pipe's first chunk can be as short: the file was then refused as not UTF-8, with the wrong fix.
    const gzip = write(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]));
    const zip = write(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from('xl/workbook.xml'), Buffer.alloc(100)]));
    for (const chunkBytes of [1, 3]) {
      expect(await linesOf(gzip, { chunkBytes })).toEqual({ problems: [expect.stringMatching(/^logs\.csv: is gzip-compressed: decompress it first/)] });
      expect(await linesOf(zip, { chunkBytes })).toEqual({ problems: [expect.stringMatching(/^logs\.csv: is a spreadsheet workbook/)] });
    }
  });

  it.each(['\n', '\r\n', '\r'])('refuses a line longer than its bound, naming it, in reads of any size (line end %j)', async (end) => {
    const path = write([HEADER, rows[0], 'x'.repeat(40), rows[1], ''].join(end));
    for (const chunkBytes of [undefined, 1, 7]) {
      expect(await linesOf(path, { maxLineChars: 39, ...(chunkBytes ? { chunkBytes } : {}) })).toEqual({
        problems: ['logs.csv:3: the line runs past 39 characters without a line break: give a CSV file, one row per line'],
      });
      expect(await linesOf(path, { maxLineChars: 40, ...(chunkBytes ? { chunkBytes } : {}) })).toHaveLength(4);
    }
  });

  it("reads a file past MAX_EVENTS_BYTES within aisle ope's limit, one line at a time (a sparse file: nothing is written)", async () => {
    // The rows, then NUL bytes to one byte past the limit every other command keeps: read, not refused
    // by its size; its last "line", all NUL bytes, is refused at the line bound (set low here: the
    // bound's own 256 Mi characters would be read for half a minute).
    const path = write(`${HEADER}\n${rows.join('\n')}\n`);
    truncateSync(path, MAX_EVENTS_BYTES + 1);
    expect(await linesOf(path)).toEqual({ problems: ['logs.csv: file is 256.000001 MB, above the 256 MB limit: give a smaller file'] });
    expect(await linesOf(path, { maxBytes: OPE_LOGS_BYTES, maxLineChars: 1000 })).toEqual({
      problems: ['logs.csv:6: the line runs past 1,000 characters without a line break: give a CSV file, one row per line'],
    });
  });
});
