// The Off-policy screen's bootstrap seed took any whole number up to 2⁵³ − 1, `aisle ope --seed` one
// up to 2,147,483,647: the engine's generator keeps a seed's low 32 bits, so the screen's seed
// 4,294,967,296 drew seed 0's resamples, and its intervals were seed 0's under another name.
// logs.evaluate now takes the CLI's range, and the screen says so before sending.
import { describe, expect, it } from 'vitest';
import { labelOrder, uniformTarget, evaluateOffPolicy, type LoggedBandit } from '../../src/engine/ope';
import { commands } from '../../src/shared/contract';

const request = (seed: number) => ({ text: 'item,click,pscore\n0,1,0.5\n', fileName: 'logs.csv', targets: [{ kind: 'uniform' }], seed });

describe("logs.evaluate's seed", () => {
  it('is a whole number from 0 to 2,147,483,647, as aisle ope --seed takes it', () => {
    expect(commands['logs.evaluate'].safeParse(request(0)).success).toBe(true);
    expect(commands['logs.evaluate'].safeParse(request(2 ** 31 - 1)).success).toBe(true);
    expect(commands['logs.evaluate'].safeParse(request(2 ** 31)).success).toBe(false);
    expect(commands['logs.evaluate'].safeParse(request(2 ** 32)).success).toBe(false);
  });

  it('beyond it would only repeat seeds within it (why the range is the limit)', () => {
    const actions = labelOrder(['a', 'b']);
    const data: LoggedBandit = {
      contextLabels: [''],
      actionLabels: actions,
      context: new Int32Array(40),
      action: Int32Array.from({ length: 40 }, (_, i) => i % 2),
      reward: Float64Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 1 : 0)),
      propensity: new Float64Array(40).fill(0.5),
    };
    const at = (seed: number) => evaluateOffPolicy(data, uniformTarget(data), { resamples: 50, seed }).estimates.ips;
    expect(at(2 ** 32)).toEqual(at(0));
    expect(at(1)).not.toEqual(at(0));
  });
});
