// A gzip file given to a reader is named as one, with the command to decompress it: `gunzip -k
// logs.csv.gz`. Piped in (`cat logs.csv.gz | aisle ope /dev/stdin …`) the advice read `gunzip -k
// /dev/stdin`, which decompresses nothing (found by the real-data audit, piping a gzip file into
// shop calibrate). A stream is now told to decompress into the pipe.
import { describe, expect, it } from 'vitest';
import { binaryFileProblem } from '../../src/shared/text';

const GZIP = [0x1f, 0x8b, 0x08, 0x00];

describe('a gzip file given where CSV or JSON goes', () => {
  it('names gunzip for a file, and zcat into the pipe for a stream', () => {
    expect(binaryFileProblem('logs.csv', GZIP)).toBe('logs.csv: is gzip-compressed: decompress it first (e.g. gunzip -k logs.csv)');
    for (const stream of ['/dev/stdin', '/dev/fd/0', '/dev/fd/63', '/proc/self/fd/3']) {
      expect(binaryFileProblem(stream, GZIP)).toBe(`${stream}: is gzip-compressed: decompress it first (e.g. zcat logs.csv.gz | aisle … /dev/stdin, not cat)`);
    }
    expect(binaryFileProblem('/dev/stdin.csv', GZIP)).toBe('/dev/stdin.csv: is gzip-compressed: decompress it first (e.g. gunzip -k /dev/stdin.csv)');
  });
});
