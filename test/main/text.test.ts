/** Wording shared by the CLI and the app (src/shared/text.ts). */
import { describe, expect, it } from 'vitest';
import { gammaSourceText, middleCut, nameParts, policyFileName, runPickerLabel, scoreText, startsUtf16, tableSizeText } from '../../src/shared/text';

describe('scoreText', () => {
  it('never shows a policy short of the optimum as 1', () => {
    // SARSA's safe path on the cliff: greedy −17 against −13, the random policy −9,512.
    const score = (-17 - -9512) / (-13 - -9512);
    expect(score).toBeLessThan(1);
    expect(scoreText(score)).toBe('0.9996');
    expect(scoreText(0.9999999)).toBe('0.9999999');
    expect(scoreText(1)).toBe('1');
    expect(scoreText(1 - 1e-12)).toBe('1'); // float noise of an optimal policy
    expect(scoreText(0.87912)).toBe('0.879');
    expect(scoreText(0.5)).toBe('0.5');
    expect(scoreText(-0.25)).toBe('-0.25');
    expect(scoreText(null)).toBe('–');
  });

  it('says where an exact evaluation took its γ from', () => {
    expect(gammaSourceText('policy')).toBe("the agent's in training");
    expect(gammaSourceText('default')).toMatch(/^undiscounted/);
  });
});

describe('startsUtf16', () => {
  it('knows UTF-16 by either byte-order mark, and nothing else', () => {
    expect(startsUtf16([0xff, 0xfe, 0x61, 0x00])).toBe(true);
    expect(startsUtf16([0xfe, 0xff, 0x00, 0x61])).toBe(true);
    expect(startsUtf16([0xef, 0xbb, 0xbf, 0x61])).toBe(false); // UTF-8's mark
    expect(startsUtf16([0xff])).toBe(false);
    expect(startsUtf16(new TextEncoder().encode('item,click'))).toBe(false);
  });
});

describe('policyFileName', () => {
  it('makes a safe file name of the policy’s name, or falls back when it leaves nothing', () => {
    expect(policyFileName('Greedy cliff (v2)', 'policy-run-24')).toBe('greedy-cliff-v2.json');
    expect(policyFileName('shop fatigue: DQN — run 24', 'policy-run-24')).toBe('shop-fatigue-dqn-run-24.json');
    expect(policyFileName('../../etc/passwd', 'p')).toBe('etc-passwd.json');
    expect(policyFileName('Café été', 'p')).toBe('cafe-ete.json');
    expect(policyFileName('推荐策略', 'p')).toBe('推荐策略.json');
    expect(policyFileName('x'.repeat(200), 'p')).toBe(`${'x'.repeat(80)}.json`);
    expect(policyFileName('  ?? ', 'policy-run-24')).toBe('policy-run-24.json');
    expect(policyFileName(undefined, 'policy-7')).toBe('policy-7.json');
  });
});

describe('the contract’s file-text limit', () => {
  it('is said in the unit it is set in (64 Mi characters), naming the file', async () => {
    const { commands, MAX_FILE_CHARS } = await import('../../src/shared/contract');
    const { formatIssues } = await import('../../src/engine/params');
    const parsed = commands['policies.import'].safeParse({ text: 'x'.repeat(MAX_FILE_CHARS + 1), fileName: 'big.json' });
    expect(parsed.success).toBe(false);
    expect(formatIssues(parsed.error!.issues)).toEqual(['text: is larger than the policy file limit of 64 Mi characters: use a smaller file, or the aisle command, which reads larger ones']);
    expect(commands['policies.import'].safeParse({ text: 'x'.repeat(1000), fileName: 'small.json' }).success).toBe(true);
  });
});

describe('thousands', () => {
  it('groups the whole part only', async () => {
    const { thousands } = await import('../../src/engine/params');
    expect(thousands(2_000_000)).toBe('2,000,000');
    expect(thousands(1234.5678)).toBe('1,234.5678');
    expect(thousands(-6019580998.9)).toBe('-6,019,580,998.9');
    expect(thousands(0.0361)).toBe('0.0361');
    expect(thousands(1e21)).toBe('1e+21');
  });
});

describe('numbers for reading, in the app and from the CLI', () => {
  it('shows small values with two significant digits at least, not an exponent, down to 1e-6', async () => {
    const { fmt } = await import('../../src/renderer/src/format');
    // The Off-policy and Policies tables' values that read "3.77e-4", "1.58e-6" and "-2.81e-7".
    expect(fmt(3.77e-4, 4)).toBe('0.00038');
    expect(fmt(3.77e-4)).toBe('0.00038');
    expect(fmt(1.58e-6, 4)).toBe('0.0000016');
    expect(fmt(-2.81e-7, 4)).toBe('-2.81e-7'); // its zeros would have to be counted
    // Not one digit for a value just under the decimals asked for, where the next value down shows two.
    expect(fmt(0.0034567)).toBe('0.0035');
    expect(fmt(0.0034567, 4)).toBe('0.0035');
    expect(fmt(0.05123, 1)).toBe('0.051');
    // Unchanged where `digits` decimals already show two.
    expect(fmt(0.0123456)).toBe('0.012');
    expect(fmt(0.123456)).toBe('0.123');
    expect(fmt(0.5)).toBe('0.5');
    expect(fmt(-13.25)).toBe('-13.25');
    expect(fmt(21739.1349, 2)).toBe('21,739.13');
    expect(fmt(40_000)).toBe('40,000');
    expect(fmt(12_345_678.9, 1)).toBe('12,345,678.9');
    expect(fmt(3.2e17)).toBe('320,000,000,000,000,000'); // whole numbers are counts: every digit
    expect(fmt(3.21e15 + 0.5)).toBe('3.21e+15'); // a fraction no column fits
    expect(fmt(1.5e15)).toBe('1,500,000,000,000,000');
    // From 1e21 JavaScript writes a whole double with an exponent and every digit: 1 / 6e-300, an importance weight.
    expect(fmt(1 / 6e-300)).toBe('1.67e+299');
    expect(fmt(-5e298 / 6)).toBe('-8.33e+297');
    expect(fmt(999_999_999_999_999_900_000)).toBe('999,999,999,999,999,900,000');
    expect(fmt(0)).toBe('0');
    expect(fmt(Number.NaN)).toBe('–');
    expect(fmt(-Infinity)).toBe('−∞');
  });

  it('the CLI writes them as the app does, with four digits', async () => {
    const { fmt } = await import('../../src/cli/context');
    const { decimal } = await import('../../src/shared/text');
    expect(fmt(3.77e-4)).toBe('0.00038');
    expect(fmt(0.0034567)).toBe('0.0035');
    expect(fmt(0.00345678, 5)).toBe('0.00346');
    expect(fmt(21739.1349, 2)).toBe('21,739.13');
    expect(fmt(40_000)).toBe('40,000');
    expect(fmt(-99.99612)).toBe(decimal(-99.99612, 4));
    expect(decimal(1.234e15 + 0.25, 2)).toBe('1.23e+15');
  });

  it('is one formatter: the app and the CLI agree on every value, −0 and 1e21 included', async () => {
    const app = (await import('../../src/renderer/src/format')).fmt;
    const cli = (await import('../../src/cli/context')).fmt;
    for (const x of [0, -0, 40_000, -1234.5678, 3.77e-4, -2.81e-7, 3.2e17, 3.21e15 + 0.5, 1e21, Infinity, Number.NaN, null, undefined]) {
      for (const digits of [1, 3, 4]) expect(app(x, digits)).toBe(cli(x, digits));
    }
    // Once the app's whole numbers went through Intl.NumberFormat: "-0", and 1e21 written out in 22 digits.
    expect(app(-0)).toBe('0');
    expect(app(1e21)).toBe('1.00e+21'); // as decimal writes large values (fmt: no count is that large)
    // decimal, which it calls, differs on purpose: a whole number is a count, written in every digit.
    const { decimal } = await import('../../src/shared/text');
    expect([app(3.2e17), decimal(3.2e17, 3)]).toEqual(['320,000,000,000,000,000', '3.20e+17']);
  });

  it('quotes a number out of range grouped as the range is', async () => {
    const { numberSchema } = await import('../../src/engine/params');
    const lambda = numberSchema({ gt: 0, max: 1e6, describe: 'λ' });
    expect(lambda.safeParse(1e9).error?.issues[0]?.message).toBe('must be a number in (0, 1,000,000], got 1,000,000,000');
    expect(lambda.safeParse(-2).error?.issues[0]?.message).toBe('must be a number in (0, 1,000,000], got -2');
    expect(lambda.safeParse(1e99).error?.issues[0]?.message).toBe('must be a number in (0, 1,000,000], got 1e+99');
    expect(numberSchema({ min: 1, max: 1024, int: true, describe: 'n' }).safeParse(2000).error?.issues[0]?.message).toBe('must be a whole number in [1, 1024], got 2000');
  });
});

describe('tableSizeText', () => {
  it('groups the digits of both counts, as every other count in the app and the CLI', () => {
    // shop-large's Q-table: its 1,000 items read "1000 actions" under the Q-tables screen's heatmap and in `aisle export`.
    expect(tableSizeText(757, 1000)).toBe('757 states × 1,000 actions');
    expect(tableSizeText(51_001, 20_000)).toBe('51,001 states × 20,000 actions');
    expect(tableSizeText(1, 1)).toBe('1 state × 1 action');
  });
});

describe('nameParts', () => {
  it("splits a sweep's name before the settings it ends with, every trailing (…), for the app's name cells to keep whole", () => {
    expect(nameParts('q-learning on shop (exact) (alpha=0.1, epsilon=0.05)')).toEqual({ start: 'q-learning on shop', settings: ' (exact) (alpha=0.1, epsilon=0.05)' });
    expect(nameParts('cliff (alpha=0.1) (2)')).toEqual({ start: 'cliff', settings: ' (alpha=0.1) (2)' });
    expect(nameParts('cliff (alpha=0.1) again')).toEqual({ start: 'cliff (alpha=0.1) again', settings: '' });
    expect(nameParts('plain')).toEqual({ start: 'plain', settings: '' });
  });

  it('is the part middleCut keeps whole', () => {
    const name = 'q-learning on a shop of many items (alpha=0.1, epsilon=0.05)';
    expect(middleCut(name, 40)).toBe(`q-learning on…${nameParts(name).settings}`);
  });
});

describe('runPickerLabel', () => {
  it("keeps a sweep's settings in the Q-tables and Policies pickers, and gives the whole label for their title", () => {
    const run = { id: 12, experimentName: 'q-learning on the cliff walking grid, a long shared start (alpha=0.1, epsilon=0.05)', agentId: 'q-learning', seed: 3 };
    expect(runPickerLabel(run)).toBe('run 12 · q-learning on the cli… (alpha=0.1, epsilon=0.05) · q-learning · seed 3');
    expect(runPickerLabel(run, Infinity)).toBe(`run 12 · ${run.experimentName} · q-learning · seed 3`);
    expect(runPickerLabel({ ...run, experimentName: 'cliff' })).toBe('run 12 · cliff · q-learning · seed 3');
  });
});
