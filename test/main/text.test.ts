/** Wording shared by the CLI and the app (src/shared/text.ts). */
import { describe, expect, it } from 'vitest';
import { gammaSourceText, scoreText } from '../../src/shared/text';

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
