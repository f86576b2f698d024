// The gap to the optimum, said before the normalised score, in the app and the CLI (src/shared/gap-text.ts).
import { describe, expect, it } from 'vitest';
import { closeness, gapText, type ExactReturns } from '../../src/shared/gap-text';
import { fmt } from '../../src/shared/text';

function returns(expectedReturn: number, optimalReturn: number, randomReturn: number): ExactReturns {
  return { expectedReturn, optimalReturn, randomReturn, optimalityGap: optimalReturn - expectedReturn };
}
const score = (r: ExactReturns) => (r.expectedReturn - r.randomReturn) / (r.optimalReturn - r.randomReturn);

describe('closeness', () => {
  it('calls the greedy policy that walks off the cliff far from optimal, though its score is 0.917', () => {
    const cliff = returns(-99.996, -12.248, -1072.199);
    expect(score(cliff)).toBeCloseTo(0.917, 3);
    expect(closeness(cliff)).toBe('far');
    expect(gapText(cliff, 3, score(cliff))).toBe(
      `Far from optimal: 87.748 below the optimum (-12.248), a gap of 7.2 times the optimal return’s size. Its normalised score, 0.917, looks good only because the random policy does far worse (${fmt(-1072.199)}).`,
    );
  });

  it('calls SARSA’s safe path (−17 against −13) far too: its score of 0.9996 hides a 31 % gap', () => {
    const safe = returns(-17, -13, -9512);
    expect(score(safe)).toBeGreaterThan(0.999);
    expect(closeness(safe)).toBe('far');
    expect(gapText(safe)).toBe('Far from optimal: 4 below the optimum (-13), a gap of 31 % of the optimal return’s size.');
  });

  it('calls a gap within 10 % of the optimum near, and float noise optimal', () => {
    expect(closeness(returns(95, 100, 0))).toBe('near');
    expect(gapText(returns(95, 100, 0))).toBe('Near optimal: 5 below the optimum (100), a gap of 5 % of the optimal return’s size.');
    // A gap of a few millionths says so, not "1 %" (shop-small's greedy policy: 3.7e-6 below 1.8739).
    expect(gapText(returns(1.8738963, 1.8739, 0))).toBe('Near optimal: 0.0000037 below the optimum (1.874), a gap of 0.0002 % of the optimal return’s size.');
    expect(closeness(returns(89, 100, 0))).toBe('far');
    expect(closeness(returns(-13 - 1e-12, -13, -9512))).toBe('optimal');
    expect(gapText(returns(-13, -13, -9512))).toBe('Optimal: the policy’s expected return is the optimum.');
  });

  it('measures a gap from an optimum of 0, which has no size, by 1 % of the optimal − random span', () => {
    // Against |optimal| = 0 any gap would be infinitely far; against a span of 100, 0.5 is not.
    expect(closeness(returns(-0.5, 0, -100))).toBe('near');
    expect(gapText(returns(-0.5, 0, -100))).toBe('Near optimal: 0.5 below the optimum (0).');
    expect(closeness(returns(-2, 0, -100))).toBe('far');
    // Optimal and random alike at 0: there is no scale but the float tolerance.
    expect(closeness(returns(-1, 0, 0))).toBe('far');
  });
});
