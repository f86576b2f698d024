// The Policies screen refuses a policy file past what Aisle stores before sending it: it was
// uploaded whole (70 MB), then refused with a 400 as "text: is larger than the policy file limit".
import { describe, expect, it } from 'vitest';
import { policyTooLarge, problemLines } from '../../src/renderer/src/components/policy-import-size';
import { logsTooLarge } from '../../src/renderer/src/components/ope-logs-size';
import { pastFileLimit } from '../../src/renderer/src/files';
import { commands, MAX_FILE_CHARS } from '../../src/shared/contract';
import { mebi, mebiPast, pastLimit } from '../../src/shared/text';

describe('a policy file too large to import', () => {
  it('is refused by its characters, with what reads it instead, and one within the limit is sent', () => {
    expect(policyTooLarge('shop.json', MAX_FILE_CHARS)).toBeNull();
    expect(policyTooLarge('big run.json', 70 * 2 ** 20)).toBe(
      "holds 70 Mi characters, more than the 64 Mi characters Aisle stores of a policy file: evaluate it in a terminal with `aisle eval 'big run.json'`, or serve it with the policy runtime, which read larger files",
    );
    // What it keeps from being sent is what the contract refuses.
    expect(commands['policies.import'].safeParse({ text: 'x'.repeat(MAX_FILE_CHARS + 1), fileName: 'big.json' }).success).toBe(false);
  });
});

describe('a picked file past the limit of what the app sends', () => {
  // One rule (the contract's MAX_FILE_CHARS) said in one sentence, where the policy import, the
  // experiment form's import and Off-policy's logs each wrote it themselves.
  it('is said in one sentence, each screen naming what the limit is of and adding where to go instead', () => {
    expect(pastFileLimit(MAX_FILE_CHARS, 'the app reads')).toBeNull();
    expect(pastFileLimit(70 * 2 ** 20, 'the app reads')).toBe('holds 70 Mi characters, more than the 64 Mi characters the app reads');
    expect(policyTooLarge('big.json', 70 * 2 ** 20)).toMatch(/^holds 70 Mi characters, more than the 64 Mi characters Aisle stores of a policy file: /);
    expect(logsTooLarge({ name: 'big.csv', size: 70 * 2 ** 20 }, 70 * 2 ** 20)).toMatch(/^big\.csv: holds 70 Mi characters, more than the 64 Mi characters the app reads: /);
  });

  it('reads larger than the limit just past it, where it read "holds 64 Mi characters, more than the 64 Mi"', () => {
    const past = (chars: number) => pastFileLimit(chars, 'the app reads')?.replace(/ Mi characters, more than the 64 Mi characters the app reads$/, '');
    expect(past(MAX_FILE_CHARS + 1)).toBe('holds 64.000001');
    expect(past(MAX_FILE_CHARS + 10)).toBe('holds 64.00001');
    expect(past(MAX_FILE_CHARS + 41_943)).toBe('holds 64.04'); // 0.04 Mi: two decimals
    expect(past(MAX_FILE_CHARS + 0.06 * 2 ** 20)).toBe('holds 64.1'); // past the tenths, as before
    expect(past(96.4 * 2 ** 20)).toBe('holds 96.4');
    // The sizes past another limit (a file's bytes, said in MB) alike, its thousands grouped as the limit's.
    expect(mebiPast(4096 * 2 ** 20 + 1, 4096 * 2 ** 20)).toBe('4,096.000001');
    expect(mebiPast(300 * 2 ** 20, 256 * 2 ** 20)).toBe('300');
  });

  it('says a limit that is no whole tenth of 2^20 rounded down, the size past it larger: it read "511.999978 MB, above the 512 MB limit"', () => {
    const policyBytes = 2 ** 29 - 24; // MAX_POLICY_FILE_BYTES: V8's longest string
    expect(pastLimit(policyBytes + 1, policyBytes)).toEqual({ size: '512', limit: '511.9' });
    expect(pastLimit(2 ** 29, policyBytes)).toEqual({ size: '512', limit: '511.9' });
    expect(pastLimit(600 * 2 ** 20, policyBytes)).toEqual({ size: '600', limit: '511.9' });
    // A limit of 100.05 Mi, said 100 (its tenths rounded down), and a size just past it.
    expect(pastLimit(100.05 * 2 ** 20 + 100, 100.05 * 2 ** 20)).toEqual({ size: '100.1', limit: '100' });
    for (const past of [1, 7, 1000, 2 ** 20, 2 ** 28]) {
      const { size, limit } = pastLimit(policyBytes + past, policyBytes);
      expect(Number(size.replace(/,/g, '')), `${past} past`).toBeGreaterThan(Number(limit.replace(/,/g, '')));
    }
  });

  it('groups the thousands of a size in tenths as of whole ones: "5000.5 MB, above the 4,096 MB limit"', () => {
    expect(mebi(5000.5 * 2 ** 20)).toBe('5,000.5');
    expect(pastLimit(5000.5 * 2 ** 20, 4096 * 2 ** 20)).toEqual({ size: '5,000.5', limit: '4,096' });
  });
});

describe('a refused policy file’s problems', () => {
  it('are listed without the file’s name, which their heading says: a file not UTF-8 was named twice', () => {
    expect(problemLines('bin.json', ['bin.json: is UTF-16 text, not UTF-8: save it as UTF-8 (e.g. iconv -f utf-16 -t utf-8)'])).toEqual([
      'is UTF-16 text, not UTF-8: save it as UTF-8 (e.g. iconv -f utf-16 -t utf-8)',
    ]);
    expect(problemLines('cut.json', ['cut.json: malformed JSON at line 1, column 3', 'policy.kind: must be "tabular"'])).toEqual(['malformed JSON at line 1, column 3', 'policy.kind: must be "tabular"']);
    // Another file's name stays.
    expect(problemLines('a.json', ['b.json: not found'])).toEqual(['b.json: not found']);
  });
});
