// The Experiments screen refuses a results file past what the app imports, before reading it, and
// gives the command that reads it in a terminal. A name with a space, as downloads are often named
// ("night run.aisle-results"), was written into that command as it stands, which a shell splits in two.
import { describe, expect, it } from 'vitest';
import { tooLargeToImport } from '../../src/renderer/src/components/experiments-results';
import { MAX_RESULTS_FILE_BYTES } from '../../src/shared/dto';

describe('a results file too large for the app', () => {
  it('is refused by its size, naming the command to import it with, its name quoted as a shell needs', () => {
    expect(tooLargeToImport({ name: 'long-runs.aisle-results', size: MAX_RESULTS_FILE_BYTES })).toBeNull();
    expect(tooLargeToImport({ name: 'long-runs.aisle-results', size: 97 * 2 ** 20 })).toBe(
      'long-runs.aisle-results: is 97 MB, more than the 48 MB the app imports: import it in a terminal with `aisle results import long-runs.aisle-results`, which reads larger files',
    );
    expect(tooLargeToImport({ name: "night run's.aisle-results", size: 97 * 2 ** 20 })).toContain("`aisle results import 'night run'\\''s.aisle-results'`");
  });
  it('reads larger than the limit one byte past it, where it read "is 48 MB, more than the 48 MB"', () => {
    expect(tooLargeToImport({ name: 'r.aisle-results', size: MAX_RESULTS_FILE_BYTES + 1 })).toMatch(/^r\.aisle-results: is 48\.000001 MB, more than the 48 MB the app imports:/);
  });
});
