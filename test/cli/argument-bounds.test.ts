// The option parsers' messages name their bounds as the experiment's own checks write ranges
// (rangeNumber: thousands grouped from 10,000 on; QA: `--episodes must be a whole number from 2 to
// 100000000`, where the experiment file's episodes say [1, 100,000,000]).
import { describe, expect, it } from 'vitest';
import { idList, integer, nameOption, percent, real } from '../../src/cli/arguments';
import { thrownMessage } from '../helpers/validation-problems';

describe('an option out of its range', () => {
  it('names its bounds grouped by thousands from 10,000 on, as ranges are written', () => {
    expect(thrownMessage(() => integer('--episodes', 2, 100_000_000)('1'))).toBe('--episodes must be a whole number from 2 to 100,000,000, got "1".');
    expect(thrownMessage(() => integer('--workers', 1, 256)('0'))).toBe('--workers must be a whole number from 1 to 256, got "0".');
    expect(thrownMessage(() => integer('runId', 1)('x'))).toBe('runId must be a whole number from 1 up, got "x".');
    expect(thrownMessage(() => real('--prior', 0, 1_000_000)('-1'))).toBe('--prior must be a number in [0, 1,000,000], got "-1".');
    expect(thrownMessage(() => real('--confidence', 0.5, 0.999)('1'))).toBe('--confidence must be a number in [0.5, 0.999], got "1".');
    expect(thrownMessage(() => integer('--port', 0, 65535)('-1'))).toBe('--port must be a whole number from 0 to 65,535, got "-1".');
    expect(thrownMessage(() => integer('--seeds', 1, 1000)('0'))).toBe('--seeds must be a whole number from 1 to 1000, got "0".');
    // A range's size is a count, grouped as counts are (plural): 1,000 and up.
    expect(thrownMessage(() => idList('--runs')('1-2000'))).toBe('--runs: "1-2000" names 2,000 ids, more than 1,000 in one range: give a shorter one.');
  });

  it('takes a whole number in exponent form, as an experiment file does (--episodes 1e8, its maximum), and refuses one that is not whole or past the range', () => {
    expect(integer('--episodes', 1, 100_000_000)('1e8')).toBe(100_000_000);
    expect(integer('--episodes', 1, 100_000_000)('2.5E5')).toBe(250_000);
    expect(integer('--episodes', 1, 100_000_000)('1e+3')).toBe(1000);
    expect(thrownMessage(() => integer('--episodes', 1, 100_000_000)('1e9'))).toBe('--episodes must be a whole number from 1 to 100,000,000, got "1e9".');
    expect(thrownMessage(() => integer('--episodes', 1, 100_000_000)('1.5e0'))).toBe('--episodes must be a whole number from 1 to 100,000,000, got "1.5e0".');
    expect(thrownMessage(() => integer('--seeds', 1, 1000)('1e-3'))).toBe('--seeds must be a whole number from 1 to 1000, got "1e-3".');
  });

  it('takes a number option written as a decimal number, not as JavaScript reads other spellings', () => {
    // `--prior 0x10` was a prior of 16, `--gamma 0b1` a gamma of 1 and `--holdout-last 0x5` 5 %, where every whole-number option refuses 0x10.
    for (const text of ['0x10', '0b1', '0o7', '1_0']) {
      expect(thrownMessage(() => real('--prior', 0, 1_000_000)(text)), text).toBe(`--prior must be a number in [0, 1,000,000], got "${text}".`);
      expect(thrownMessage(() => percent('--holdout-last')(text)), text).toMatch(/^--holdout-last must be a percentage above 0 and below 100 /);
    }
    expect(thrownMessage(() => real('--gamma', 0, 1)('0b1'))).toBe('--gamma must be a number in [0, 1], got "0b1".');
    // The spellings of a decimal number are all taken, as before.
    expect(['1', '2.5', '.5', '5.', '+2', '1e3', ' 3 '].map((t) => real('--prior', 0, 1_000_000)(t))).toEqual([1, 2.5, 0.5, 5, 2, 1000, 3]);
    expect(['20', '20%', '12.5', ' 5 ', '5e0', '20 %'].map((t) => percent('--holdout-last')(t))).toEqual([20, 20, 12.5, 5, 5, 20]);
  });

  it('an id past the largest whole number a double holds exactly is refused as too large, not rounded to another id', () => {
    // compare said `experimentIds[0]: must be a whole-number id` (the contract's field), delete and
    // results export `run 100000000000000000000 does not exist`, an id the user never wrote; then
    // 'must be a whole number from 1 up' of a whole number from 1 up (test/cli/id-too-large.test.ts).
    expect(thrownMessage(() => integer('runId', 1)('99999999999999999999'))).toBe('runId "99999999999999999999" is too large: no run has an id above 9,007,199,254,740,991 (2^53 − 1): `aisle runs` lists the runs there are.');
    expect(thrownMessage(() => idList('experimentId')('99999999999999999999'))).toBe('experimentId "99999999999999999999" is too large: no experiment has an id above 9,007,199,254,740,991 (2^53 − 1): `aisle experiments` lists the experiments there are.');
    expect(thrownMessage(() => idList('--runs')('9007199254740993-9007199254740994'))).toBe('--runs "9007199254740993-9007199254740994" is too large: no run has an id above 9,007,199,254,740,991 (2^53 − 1): `aisle runs` lists the runs there are.');
    // A range from 0 was told to 'write the lower first', which it does: ids start at 1.
    expect(thrownMessage(() => idList('runId')('0-3'))).toBe('runId: "0-3" is not a range of ids: ids start at 1, e.g. 1-3.');
    expect(thrownMessage(() => idList('runId')('0..1'))).toBe('runId: "0..1" is not a range of ids: ids start at 1, e.g. 1.');
    expect(thrownMessage(() => idList('runId')('5-0'))).toBe('runId: "5-0" is not a range of ids: ids start at 1, e.g. 1-5.');
    expect(thrownMessage(() => idList('runId')('0-0'))).toBe('runId: "0-0" is not a range of ids: ids start at 1, e.g. 21-40.');
    // Its example within one range's 1,000 ids: "e.g. 1-5000" was then refused for naming 5,000.
    expect(thrownMessage(() => idList('runId')('0-5000'))).toBe('runId: "0-5000" is not a range of ids: ids start at 1, e.g. 1-1000.');
    expect(() => idList('runId')('1-1000')).not.toThrow();
    expect(thrownMessage(() => idList('runId')('9-4'))).toBe('runId: "9-4" is not a range of ids: write the lower first, e.g. 4-9.');
    expect(thrownMessage(() => idList('--runs')('x-1'))).toBe('--runs must be a whole number from 1 up, or a range of them such as 21-40, got "x-1".');
    expect(idList('--runs')('9007199254740991')).toEqual([9007199254740991]);
  });
});

// --name (aisle export, logs mdp): a name of only spaces is refused saying so; the general words
// ("1 to 500 characters, none of them control characters") fit it and did not say what was wrong.
describe('--name', () => {
  it('refuses a name of only spaces saying so', () => {
    expect(thrownMessage(() => nameOption(500)('   '))).toBe('--name is only spaces: give the name some visible characters (up to 500).');
    expect(thrownMessage(() => nameOption(200)(' '))).toBe('--name is only spaces: give the name some visible characters (up to 200).');
  });

  it('keeps its words for an empty, long or control-character name, and takes a name with spaces around it', () => {
    expect(thrownMessage(() => nameOption(500)(''))).toBe('--name must be 1 to 500 characters, none of them control characters, got "".');
    expect(thrownMessage(() => nameOption(500)('x'.repeat(501)))).toBe('--name must be 1 to 500 characters, none of them control characters, got 501 characters.');
    expect(thrownMessage(() => nameOption(200)(' \t '))).toMatch(/none of them control characters/);
    expect(nameOption(500)('  shop q  ')).toBe('  shop q  ');
  });
});
