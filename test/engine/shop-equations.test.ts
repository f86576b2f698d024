// docs/shop-simulator.md's equations, written out here from the document alone (not from choice.ts's
// tables), against the shop: the slates; the expected immediate reward the oracle reports, with
// affinity, price, fatigue, drift and a weighted reward all in play; the step's draws, by the sum of
// observed-minus-expected indicators over a long run of a drifting shop (a z-score per event: no
// click, each slate position, cart, purchase, leaving); the distributions of the generated catalog,
// the segments and the drift; and the window metrics read through the environment. The existing
// tests hold the choice and the funnel on flat catalogs, where ln ρ = 0 and z = 0; here neither is.
import { describe, expect, it } from 'vitest';
import { createShopEnv, type ShopEnv, type ShopParamsInput } from '../../src/engine/envs/shop';
import { generateCatalog } from '../../src/engine/envs/shop/catalog';
import { shopParams } from '../../src/engine/envs/shop/params';
import { generateSegments } from '../../src/engine/envs/shop/users';
import { Rng } from '../../src/engine/rng';

const sigma = (x: number) => 1 / (1 + Math.exp(-x));

/** The document's model of one shop, computed from its catalog, segments and current affinities. */
function documented(env: ShopEnv) {
  const m = env.model;
  const p = m.params;
  const { price, quality, attractiveness, category } = m.catalog;
  const C = m.categories;
  const sorted = [...price].sort((a, b) => a - b);
  const n = sorted.length;
  const reference = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const z = (i: number) => Math.log(price[i]! / reference);
  const beta = (s: number) => m.segments.priceSensitivity[s]!;
  const lnRho = (s: number, c: number) => Math.log(C * Math.max(1e-6, env.affinities[s * C + c]!));
  const [wClick, wPurchase, wRevenue] =
    p.reward === 'clicks' ? [1, 0, 0] : p.reward === 'purchases' ? [0, 1, 0] : p.reward === 'revenue' ? [0, 0, 1] : [p.rewardWeights.click, p.rewardWeights.purchase, p.rewardWeights.revenue];
  const utility = (s: number, i: number, last: number, f: number) =>
    p.affinityWeight * lnRho(s, category[i]!) + p.attractivenessWeight * attractiveness[i]! - p.priceWeight * beta(s) * z(i) - p.fatigueWeight * f * (category[i] === last ? 1 : 0);
  /** [P(no click), P(click slate[0]), …] */
  const choice = (s: number, slate: readonly number[], last: number, f: number) => {
    const weights = [Math.exp(p.noClickUtility), ...slate.map((i) => Math.exp(utility(s, i, last, f)))];
    const total = weights.reduce((a, b) => a + b, 0);
    return weights.map((w) => w / total);
  };
  const cart = (s: number, i: number) => sigma(p.cartBias + p.cartQuality * quality[i]! + p.cartAffinity * lnRho(s, category[i]!) - p.cartPrice * beta(s) * z(i));
  const purchase = (s: number, i: number) => sigma(p.purchaseBias + p.purchaseQuality * quality[i]! - p.purchasePrice * beta(s) * z(i));
  const purchaseReward = (i: number) => wPurchase + wRevenue * price[i]! * p.margin;
  const slate = (a: number) => Array.from(m.slates.subarray(a * m.slateSize, (a + 1) * m.slateSize));
  const expectedReward = (s: number, a: number, last: number, f: number) => {
    const items = slate(a);
    const probs = choice(s, items, last, f);
    return items.reduce((acc, i, j) => acc + probs[j + 1]! * (wClick + cart(s, i) * purchase(s, i) * purchaseReward(i)), 0);
  };
  return { reference, choice, cart, purchase, slate, expectedReward, wClick, purchaseReward };
}

/** The slates by the document's rule, from the ranking key alone. */
function documentedSlates(env: ShopEnv): number[][] {
  const m = env.model;
  const p = m.params;
  const key = p.ranking === 'quality' ? m.catalog.quality : m.catalog.attractiveness;
  const ranked = [...Array(m.items).keys()].sort((a, b) => key[b]! - key[a]! || a - b);
  const k = p.slateSize;
  const slates: number[][] = [];
  for (let a = 0; a < m.actions; a++) {
    const c = p.actionLevel === 'item' ? m.category[a]! : a;
    const slate = p.actionLevel === 'item' ? [a] : [];
    for (const i of ranked) if (slate.length < k && m.category[i] === c && !slate.includes(i)) slate.push(i);
    for (const i of ranked) if (slate.length < k && !slate.includes(i)) slate.push(i);
    slates.push(slate);
  }
  return slates;
}

describe('the documented equations, against the shop', () => {
  it('builds each action’s slate by the documented rule (item or category, either ranking, topped up from the catalog)', () => {
    for (const actionLevel of ['item', 'category'] as const) {
      for (const ranking of ['attractiveness', 'quality'] as const) {
        for (const slateSize of [1, 3, 7]) {
          const env = createShopEnv({ items: 13, categories: 4, actionLevel, ranking, slateSize });
          const d = documented(env);
          expect(documentedSlates(env), `${actionLevel} ${ranking} ${slateSize}`).toEqual(Array.from({ length: env.actionSpace.n }, (_, a) => d.slate(a)));
        }
      }
    }
  });

  it('has the oracle report Σ P(click i) · (w_click + P(cart) · P(purchase) · (w_purchase + w_revenue · price · margin)) with affinity, price and fatigue terms', () => {
    const params: ShopParamsInput = {
      items: 15, categories: 3, segments: 3, slateSize: 3, driftStd: 0.4, reward: 'weighted', rewardWeights: { click: 0.3, purchase: 1.5, revenue: 0.2 },
      priceWeight: 1.2, cartAffinity: 0.8, cartPrice: 0.9, purchasePrice: 0.7, fatigueIncrement: 0.6, fatigueDecay: 0.7, fatigueWeight: 1.5, maxSteps: 30,
    };
    const env = createShopEnv(params);
    const values = new Float64Array(env.actionSpace.n);
    const rng = new Rng(4, 0);
    env.reset(8);
    let tired = 0;
    for (let t = 0; t < 600; t++) {
      const d = documented(env); // the affinities drift between sessions
      const s = env.session();
      if (s.fatigue > 0 && s.lastCategory >= 0) tired++;
      env.oracle.immediateValues(values);
      for (let a = 0; a < values.length; a++) expect(values[a], `step ${t}, action ${a}`).toBeCloseTo(d.expectedReward(s.segment, a, s.lastCategory, s.fatigue), 10);
      const r = env.step(rng.int(env.actionSpace.n));
      if (r.terminated || r.truncated) env.reset();
    }
    expect(tired).toBeGreaterThan(100); // the fatigue term was in play
  });

  it('draws clicks, carts, purchases and leaving at the documented probabilities, and pays the documented reward (drifting shop, z-scores)', () => {
    const params: ShopParamsInput = {
      items: 12, categories: 3, segments: 3, slateSize: 3, driftStd: 0.3, shiftAt: 50, priceCategoryStd: 1, priceWeight: 1.5, affinityWeight: 1.3,
      cartAffinity: 1, cartPrice: 1.2, purchasePrice: 1, fatigueWeight: 1.5, reward: 'weighted', rewardWeights: { click: 0.5, purchase: 2, revenue: 0.1 }, maxSteps: 40,
    };
    const env = createShopEnv(params);
    const p = env.model.params;
    const k = p.slateSize;
    const rng = new Rng(21, 0);
    /** Per event: Σ (indicator − p) and Σ p(1 − p). */
    const events = new Map<string, [number, number]>();
    const add = (name: string, happened: boolean, prob: number) => {
      const e = events.get(name) ?? [0, 0];
      e[0] += (happened ? 1 : 0) - prob;
      e[1] += prob * (1 - prob);
      events.set(name, e);
    };
    env.reset(2);
    let d = documented(env);
    for (let t = 0; t < 150_000; t++) {
      const before = env.session();
      const a = rng.int(env.actionSpace.n);
      const slate = d.slate(a);
      const probs = d.choice(before.segment, slate, before.lastCategory, before.fatigue);
      const r = env.step(a);
      const after = env.session();
      const clicked = after.clickedItem;
      add('no click', clicked < 0, probs[0]!);
      for (let j = 0; j < k; j++) add(`slate position ${j}`, clicked === slate[j], probs[j + 1]!);
      let reward = 0;
      if (clicked >= 0) {
        const carted = after.carts > before.carts;
        add('cart | click', carted, d.cart(before.segment, clicked));
        if (carted) add('purchase | cart', after.purchased, d.purchase(before.segment, clicked));
        reward = d.wClick + (after.purchased ? d.purchaseReward(clicked) : 0);
      }
      expect(r.reward).toBeCloseTo(reward, 12);
      add('leave', r.terminated, p.leaveBase + p.leaveSlope * (1 - after.engagement));
      if (r.terminated || r.truncated) {
        env.reset();
        d = documented(env);
      }
    }
    const z = Object.fromEntries([...events].map(([name, [sum, variance]]) => [name, sum / Math.sqrt(variance)]));
    expect(Object.keys(z)).toHaveLength(k + 4);
    for (const [name, value] of Object.entries(z)) expect(Math.abs(value), `${name}: z = ${value.toFixed(2)}`).toBeLessThan(4.5);
  });

  it('generates the documented catalog: round-robin categories, log-normal prices around their category centre, Beta quality, normal attractiveness, clickbait', () => {
    const N = 60_000;
    const C = 600;
    const p = shopParams.parse({ items: N, categories: C, priceMedian: 30, priceCategoryStd: 0.8, priceItemStd: 0.3, qualityAlpha: 3, qualityBeta: 5, attractivenessStd: 0.7, clickbaitShare: 0.25, clickbaitBoost: 2, clickbaitQuality: 0.2 });
    const cat = generateCatalog(p, new Rng(1, 16));
    const perCategory = new Array<number>(C).fill(0);
    for (const c of cat.category) perCategory[c]!++;
    expect(Math.min(...perCategory)).toBe(N / C);
    expect(Math.max(...perCategory)).toBe(N / C);
    const bait = cat.clickbait.reduce((a, b) => a + b, 0);
    expect(bait).toBe(Math.round(0.25 * N));
    const stats = (xs: number[]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return { mean, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) };
    };
    // Prices: log price = m_c + σ_item·Z, m_c = ln(priceMedian) + σ_cat·Z_c; cents, at least 0.01.
    const logs: number[][] = Array.from({ length: C }, () => []);
    cat.price.forEach((x, i) => {
      expect(Math.round(x * 100) / 100).toBe(x);
      logs[cat.category[i]!]!.push(Math.log(x));
    });
    const centres = stats(logs.map((l) => stats(l).mean));
    const within = stats(logs.flatMap((l) => { const mu = stats(l).mean; return l.map((x) => x - mu); }));
    expect(Math.abs(centres.mean - Math.log(30))).toBeLessThan(4 * Math.sqrt(0.8 ** 2 / C + 0.3 ** 2 / N));
    expect(Math.abs(centres.sd - Math.sqrt(0.8 ** 2 + 0.3 ** 2 / (N / C)))).toBeLessThan(0.1);
    expect(Math.abs(within.sd * Math.sqrt((N / C) / (N / C - 1)) - 0.3)).toBeLessThan(0.005);
    // Quality ~ Beta(3, 5), times 0.2 for clickbait; attractiveness ~ N(0, 0.7²), + 2 for clickbait.
    const honest = stats([...cat.quality].filter((_, i) => !cat.clickbait[i]));
    const baitQuality = stats([...cat.quality].filter((_, i) => cat.clickbait[i]));
    const betaSd = Math.sqrt((3 * 5) / (8 * 8 * 9));
    expect(Math.abs(honest.mean - 3 / 8)).toBeLessThan((4 * betaSd) / Math.sqrt(N - bait));
    expect(Math.abs(honest.sd - betaSd)).toBeLessThan(0.005);
    expect(Math.abs(baitQuality.mean - 0.2 * (3 / 8))).toBeLessThan((4 * 0.2 * betaSd) / Math.sqrt(bait));
    const honestAttr = stats([...cat.attractiveness].filter((_, i) => !cat.clickbait[i]));
    const baitAttr = stats([...cat.attractiveness].filter((_, i) => cat.clickbait[i]));
    expect(Math.abs(honestAttr.mean)).toBeLessThan((4 * 0.7) / Math.sqrt(N - bait));
    expect(Math.abs(honestAttr.sd - 0.7)).toBeLessThan(0.01);
    expect(Math.abs(baitAttr.mean - 2)).toBeLessThan((4 * 0.7) / Math.sqrt(bait));
    // The reference price p̄ is the catalog's median (the mean of the two middle prices here, N even).
    const sorted = [...cat.price].sort((a, b) => a - b);
    expect(cat.medianPrice).toBe((sorted[N / 2 - 1]! + sorted[N / 2]!) / 2);
    // The default shop's, as the document gives it.
    expect(createShopEnv({}).model.catalog.medianPrice.toFixed(2)).toBe('17.38');
  });

  it('draws segments with Dirichlet affinities and uniform price sensitivities, and drifts them by a geometric random walk', () => {
    const S = 100;
    const C = 10;
    const alpha = 2;
    const seg = generateSegments(S, C, alpha, 0.4, 1.6, new Rng(3, 16));
    const a = [...seg.affinity];
    for (let s = 0; s < S; s++) expect(a.slice(s * C, s * C + C).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    // Dirichlet(α) marginal: mean 1/C, variance (1/C)(1 − 1/C)/(Cα + 1).
    const mean = a.reduce((x, y) => x + y, 0) / a.length;
    const variance = a.reduce((x, y) => x + (y - mean) ** 2, 0) / (a.length - 1);
    expect(Math.abs(variance / ((1 / C) * (1 - 1 / C) / (C * alpha + 1)) - 1)).toBeLessThan(0.15);
    const betas = [...seg.priceSensitivity];
    expect(Math.min(...betas)).toBeGreaterThanOrEqual(0.4);
    expect(Math.max(...betas)).toBeLessThanOrEqual(1.6);
    expect(Math.abs(betas.reduce((x, y) => x + y, 0) / S - 1)).toBeLessThan(4 * (1.2 / Math.sqrt(12)) / Math.sqrt(S));
    // Drift: ln a ← ln a + σZ, renormalised, so a log ratio ln(a_c / a_0) moves by σ(Z_c − Z_0) ~ N(0, 2σ²) per session (and not on the first).
    const sigmaDrift = 0.2;
    const env = createShopEnv({ categories: C, items: 40, segments: 2, affinityConcentration: 5, driftStd: sigmaDrift });
    env.reset(1);
    expect([...env.affinities]).toEqual([...env.model.segments.affinity]);
    const steps: number[] = [];
    let previous = Float64Array.from(env.affinities);
    for (let session = 0; session < 2000; session++) {
      env.reset();
      const now = env.affinities;
      for (let s = 0; s < 2; s++) for (let c = 1; c < C; c++) steps.push(Math.log(now[s * C + c]! / now[s * C]!) - Math.log(previous[s * C + c]! / previous[s * C]!));
      previous = Float64Array.from(now);
    }
    // Pairs within a session share Z_0, so treat the sessions (×2 segments) as the independent samples.
    const meanStep = steps.reduce((x, y) => x + y, 0) / steps.length;
    const varStep = steps.reduce((x, y) => x + (y - meanStep) ** 2, 0) / (steps.length - 1);
    expect(Math.abs(meanStep)).toBeLessThan(4 * Math.sqrt((2 * sigmaDrift ** 2) / 4000));
    expect(Math.abs(varStep / (2 * sigmaDrift ** 2) - 1)).toBeLessThan(0.05);
  });

  it('reads coverage, diversity, Gini and novelty through the environment over its last metricsWindow sessions, counting an abandoned one and not an empty one', () => {
    const env = createShopEnv({ items: 9, categories: 3, slateSize: 2, maxSteps: 12, metricsWindow: 4 });
    const m = env.model;
    const k = m.slateSize;
    const rng = new Rng(6, 0);
    const out = new Float64Array(9);
    const sessions: { action: number; click: number }[][] = [];
    env.reset(5);
    for (let session = 0; session < 40; session++) {
      const steps: { action: number; click: number }[] = [];
      const abandon = session % 7 === 3 ? 2 : Infinity; // some sessions are left after 2 steps
      for (let t = 0; ; t++) {
        const action = rng.next() < 0.5 ? 0 : rng.int(m.actions);
        const r = env.step(action);
        steps.push({ action, click: env.session().clickedItem });
        if (r.terminated || r.truncated || t + 1 >= abandon) break;
      }
      sessions.push(steps);
      if (session % 5 === 4) env.reset(); // a session reset before its first step: no place in the window
      if (abandon === Infinity) {
        env.episodeMetrics(out, 0);
        const recent = sessions.slice(-4).flat();
        const x = new Array<number>(m.items).fill(0);
        const clicks = new Array<number>(m.items).fill(0);
        let differing = 0;
        for (const { action, click } of recent) {
          const slate = m.slates.subarray(action * k, action * k + k);
          for (const i of slate) x[i]!++;
          if (click >= 0) clicks[click]!++;
          if (m.category[slate[0]!] !== m.category[slate[1]!]) differing++;
        }
        const T = recent.length * k;
        const totalClicks = clicks.reduce((a, b) => a + b, 0);
        const sortedX = [...x].sort((a, b) => a - b);
        const N = m.items;
        expect(out[5], `coverage after session ${session}`).toBeCloseTo(x.filter((v) => v > 0).length / N, 14);
        expect(out[6], `diversity after session ${session}`).toBeCloseTo(differing / recent.length, 12);
        expect(out[7], `gini after session ${session}`).toBeCloseTo(sortedX.reduce((acc, v, j) => acc + (2 * (j + 1) - N - 1) * v, 0) / (N * T), 12);
        expect(out[8], `novelty after session ${session}`).toBeCloseTo(x.reduce((acc, v, i) => acc + v * -Math.log2((clicks[i]! + 1) / (totalClicks + N)), 0) / T, 12);
      }
      env.reset();
    }
  });
});
