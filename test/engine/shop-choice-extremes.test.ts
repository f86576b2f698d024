// The shop's choice at the far ends of its parameter ranges (docs/shop-simulator.md, "The choice"):
// the multinomial logit P(click i) = e^{u_i} / (e^{u_0} + Σ_j e^{u_j}) is held here where a factor of
// the shop's tables, e^{w_aff · ln ρ} or e^{w_attr · b − w_price · β · z − u₀}, has a large exponent.
// Each exponent was clamped to ±150, which kept the product finite but was no longer the model: an
// affinity at its floor (ln ρ = ln(C · 10⁻⁶)) under affinityWeight 20 is −262, read as −150, and two
// items of attractiveness 20 and 15 under attractivenessWeight 10 (200 and 150) were both read as
// 150, so the user clicked them half and half where the model clicks the first every time.
import { describe, expect, it } from 'vitest';
import { createShopEnv, type ShopParamsInput } from '../../src/engine/envs/shop';
import { Rng } from '../../src/engine/rng';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const item = (category: number, attractiveness: number) => ({ category, price: 10, quality: 0.5, attractiveness });

describe('the shop’s choice with large utilities', () => {
  it('keeps an affinity at its floor under affinityWeight 20: an attractive item of a shunned category is not clicked', () => {
    // Two categories, one item each; a Dirichlet of concentration 0.001 puts all but nothing on one.
    const params: ShopParamsInput = {
      catalog: { items: [item(0, 10), item(1, 10)] },
      segments: 1, affinityConcentration: 0.001, affinityWeight: 20, attractivenessWeight: 20, noClickUtility: 0, slateSize: 1,
    };
    const env = createShopEnv(params);
    env.reset(1);
    const m = env.model;
    const a = env.affinities;
    const shunned = a[0]! < a[1]! ? 0 : 1;
    expect(a[shunned]!).toBeLessThan(1e-6); // at the floor: ln ρ = ln(2 · 10⁻⁶)
    const values = new Float64Array(2);
    env.oracle.immediateValues(values); // reward "clicks": E[r | a] = P(click the slate's item)
    for (let i = 0; i < 2; i++) {
      const u = m.params.affinityWeight * Math.log(2 * Math.max(1e-6, a[i]!)) + m.params.attractivenessWeight * 10; // z = 0: one price
      expect(values[i]!, `item ${i}`).toBeCloseTo(sigmoid(u - m.params.noClickUtility), 12);
    }
    expect(values[shunned]!).toBeLessThan(1e-20); // the clamp made it 0.5
  });

  it('tells two items apart whose utilities are both past 150: the user clicks the better one', () => {
    const params: ShopParamsInput = {
      catalog: { items: [item(0, 20), item(0, 15)] },
      segments: 1, attractivenessWeight: 10, slateSize: 2, maxSteps: 1000, leaveBase: 0, leaveSlope: 0, purchaseGain: 0,
    };
    const env = createShopEnv(params);
    const u0 = env.model.params.noClickUtility;
    // The logit's shares, from the exponents' differences: item 1 trails item 0 by 50.
    const pSecond = 1 / (1 + Math.exp(50) + Math.exp(u0 - 150));
    const rng = new Rng(5, 0);
    env.reset(3);
    const n = 2000;
    let second = 0;
    for (let t = 0; t < n; t++) {
      const r = env.step(rng.int(2)); // both actions show items 0 and 1
      if (env.session().clickedItem === 1) second++;
      if (r.terminated || r.truncated) env.reset();
    }
    expect(Math.abs(second - n * pSecond)).toBeLessThanOrEqual(4 * Math.sqrt(n * pSecond) + 1); // was about n/2
  });
});
