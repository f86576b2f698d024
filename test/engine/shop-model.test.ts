// The shop's model, piece by piece: the multinomial-logit choice, the click → cart → purchase funnel
// (by simulation, within binomial tolerance), fatigue (closed form after k steps), churn, drift and
// the shift, each against formulas written out here.
import { describe, expect, it } from 'vitest';
import { createShopEnv, type ShopCatalog, type ShopEnv, type ShopParamsInput } from '../../src/engine/envs/shop';
import { createTables, setAffinities, slateProbabilities, sigmoid } from '../../src/engine/envs/shop/choice';
import { CLICK, NO_CLICK, PURCHASE, gridSplit, leaveProbability, nextEngagement, nextFatigue } from '../../src/engine/envs/shop/dynamics';
import { shopParams } from '../../src/engine/envs/shop/params';

/** One category and equal prices: ln ρ = 0 and z = 0, so u_i = w_attr · b_i exactly. */
function flatCatalog(attractiveness: number[], quality = 0.5, categories = 1): ShopCatalog {
  return { items: attractiveness.map((b, i) => ({ category: i % categories, price: 10, quality, attractiveness: b })) };
}

const still = { leaveBase: 0, leaveSlope: 0, purchaseGain: 0, clickbaitLoss: 0, ignoreLoss: 0, fatigueLoss: 0, fatigueIncrement: 0 } as const;

/** Plays `steps` steps of action `action`, resetting as sessions end; returns the env. */
function play(params: ShopParamsInput, action: (env: ShopEnv) => number, steps: number, seed = 1, onStep?: (env: ShopEnv) => void): ShopEnv {
  const env = createShopEnv(params);
  env.reset(seed);
  for (let t = 0; t < steps; t++) {
    const r = env.step(action(env));
    onStep?.(env);
    if (r.terminated || r.truncated) env.reset();
  }
  return env;
}

describe('the choice model', () => {
  it('gives probabilities that sum to 1, with the no-click option e^{u0} / (e^{u0} + Σ e^{u})', () => {
    const env = createShopEnv({ catalog: flatCatalog([0.5, -1, 2]), slateSize: 3, noClickUtility: 0.7 });
    env.reset(0);
    const m = env.model;
    const t = createTables(m);
    setAffinities(m, m.segments.affinity, 0, t);
    const out = new Float64Array(4);
    slateProbabilities(m, t, 0, -1, 0, m.slates, 0, 3, out);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    const denominator = Math.exp(0.7) + Math.exp(0.5) + Math.exp(-1) + Math.exp(2);
    expect(out[0]).toBeCloseTo(Math.exp(0.7) / denominator, 14);
    // The slate of action 0 is item 0 then the category's best-ranked others (2, then 1).
    expect([...m.slates.subarray(0, 3)]).toEqual([0, 2, 1]);
    expect(out[1]).toBeCloseTo(Math.exp(0.5) / denominator, 14);
    expect(out[2]).toBeCloseTo(Math.exp(2) / denominator, 14);
    // Fatigue lowers the last clicked category's weights by e^{−w_fat · f}.
    slateProbabilities(m, t, 0, 0, 0.5, m.slates, 0, 3, out);
    const tired = Math.exp(-2 * 0.5);
    expect(out[0]).toBeCloseTo(Math.exp(0.7) / (Math.exp(0.7) + tired * (denominator - Math.exp(0.7))), 14);
  });

  it('chooses a dominated item less, and clicks less when not clicking is worth more', () => {
    const probs = (attractiveness: number[], noClickUtility: number) => {
      const env = createShopEnv({ catalog: flatCatalog(attractiveness), slateSize: 2, noClickUtility });
      const t = createTables(env.model);
      setAffinities(env.model, env.model.segments.affinity, 0, t);
      const out = new Float64Array(3);
      slateProbabilities(env.model, t, 0, -1, 0, env.model.slates, 0, 2, out);
      return out;
    };
    const p = probs([1, 0.2], 1);
    expect(p[2]).toBeLessThan(p[1]!);
    expect(probs([1, 0.2], 2)[0]).toBeGreaterThan(p[0]!);
  });

  it('samples clicks with those probabilities (χ² test on 60,000 slates)', () => {
    const params = { catalog: flatCatalog([0.5, -1, 2]), slateSize: 3, noClickUtility: 0.7, ...still, maxSteps: 1000 };
    const counts = [0, 0, 0, 0];
    play(params, () => 0, 60_000, 3, (env) => counts[env.session().clickedItem + 1]!++);
    const d = Math.exp(0.7) + Math.exp(0.5) + Math.exp(-1) + Math.exp(2);
    const expected = [Math.exp(0.7), Math.exp(0.5), Math.exp(-1), Math.exp(2)].map((w) => (60_000 * w) / d);
    const chi2 = counts.reduce((acc, c, i) => acc + (c - expected[i]!) ** 2 / expected[i]!, 0);
    expect(chi2).toBeLessThan(16.3); // χ²(3) at p = 0.001
  });
});

describe('the funnel', () => {
  it('turns clicks into carts and carts into purchases at the logistic rates, within binomial tolerance', () => {
    const quality = 0.6;
    const params = { catalog: flatCatalog([3], quality), ...still, maxSteps: 1000, cartBias: -0.5, cartQuality: 2, purchaseBias: 0.2, purchaseQuality: 1 };
    let clicks = 0;
    let carts = 0;
    let purchases = 0;
    const env = createShopEnv(params);
    env.reset(5);
    for (let t = 0; t < 50_000; t++) {
      const r = env.step(0);
      if (r.terminated || r.truncated) {
        const s = env.session();
        clicks += s.clicks;
        carts += s.carts;
        purchases += s.purchases;
        env.reset();
      }
    }
    const pCart = sigmoid(-0.5 + 2 * quality); // ln ρ = 0 and z = 0 here
    const pBuy = sigmoid(0.2 + 1 * quality);
    const within = (k: number, n: number, p: number) => expect(Math.abs(k - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)));
    expect(clicks).toBeGreaterThan(40_000);
    within(carts, clicks, pCart);
    within(purchases, carts, pBuy);
  });

  it('pays clicks, purchases, revenue (price × margin) or their weighted sum', () => {
    const catalog: ShopCatalog = { items: [{ category: 0, price: 40, quality: 1, attractiveness: 20 }] };
    const certain = { catalog, ...still, maxSteps: 1, cartBias: 20, purchaseBias: 20, margin: 0.25 };
    const reward = (extra: ShopParamsInput) => {
      const env = createShopEnv({ ...certain, ...extra });
      env.reset(0);
      return env.step(0).reward;
    };
    expect(reward({ reward: 'clicks' })).toBe(1);
    expect(reward({ reward: 'purchases' })).toBe(1);
    expect(reward({ reward: 'revenue' })).toBe(10);
    expect(reward({ reward: 'weighted', rewardWeights: { click: 0.5, purchase: 2, revenue: 0.1 } })).toBeCloseTo(0.5 + 2 + 1, 12);
  });
});

describe('long-term effects', () => {
  const p = shopParams.parse({ fatigueIncrement: 0.3, fatigueDecay: 0.6 });

  it('fatigue follows its closed form: f_k = λ^k f_0 + δ(1 − λ^k)/(1 − λ) while showing the category, λ^k f_0 after', () => {
    let f = 0;
    for (let k = 1; k <= 6; k++) {
      f = nextFatigue(p, f, 1);
      expect(f).toBeCloseTo((0.3 * (1 - 0.6 ** k)) / (1 - 0.6), 14);
    }
    const f0 = f;
    for (let k = 1; k <= 6; k++) {
      f = nextFatigue(p, f, 0);
      expect(f).toBeCloseTo(0.6 ** k * f0, 14);
    }
    expect(nextFatigue(shopParams.parse({ fatigueIncrement: 1, fatigueDecay: 0.9 }), 0.8, 1)).toBe(1); // capped at 1
  });

  it('builds and decays fatigue in the environment as the closed form says', () => {
    // Item 0 (category 0) is always clicked, item 1 (category 1) never.
    const catalog: ShopCatalog = { items: [{ category: 0, price: 10, quality: 0.5, attractiveness: 20 }, { category: 1, price: 10, quality: 0.5, attractiveness: -20 }] };
    const env = createShopEnv({ catalog, ...still, fatigueIncrement: 0.3, fatigueDecay: 0.6, fatigueWeight: 0, maxSteps: 100 });
    env.reset(0);
    env.step(0); // the first click moves the user to category 0 with no fatigue yet
    expect(env.session()).toMatchObject({ lastCategory: 0, fatigue: 0 });
    for (let k = 1; k <= 5; k++) {
      env.step(0);
      expect(env.session().fatigue).toBeCloseTo((0.3 * (1 - 0.6 ** k)) / 0.4, 12);
    }
    const f0 = env.session().fatigue;
    for (let k = 1; k <= 5; k++) {
      env.step(1);
      expect(env.session().clickedItem).toBe(-1);
      expect(env.session().fatigue).toBeCloseTo(0.6 ** k * f0, 12);
    }
  });

  it('moves engagement by purchases, disappointing clicks, ignored slates and fatigue', () => {
    const q = shopParams.parse({ purchaseGain: 0.3, clickbaitLoss: 0.4, ignoreLoss: 0.05, fatigueLoss: 0.1 });
    expect(nextEngagement(q, 0.5, PURCHASE, 0.8, 0)).toBeCloseTo(0.5 + 0.3 * 0.8, 14);
    expect(nextEngagement(q, 0.5, CLICK, 0.2, 0)).toBeCloseTo(0.5 - 0.4 * 0.8, 14);
    expect(nextEngagement(q, 0.5, NO_CLICK, 0, 0.5)).toBeCloseTo(0.5 - 0.05 - 0.05, 14);
    expect(nextEngagement(q, 0.95, PURCHASE, 1, 0)).toBe(1);
    expect(nextEngagement(q, 0.1, CLICK, 0, 1)).toBe(0);
  });

  it('makes leaving likelier as engagement falls: sessions are geometric with p = base + slope · (1 − e)', () => {
    const q = shopParams.parse({ leaveBase: 0.02, leaveSlope: 0.3 });
    for (let e = 0; e < 1; e += 0.1) expect(leaveProbability(q, e)).toBeGreaterThan(leaveProbability(q, e + 0.1));
    const meanLength = (engagementStart: number) => {
      const env = createShopEnv({ ...still, leaveBase: 0.02, leaveSlope: 0.3, engagementStart, maxSteps: 100_000 });
      let steps = 0;
      env.reset(2);
      for (let episode = 0; episode < 4000; episode++) {
        for (;;) {
          steps++;
          if (env.step(episode % env.actionSpace.n).terminated) break;
        }
        env.reset();
      }
      return steps / 4000;
    };
    for (const e of [0.9, 0.3]) {
      const p = 0.02 + 0.3 * (1 - e);
      const sd = Math.sqrt((1 - p) / (p * p) / 4000);
      expect(Math.abs(meanLength(e) - 1 / p)).toBeLessThan(4 * sd);
    }
  });

  it('rounds onto level grids without bias (the exact mode)', () => {
    const out = new Float64Array(2);
    gridSplit(0.7, 3, out);
    expect(out[0]).toBe(1);
    expect(out[1]).toBeCloseTo(0.4, 12); // 0.7 = 0.6 · 0.5 + 0.4 · 1
    gridSplit(0.5, 3, out);
    expect([...out]).toEqual([1, 0]);
    gridSplit(1, 3, out);
    expect([...out]).toEqual([2, 0]);
    gridSplit(0.1 + 0.2 + 0.2, 3, out); // 0.5000000000000001: floating slack around a level counts as on it
    expect([...out]).toEqual([1, 0]);
  });
});

describe('drift and shift', () => {
  it('moves affinities by a per-episode random walk, keeping each row on the simplex', () => {
    const env = createShopEnv({ driftStd: 0.3, segments: 3, categories: 5 });
    env.reset(1);
    const first = Float64Array.from(env.affinities);
    for (let e = 0; e < 10; e++) env.reset();
    const later = env.affinities;
    expect([...later]).not.toEqual([...first]);
    for (let s = 0; s < 3; s++) expect(later.subarray(s * 5, s * 5 + 5).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    env.reset(1); // reseeding restores the shop's own affinities
    expect([...env.affinities]).toEqual([...first]);
  });

  it('shifts affinities towards new ones at episode shiftAt, and only then', () => {
    const env = createShopEnv({ shiftAt: 3, shiftMagnitude: 0.5 });
    const base = Float64Array.from(env.model.segments.affinity);
    const target = env.model.segments.shiftTarget;
    env.reset(0);
    for (let e = 1; e < 3; e++) env.reset();
    expect([...env.affinities]).toEqual([...base]);
    env.reset(); // episode 3
    env.affinities.forEach((a, i) => expect(a).toBeCloseTo(0.5 * base[i]! + 0.5 * target[i]!, 14));
    const after = Float64Array.from(env.affinities);
    env.reset();
    expect([...env.affinities]).toEqual([...after]);
  });

  it('draws the shop from catalogSeed and the users from the run seed', () => {
    const a = createShopEnv({ catalogSeed: 4 });
    const b = createShopEnv({ catalogSeed: 4 });
    const c = createShopEnv({ catalogSeed: 5 });
    expect([...a.model.catalog.price]).toEqual([...b.model.catalog.price]);
    expect([...a.model.segments.affinity]).toEqual([...b.model.segments.affinity]);
    expect([...a.model.catalog.price]).not.toEqual([...c.model.catalog.price]);
    const catalog = a.model.catalog;
    expect(Math.round(0.2 * catalog.items)).toBe(catalog.clickbait.reduce((n, x) => n + x, 0));
  });
});
