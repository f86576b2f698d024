// The Policies screen refuses a policy file past what Aisle stores before sending it: it was
// uploaded whole (70 MB), then refused with a 400 as "text: is larger than the policy file limit".
import { describe, expect, it } from 'vitest';
import { policyTooLarge } from '../../src/renderer/src/components/policy-import-size';
import { logsTooLarge } from '../../src/renderer/src/components/ope-logs-size';
import { pastFileLimit } from '../../src/renderer/src/files';
import { commands, MAX_FILE_CHARS } from '../../src/shared/contract';

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
});
