// Building a shop once per configuration: buildShop keeps the last shops it built (or refused), so
// that the form's check at every edit, a sweep's experiments, the launch's check and a run's two
// environments do not build one shop again and again (100,000 items with slates of 100 took 2.5 s
// a build). Each caller still gets a model of its own, and a refused shop the same message. Also
// the slates and the exposure window's pair counts, now counted in O(slateSize) a slate, against
// the pairwise definitions they replaced.
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/engine/experiment';
import { ShopEnv, buildShop, shopParams, type ShopParamsInput } from '../../src/engine/envs/shop';
import { buildSlates, generateCatalog, rankedItems, type Catalog } from '../../src/engine/envs/shop/catalog';
import { differingPairs, knownPairs } from '../../src/engine/envs/shop/metrics';
import { shopBuilds } from '../../src/engine/envs/shop/model';
import { ValidationError } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';

const params = (input: ShopParamsInput) => shopParams.parse(input);

/** The problems buildShop throws for these parameters. */
function problemsOf(input: ShopParamsInput): readonly string[] {
  try {
    buildShop(params(input));
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  throw new Error('built');
}

/** Plays `episodes` sessions of a fixed action sequence; returns every episode's metrics. */
function play(env: ShopEnv, episodes: number): number[] {
  const out = new Float64Array(env.episodeMetricNames.length);
  const seen: number[] = [];
  env.reset(7);
  for (let e = 0; e < episodes; e++) {
    for (let t = 0; ; t++) {
      const r = env.step((e * 31 + t * 7) % env.actionSpace.n);
      if (r.terminated || r.truncated) break;
    }
    env.episodeMetrics(out, 0);
    seen.push(...out);
    env.reset();
  }
  return seen;
}

describe('buildShop’s cache', () => {
  it('builds a configuration once: the same parameters again are taken from the cache, as a model of their own', () => {
    const p = { items: 3000, categories: 12, slateSize: 20, catalogSeed: 11 };
    const before = shopBuilds();
    const first = buildShop(params(p));
    const second = buildShop(params(p));
    expect(shopBuilds() - before).toBe(1);
    // Equal, but nothing shared: what one caller's environment writes into its model (a checkpoint
    // restored into it writes the arrays in place) reaches neither the cache nor another caller.
    expect(second).not.toBe(first);
    expect(second.slates).toEqual(first.slates);
    expect(second.catalog.price).toEqual(first.catalog.price);
    expect(second.segments.affinity).toEqual(first.segments.affinity);
    expect(second.slates).not.toBe(first.slates);
    first.slates.fill(0);
    first.catalog.price.fill(1);
    first.segments.affinity.fill(0);
    (first.catalog.itemIds as string[])[0] = 'changed';
    const third = buildShop(params(p));
    expect(shopBuilds() - before).toBe(1);
    expect(third.slates).toEqual(second.slates);
    expect(third.catalog.price).toEqual(second.catalog.price);
    expect(third.segments.affinity).toEqual(second.segments.affinity);
    expect(third.catalog.itemIds[0]).toBe('i0');
    // Laid out as a fresh build: the action labels are the catalog's item ids, one array.
    expect(third.actionLabels).toBe(third.catalog.itemIds);
    // And the caller's own parameters object.
    const own = params(p);
    expect(buildShop(own).params).toBe(own);
  });

  it('builds another configuration anew, −0 told from 0, and keeps only the last two', () => {
    const a = { items: 50, catalogSeed: 1 };
    const b = { items: 50, catalogSeed: 2 };
    const c = { items: 50, catalogSeed: 3 };
    let count = shopBuilds();
    const built = () => {
      const n = shopBuilds() - count;
      count = shopBuilds();
      return n;
    };
    buildShop(params(a));
    expect(built()).toBe(1);
    buildShop(params(b));
    expect(built()).toBe(1);
    expect(buildShop(params(a)).catalog.price).not.toEqual(buildShop(params(b)).catalog.price);
    expect(built()).toBe(0);
    buildShop(params({ ...a, driftStd: -0 }));
    expect(built()).toBe(1);
    buildShop(params({ ...a, driftStd: 0 }));
    expect(built()).toBe(1); // a, evicted by the −0 shop and b
    buildShop(params(c));
    buildShop(params(b));
    expect(built()).toBe(2);
  });

  it('gives environments that play as those of a fresh build, bit for bit', () => {
    const p = { items: 400, categories: 8, slateSize: 10, catalogSeed: 5, maxSteps: 30 };
    const fresh = play(new ShopEnv(buildShop(params(p))), 40);
    const before = shopBuilds();
    const again = play(new ShopEnv(buildShop(params(p))), 40);
    expect(shopBuilds()).toBe(before);
    expect(again).toEqual(fresh);
  });

  it('refuses an oversized shop with the same message every time, counting it once', () => {
    // 1 segment fits (375,310 rows), 27 do not: the count reads the slates, so the shop is built to say so.
    const tooMany = { exact: true, slateSize: 6, engagementLevels: 20, fatigueLevels: 10, segments: 27 } as const;
    const message =
      'exact: the exact MDP would have 10,133,370 transitions (18.8 next states on average for each of its 540,020 state-action pairs), more than 10,000,000: use a smaller slateSize, fewer engagementLevels or fatigueLevels, fewer segments, categories or items, or exact false';
    const before = shopBuilds();
    expect(problemsOf(tooMany)).toEqual([message]);
    expect(problemsOf(tooMany)).toEqual([message]);
    expect(shopBuilds() - before).toBe(1);
    // As the form, `aisle run` and a sweep's experiments see it, each check alike.
    const experiment = { format: 'aisle.experiment/v1', name: 'wide', env: { id: 'shop', ...tooMany }, agent: { id: 'q-learning' }, episodes: 10 };
    for (let i = 0; i < 2; i++) expect(() => parseExperiment(experiment)).toThrow(`env.${message}`);
    expect(shopBuilds() - before).toBe(1);
  });

  it('builds the large shop once for a check repeated, as the form does at each edit', () => {
    const big = { format: 'aisle.experiment/v1', name: 'big shop', env: { id: 'shop', items: 100_000, categories: 20, slateSize: 100, maxSteps: 50 }, agent: { id: 'random' }, episodes: 10, seeds: 1 };
    const before = shopBuilds();
    parseExperiment(big);
    parseExperiment({ ...big, episodes: 11, agent: { id: 'epsilon-greedy' } });
    expect(shopBuilds() - before).toBe(1);
    parseExperiment({ ...big, env: { ...big.env, slateSize: 99 } });
    expect(shopBuilds() - before).toBe(2);
  });
});

/** The slates as the shop defined them before: a scan of the row for every item added. */
function slatesByScan(catalog: Catalog, level: 'item' | 'category', k: number, ranking: 'attractiveness' | 'quality'): Int32Array {
  const ranked = rankedItems(catalog, ranking);
  const actions = level === 'item' ? catalog.items : catalog.categories;
  const slates = new Int32Array(actions * k);
  for (let a = 0; a < actions; a++) {
    const row: number[] = level === 'item' ? [a] : [];
    const c = level === 'item' ? catalog.category[a]! : a;
    for (const item of ranked) if (row.length < k && catalog.category[item] === c && !row.includes(item)) row.push(item);
    for (const item of ranked) if (row.length < k && !row.includes(item)) row.push(item);
    slates.set(row, a * k);
  }
  return slates;
}

/** Item pairs in different categories by their definition, every pair compared. */
function pairsByDefinition(category: Int32Array, slates: Int32Array, k: number): Int32Array {
  return Int32Array.from({ length: slates.length / k }, (_, a) => {
    let n = 0;
    for (let x = 0; x < k; x++) for (let y = x + 1; y < k; y++) if (category[slates[a * k + x]!] !== category[slates[a * k + y]!]) n++;
    return n;
  });
}

describe('slates and their differing pairs', () => {
  it('are those of the pairwise definitions, for every action level and ranking', () => {
    const rng = new Rng(3, 0);
    for (let trial = 0; trial < 30; trial++) {
      const items = 1 + rng.int(60);
      const p = params({ items, categories: 1 + rng.int(Math.min(items, 9)), catalogSeed: trial, slateSize: 1 + rng.int(Math.min(items, 12)) });
      const catalog = generateCatalog(p, new Rng(trial, 16));
      for (const level of ['item', 'category'] as const) {
        for (const ranking of ['attractiveness', 'quality'] as const) {
          const slates = buildSlates(catalog, level, p.slateSize, ranking);
          expect(slates, `${trial} ${level} ${ranking}`).toEqual(slatesByScan(catalog, level, p.slateSize, ranking));
          expect(differingPairs(catalog.category, slates, p.slateSize)).toEqual(pairsByDefinition(catalog.category, slates, p.slateSize));
        }
      }
    }
  });

  it('takes pairs counted already once, for the very arrays they were counted for', () => {
    const category = Int32Array.of(0, 1, 0);
    const slates = Int32Array.of(0, 1, 1, 2);
    const told = Int32Array.of(9, 9);
    knownPairs(category, slates, told);
    const taken = differingPairs(category, slates, 2);
    expect(taken).toEqual(told);
    expect(taken).not.toBe(told);
    // Once: counted the next time (its environment's checkpoint may have written other slates since).
    expect(differingPairs(category, slates, 2)).toEqual(Int32Array.of(1, 1));
    knownPairs(category, slates, told);
    expect(differingPairs(Int32Array.of(0, 0, 0), slates, 2)).toEqual(Int32Array.of(0, 0));
  });
});
