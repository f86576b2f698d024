// The exact MDP's other limits (mdp-limits.ts): its transitions, counted without building it, and its
// rewards, which an aisle.mdp/v1 file holds within ±1e9. Before, both passed validation and failed
// later: the worker (or `aisle shop export-mdp`) threw after building 10,000,000 rows, and a reward
// beyond 1e9 made parseMdp refuse the built MDP with a message naming no shop field.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildShop, createShopEnv, shopParams, shopToMdp, type ShopParamsInput } from '../../src/engine/envs/shop';
import { modelToMdp } from '../../src/engine/envs/shop/export-mdp';
import { mdpTransitions } from '../../src/engine/envs/shop/mdp-limits';
import { SHOP_LIMITS } from '../../src/engine/envs/shop/params';
import { parseExperiment } from '../../src/engine/experiment';
import { MDP_LIMITS, parseMdp } from '../../src/engine/mdp/format';
import { ValidationError } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import { loadExperimentFile } from '../../src/main/files';
import { ROOT } from '../helpers/cli';

/** parseExperiment's problems for this shop, and how long it took to find them. */
function problems(env: ShopParamsInput, agent = env.observation === 'vector' ? 'random' : 'q-learning'): { lines: readonly string[]; ms: number } {
  const start = performance.now();
  try {
    parseExperiment({ format: 'aisle.experiment/v1', name: 'limits', env: { id: 'shop', ...env }, agent: { id: agent }, episodes: 10 });
    return { lines: [], ms: performance.now() - start };
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return { lines: e.problems, ms: performance.now() - start };
  }
}

const model = (params: ShopParamsInput) => buildShop(shopParams.parse(params));

/** shopToMdp's problems for this shop (`aisle shop export-mdp`'s, before the file and env. prefixes). */
function exportProblems(params: ShopParamsInput): readonly string[] {
  try {
    shopToMdp(params);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  throw new Error('shopToMdp wrote the MDP');
}

/** Small exact shops that vary everything the transitions depend on, leaving at P = 0 and P = 1 among them. */
function variedShops(count: number): ShopParamsInput[] {
  const rng = new Rng(7, 0);
  return Array.from({ length: count }, (_, i) => {
    const items = 2 + rng.int(14);
    const leave = [{ leaveBase: 0, leaveSlope: 0.4 }, { leaveBase: 0.3, leaveSlope: 0.7 }, { leaveBase: 0, leaveSlope: 0 }, { leaveBase: 0.05, leaveSlope: 0.2 }][i % 4]!;
    return {
      exact: true,
      items,
      categories: 1 + rng.int(Math.min(items, 5)),
      segments: 1 + rng.int(2),
      slateSize: 1 + rng.int(Math.min(items, 5)),
      actionLevel: rng.int(2) === 0 ? 'item' : 'category',
      engagementLevels: 2 + rng.int(6),
      fatigueLevels: 2 + rng.int(4),
      catalogSeed: rng.int(1000),
      purchaseGain: rng.next(),
      clickbaitLoss: rng.next(),
      ignoreLoss: i % 3 === 0 ? 0 : rng.next() * 0.2,
      fatigueIncrement: rng.next(),
      fatigueDecay: rng.next(),
      fatigueLoss: i % 5 === 0 ? 0 : rng.next() * 0.3,
      engagementStart: rng.next(),
      ...leave,
    };
  });
}

// 20 items in 4 categories (the defaults), slates of 6 over 20 × 10 levels: 375,310 transitions per
// segment, so 26 segments fit (9,758,060) and 27 do not — with 27,001 × 20 = 540,020 pairs, far
// inside the 2,000,000 that was all validation checked.
const WIDE = { exact: true, slateSize: 6, engagementLevels: 20, fatigueLevels: 10 } as const;
const TOO_MANY =
  'exact: the exact MDP would have 10,133,370 transitions (18.8 next states on average for each of its 540,020 state-action pairs), more than 10,000,000: use a smaller slateSize, fewer engagementLevels or fatigueLevels, fewer segments, categories or items, or exact false';

describe('the exact MDP’s transitions', () => {
  it('are counted without building the MDP, exactly as many as modelToMdp writes', () => {
    for (const params of variedShops(60)) {
      const m = model(params);
      expect(mdpTransitions(m), JSON.stringify(params)).toBe(modelToMdp(m).transitions.length);
    }
  });

  it('are counted exactly for every exact preset', () => {
    const dir = join(ROOT, 'resources/experiments');
    const exact = readdirSync(dir)
      .filter((f) => f.startsWith('shop') && f.endsWith('.json'))
      .map((f) => loadExperimentFile(join(dir, f)).env)
      .filter((env) => env.exact === true);
    expect(exact.length).toBeGreaterThanOrEqual(5);
    for (const { id: _id, ...env } of exact) {
      const m = model({ ...env, observation: 'discrete' } as ShopParamsInput);
      expect(mdpTransitions(m)).toBe(modelToMdp(m).transitions.length);
    }
  });

  it('refuses an exact shop over 10,000,000 transitions at validation, in one line naming the fields', () => {
    // What the worker would have built: every segment has the same next states (only their
    // probabilities differ), so the rows grow with the segments: 375,310 per segment, built and
    // counted (the count equals the build's for 1 and 2 segments above, among others).
    const one = model({ ...WIDE, segments: 1 });
    expect(modelToMdp(one).transitions).toHaveLength(375_310);
    expect(mdpTransitions(one)).toBe(375_310);
    expect(mdpTransitions({ ...one, observedSegments: 27 })).toBe(27 * 375_310);
    expect(27 * 375_310).toBeGreaterThan(SHOP_LIMITS.mdpTransitions);
    expect(27_001 * 20).toBeLessThan(SHOP_LIMITS.mdpPairs);

    const { lines, ms } = problems({ ...WIDE, segments: 27 });
    expect(lines).toEqual([`env.${TOO_MANY}`]);
    expect(ms).toBeLessThan(3000);
    expect(problems({ ...WIDE, segments: 26 }).lines).toEqual([]);
  });

  it('refuses an exact shop of more actions than an MDP holds at validation, not at the end of its runs', () => {
    // 100,000 items on a shop of few states passed (under 2,000,000 pairs), trained, then failed at
    // the exact evaluation on the built MDP's "mdp.actions: must be … 1 to 10,000 …".
    const many = `env.exact: the exact MDP would have 10,001 actions, more than the 10,000 an exact MDP (an aisle.mdp/v1 file) holds: use fewer items (or category actions), or exact false`;
    expect(problems({ exact: true, items: 10_001, segments: 1, categories: 1, engagementLevels: 2, fatigueLevels: 2 }).lines).toEqual([many]);
    expect(problems({ exact: true, items: 10_000, segments: 1, categories: 1, engagementLevels: 2, fatigueLevels: 2 }).lines).toEqual([]);
    // shopToMdp needs the exact MDP: "or exact false" is no fix there (it ended its refusals).
    const exported = exportProblems({ exact: true, items: 10_001, segments: 1, categories: 1, engagementLevels: 2, fatigueLevels: 2, observation: 'vector' });
    expect(exported).toEqual([many.slice('env.'.length, -', or exact false'.length)]);
  });

  it('holds `shop export-mdp` of a vector-observation exact shop to the limit before it builds', () => {
    // Runs build no MDP for the vector observation, so validation lets it be; the export refuses it.
    expect(problems({ ...WIDE, segments: 27, observation: 'vector' }).lines).toEqual([]);
    expect(exportProblems({ ...WIDE, segments: 27, observation: 'vector' })).toEqual([TOO_MANY.slice(0, -', or exact false'.length)]);
  });
});

// Prices around 20,000: a purchase pays up to 1e6 × price × 0.3, beyond 1e9.
const RICH = { exact: true, items: 10, priceMedian: 20_000, reward: 'weighted', rewardWeights: { click: 0.1, purchase: 1, revenue: 1e6 } } as const;

describe('the exact MDP’s rewards', () => {
  it('refuses an exact shop whose step reward can exceed 1e9, naming rewardWeights.revenue', () => {
    const { lines } = problems(RICH);
    const fix = 'beyond ±1,000,000,000, the most an exact MDP\'s reward (an aisle.mdp/v1 file) holds: keep rewardWeights.revenue within ±166,000 (or lower margin or the catalog\'s prices), or exact false';
    expect(lines).toEqual([`env.rewardWeights.revenue: a purchase of item "i5" (price 20,065.27) would pay 6,019,581,001.1 (click + purchase + revenue × price × margin), ${fix}`]);
    const weights = (revenue: number) => ({ ...RICH, rewardWeights: { click: 0.1, purchase: 1, revenue } });
    expect(problems(weights(-1e6)).lines).toEqual([`env.rewardWeights.revenue: a purchase of item "i5" (price 20,065.27) would pay -6,019,580,998.9 (click + purchase + revenue × price × margin), ${fix}`]);
    // The fix it suggests fits; a little more does not.
    expect(problems(weights(166_000)).lines).toEqual([]);
    expect(problems(weights(-166_000)).lines).toEqual([]);
    expect(problems(weights(167_000)).lines[0]).toMatch(/^env\.rewardWeights\.revenue: a purchase of item "i5" \(price 20,065\.27\) would pay 1,005,270,028\.1 /);
    // reward "revenue" has no weight to lower: generated prices beyond 1e9 are refused naming the margin and the prices, the numbers grouped in their whole part only.
    const [line] = problems({ exact: true, items: 10, reward: 'revenue', priceMedian: 1e6, priceCategoryStd: 5, priceItemStd: 5, margin: 1, catalogSeed: 3 }).lines;
    expect(line).toMatch(/^env\.margin: a purchase of item "i\d+" \(price [\d,]+(\.\d+)?\) would pay [\d,]+(\.\d+)? \(price × margin\), beyond ±1,000,000,000, .*: lower margin to at most 0\.\d+, or the catalog's prices/);
    expect(line).not.toMatch(/\.\d+,\d/); // no separator after the decimal point

    // What the worker would have met: the same shop's MDP, its revenue weight scaled down to fit and
    // its rewards scaled back, is what it builds, and parseMdp refuses it naming a transition only.
    const [, hi] = createShopEnv({ ...RICH, exact: false }).rewardRange;
    expect(hi).toBeGreaterThan(MDP_LIMITS.reward);
    const scale = 1000;
    const fitting = shopToMdp({ ...RICH, rewardWeights: { click: 0.1 / scale, purchase: 1 / scale, revenue: 1e6 / scale } });
    const built = { ...fitting, transitions: fitting.transitions.map(([s, a, p, next, r]) => [s, a, p, next, r * scale] as [number, number, number, number, number]) };
    expect(() => parseMdp(built, 'mdp')).toThrow(/^mdp\.transitions\[\d+\]\[4\]: /);
  });

  it('leaves a shop that builds no MDP alone: returns of float32 metrics hold such rewards', () => {
    expect(problems({ ...RICH, exact: false }).lines).toEqual([]);
    expect(problems({ ...RICH, observation: 'vector' }).lines).toEqual([]);
    expect(() => shopToMdp({ ...RICH, observation: 'vector' })).toThrow(/^rewardWeights\.revenue: a purchase of item "i5" /);
  });

  it('accepts rewards of exactly 1e9, and keeps merged rows’ means from rounding beyond it', () => {
    // Four items at the largest price, all of quality 0.6: purchases of different items reach the
    // same next state, and their merged row's reward, a weighted mean of 1e9s, came out at 1e9 + 2.4e-7.
    const items = [0, 1, 2, 3].map((i) => ({ category: i % 2, price: 1e9, quality: 0.6, attractiveness: i / 2 }));
    const params = { exact: true, catalog: { items }, reward: 'revenue', margin: 1, slateSize: 4 } as const;
    expect(problems(params).lines).toEqual([]);
    const file = shopToMdp(params);
    const mdp = parseMdp(file);
    expect(Math.max(...mdp.reward)).toBe(MDP_LIMITS.reward);
    expect(file.transitions.filter((t) => t[4] === MDP_LIMITS.reward).length).toBeGreaterThan(100);
  });
});

describe('shopToMdp’s refusals', () => {
  it('offer the fixes of a run but "exact false", which writes no exact MDP', () => {
    // Refused by buildShop for a discrete observation, as at a run's validation: all of them ended
    // "…, or exact false" (or "or set exact false"), no fix for export-mdp.
    const shops: ShopParamsInput[] = [
      { exact: true, items: 2000, categories: 50, segments: 20 },
      { exact: true, items: 10_001, segments: 1, categories: 1, engagementLevels: 2, fatigueLevels: 2 },
      { ...WIDE, segments: 27 },
      RICH,
      { exact: true, items: 10, reward: 'revenue', priceMedian: 1e6, priceCategoryStd: 5, priceItemStd: 5, margin: 1, catalogSeed: 3 },
    ];
    for (const shop of shops) {
      const lines = problems(shop).lines;
      expect(lines, JSON.stringify(shop)).toHaveLength(1);
      expect(lines[0]).toMatch(/, or exact false$/);
      expect(exportProblems(shop)).toEqual([lines[0]!.slice('env.'.length, -', or exact false'.length)]);
    }
    // The observation's own fix, observation "vector", is none either: the MDP's states are the same.
    const states = { exact: true, items: 200, categories: 50, segments: 100, engagementLevels: 20, fatigueLevels: 20 } as const;
    const [tooMany] = problems(states).lines;
    expect(tooMany).toMatch(/^env\.observation: the discrete observation would have 2,040,001 states .*: use fewer categories, segments or levels, or observation "vector"$/);
    expect(exportProblems(states)).toEqual([tooMany!.slice('env.'.length, -', or observation "vector"'.length)]);
    // A vector observation's shop is refused by modelToMdp alone (runs build no MDP): alike.
    expect(exportProblems({ ...RICH, observation: 'vector' })).toEqual(exportProblems(RICH));
    expect(exportProblems({ ...WIDE, segments: 27, observation: 'vector' })).toEqual(exportProblems({ ...WIDE, segments: 27 }));
  });
});
