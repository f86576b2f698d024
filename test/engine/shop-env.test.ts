// The shop as an environment: checkEnv in every mode, determinism, observations, the oracle, and
// the messages of invalid configurations (each naming its field).
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../src/engine/check-env';
import { parseExperiment } from '../../src/engine/experiment';
import { createShopEnv, shop, type ShopParamsInput } from '../../src/engine/envs/shop';
import { CLICK, NO_CLICK, PURCHASE, leaveProbability, nearestLevel, nextEngagement, nextFatigue } from '../../src/engine/envs/shop/dynamics';
import { findEnvironment } from '../../src/engine/registry';
import { Rng } from '../../src/engine/rng';

const experiment = (env: Record<string, unknown>, agent: Record<string, unknown> = { id: 'q-learning' }) => ({
  format: 'aisle.experiment/v1',
  name: 'shop',
  env: { id: 'shop', ...env },
  agent,
});

/** The problems parseExperiment reports for this env configuration. */
function problems(env: Record<string, unknown>, agent?: Record<string, unknown>, readJson?: (path: string) => unknown): string[] {
  try {
    parseExperiment(experiment(env, agent), readJson ? { readJson } : {});
    return [];
  } catch (e) {
    return (e as { problems?: string[] }).problems ?? [(e as Error).message];
  }
}

describe('the shop environment', () => {
  it('is registered as "shop" and takes its catalog from a file', () => {
    expect(findEnvironment('shop')).toBe(shop);
    expect(shop.fileParams).toEqual(['catalog']);
  });

  const modes: ShopParamsInput[] = [];
  for (const observation of ['discrete', 'vector'] as const)
    for (const actionLevel of ['item', 'category'] as const)
      for (const slateSize of [1, 3])
        for (const exact of [false, true]) modes.push({ observation, actionLevel, slateSize, exact, items: 12, categories: 3, maxSteps: 40 });
  it.each(modes)('passes checkEnv: %o', (params) => {
    expect(checkEnv(() => createShopEnv(params), { steps: 600 })).toEqual([]);
    expect(checkEnv(() => createShopEnv({ ...params, driftStd: params.exact ? 0 : 0.2, catalogSeed: 9 }), { seed: 7, steps: 300 })).toEqual([]);
  });

  it('passes checkEnv with drift, a shift, a hidden segment and a large catalog', () => {
    expect(checkEnv(() => createShopEnv({ driftStd: 0.1, shiftAt: 2, observeSegment: false, maxSteps: 20 }))).toEqual([]);
    expect(checkEnv(() => createShopEnv({ items: 2000, categories: 25, slateSize: 4, observation: 'vector' }), { steps: 300 })).toEqual([]);
  });

  it('gives the same sessions for the same seed, and different ones for another', () => {
    const trace = (seed: number) => {
      const env = createShopEnv({ slateSize: 2, driftStd: 0.05 });
      const rng = new Rng(99, 0);
      const out: number[] = [];
      const metrics = new Float64Array(9);
      env.reset(seed);
      for (let t = 0; t < 2000; t++) {
        const r = env.step(rng.int(env.actionSpace.n));
        out.push(r.observation as number, r.reward, r.terminated ? 1 : 0);
        if (r.terminated || r.truncated) {
          env.episodeMetrics(metrics, 0);
          out.push(...metrics);
          env.reset();
        }
      }
      return out;
    };
    expect(trace(3)).toEqual(trace(3));
    expect(trace(4)).not.toEqual(trace(3));
  });

  it('labels actions with item ids or category names, and discrete states by segment, last category and levels', () => {
    const env = createShopEnv({ items: 6, categories: 2, segments: 2 });
    expect(env.actionSpace.labels).toEqual(['i0', 'i1', 'i2', 'i3', 'i4', 'i5']);
    expect(createShopEnv({ items: 6, categories: 2, actionLevel: 'category' }).actionSpace.labels).toEqual(['c0', 'c1']);
    const space = env.observationSpace;
    expect(space).toMatchObject({ kind: 'discrete', n: 2 * 3 * 3 * 3 + 1 });
    if (space.kind !== 'discrete') throw new Error('discrete expected');
    expect(space.labels![0]).toBe('seg0/none/e0/f0');
    expect(space.labels![space.n - 2]).toBe('seg1/c1/e2/f2');
    expect(space.labels![space.n - 1]).toBe('left');
    expect(createShopEnv({ observeSegment: false }).observationSpace).toMatchObject({ n: 5 * 3 * 3 + 1 });
  });

  it('observes the vector of segment, last category, engagement, fatigue, time and the last outcome', () => {
    const env = createShopEnv({ observation: 'vector', segments: 2, categories: 3, items: 9, maxSteps: 10 });
    const space = env.observationSpace;
    if (space.kind !== 'box') throw new Error('box expected');
    expect(space.labels).toEqual(['segment seg0', 'segment seg1', 'last none', 'last c0', 'last c1', 'last c2', 'engagement', 'fatigue', 'time', 'clicked', 'purchased']);
    const x = env.reset(1) as Float32Array;
    const s = env.session();
    expect(x[s.segment]).toBe(1);
    expect(x[2]).toBe(1);
    expect(x[6]).toBeCloseTo(0.7, 6);
    for (let t = 1; t <= 5; t++) {
      const r = env.step(0);
      const y = r.observation as Float32Array;
      const now = env.session();
      expect(y.subarray(0, 6).reduce((a, b) => a + b, 0)).toBe(2); // one segment, one last category
      expect(y[3 + now.lastCategory]).toBe(1);
      expect(y[6]).toBeCloseTo(now.engagement, 6);
      expect(y[7]).toBeCloseTo(now.fatigue, 6);
      expect(y[8]).toBeCloseTo(t / 10, 6);
      expect(y[9]).toBe(now.clickedItem >= 0 ? 1 : 0);
      expect(y[10]).toBe(now.purchased ? 1 : 0);
      if (r.terminated) break;
    }
  });

  it('moves engagement and fatigue as dynamics.ts says (the step writes those equations out)', () => {
    // Continuous mode: e', f' and their observed levels are exactly the functions' values. Exact
    // mode: e' lands on one of the two levels around nextEngagement's value, f' on the fatigue grid.
    for (const exact of [false, true]) {
      // (20 engagement levels: a grid fine enough that a wrong e' shows in the exact mode too)
      const env = createShopEnv({ exact, items: 12, categories: 3, slateSize: 2, maxSteps: 60, purchaseGain: 0.2, clickbaitLoss: 0.3, ignoreLoss: 0.04, fatigueLoss: 0.2, engagementLevels: 20, fatigueLevels: 5 });
      const { model } = env;
      const p = model.params;
      const rng = new Rng(5, 0);
      const seen = new Set<number>();
      env.reset(3);
      for (let t = 0; t < 3000; t++) {
        const before = env.session();
        const action = rng.int(env.actionSpace.n);
        const r = env.step(action);
        const after = env.session();
        const clicked = after.clickedItem;
        const outcome = clicked < 0 ? NO_CLICK : after.purchased ? PURCHASE : CLICK;
        seen.add(outcome);
        let same = 0;
        for (let j = 0; j < model.slateSize; j++) if (model.category[model.slates[action * model.slateSize + j]!] === before.lastCategory) same++;
        const moved = clicked >= 0 && model.category[clicked] !== before.lastCategory;
        const f = moved ? 0 : nextFatigue(p, before.fatigue, before.lastCategory >= 0 ? same / model.slateSize : 0);
        const e = nextEngagement(p, before.engagement, outcome, clicked >= 0 ? model.quality[clicked]! : 0, f);
        if (!exact) {
          expect(after.fatigue).toBe(f);
          expect(after.engagement).toBe(e);
          const obs = r.observation as number;
          if (!r.terminated) expect(obs % p.fatigueLevels).toBe(nearestLevel(f, p.fatigueLevels));
          if (!r.terminated) expect(Math.floor(obs / p.fatigueLevels) % p.engagementLevels).toBe(nearestLevel(e, p.engagementLevels));
        } else {
          const top = p.engagementLevels - 1;
          const level = Math.round(after.engagement * top);
          expect(level === Math.floor(e * top + 1e-9) || level === Math.ceil(e * top - 1e-9)).toBe(true);
          expect(Math.abs(after.fatigue * (p.fatigueLevels - 1) - Math.round(after.fatigue * (p.fatigueLevels - 1)))).toBeLessThan(1e-12);
        }
        if (r.terminated || r.truncated) env.reset();
      }
      expect(seen.size).toBe(3); // every outcome was met
      expect(leaveProbability(p, 1)).toBe(p.leaveBase); // the written-out leave rule's anchor
    }
  });

  it('tells the oracle the expected immediate reward of every action, as the exact MDP has it', () => {
    for (const params of [{ exact: true, items: 8, slateSize: 2 }, { exact: true, actionLevel: 'category', slateSize: 3, reward: 'revenue' }] as const) {
      const env = createShopEnv(params);
      const mdp = env.mdp!;
      const values = new Float64Array(env.actionSpace.n);
      let obs = env.reset(2) as number;
      for (let t = 0; t < 300; t++) {
        env.oracle.immediateValues(values);
        for (let a = 0; a < mdp.actions; a++) {
          const pair = obs * mdp.actions + a;
          let expected = 0;
          for (let k = mdp.offsets[pair]!; k < mdp.offsets[pair + 1]!; k++) expected += mdp.prob[k]! * mdp.reward[k]!;
          expect(values[a]).toBeCloseTo(expected, 10);
        }
        const r = env.step(t % env.actionSpace.n);
        obs = r.terminated || r.truncated ? (env.reset() as number) : (r.observation as number);
      }
    }
  });
});

describe('invalid configurations', () => {
  it('name the field and the allowed range', () => {
    expect(problems({ leaveBase: 1.5 })).toEqual(['env.leaveBase: must be a number in [0, 1], got 1.5']);
    expect(problems({ clickbaitShare: -0.1 })).toEqual(['env.clickbaitShare: must be a number in [0, 1], got -0.1']);
    expect(problems({ items: 0 })).toEqual(['env.items: must be a whole number in [1, 100,000], got 0']);
    expect(problems({ reward: 'profit' })).toEqual(['env.reward: must be one of "clicks", "purchases", "revenue", "weighted", got "profit"']);
    expect(problems({ rewardWeights: { click: 1, bonus: 2 } })[0]).toMatch(/^env\.rewardWeights: unknown field "bonus"/);
    expect(problems({ shiftAt: -1 })[0]).toMatch(/^env\.shiftAt: /);
  });

  it('explain cross-field conflicts and how to fix them', () => {
    expect(problems({ items: 3, categories: 1, slateSize: 5 })).toEqual(['env.slateSize: 5 exceeds items (3): a slate shows distinct items; lower slateSize or add items']);
    expect(problems({ items: 3, categories: 5 })).toEqual(['env.categories: 5 exceeds items 3: every category needs an item; lower categories or raise items']);
    expect(problems({ leaveBase: 0.6, leaveSlope: 0.5 })[0]).toMatch(/^env\.leaveSlope: leaveBase \+ leaveSlope = 1\.1 exceeds 1/);
    expect(problems({ priceSensitivityMin: 2, priceSensitivityMax: 1 })[0]).toMatch(/^env\.priceSensitivityMax: 1 is below priceSensitivityMin 2/);
    expect(problems({ exact: true, driftStd: 0.1, observeSegment: false })).toEqual([
      "env.observeSegment: the exact mode's MDP state is (segment, last clicked category, engagement level, fatigue level), so the segment must be observed: set observeSegment to true or exact to false",
      'env.driftStd: the exact mode needs driftStd 0 (drifting affinities are not part of its MDP state): set driftStd to 0 or exact to false',
    ]);
    expect(problems({ exact: true, shiftAt: 10 })[0]).toMatch(/^env\.shiftAt: the exact mode needs shiftAt null/);
    expect(problems({ categories: 1000, items: 1000, segments: 100, engagementLevels: 5 })[0]).toMatch(/^env\.observation: the discrete observation would have [\d,]+ states/);
  });

  it('check an explicit catalog and name the broken item', () => {
    const item = { category: 0, price: 10, quality: 0.5, attractiveness: 0 };
    expect(problems({ catalog: { items: [item, { ...item, quality: 1.5 }] } })).toEqual(['env.catalog.items[1].quality: must be a number in [0, 1], got 1.5']);
    expect(problems({ catalog: { items: [] } })).toEqual(['env.catalog.items: must list at least one item: the shop needs a catalog']);
    expect(problems({ catalog: { products: [item] } })[0]).toMatch(/^env\.catalog/);
    expect(problems({ catalog: { categories: ['shoes'], items: [item, { ...item, category: 2 }] } })).toEqual([
      'env.catalog.items[1].category: 2 is out of range: catalog.categories names 1 category (0..0): use an index in 0..0, or add its name to catalog.categories',
    ]);
    expect(problems({ catalog: { items: [{ ...item, id: 'a' }, { ...item, id: 'a' }] } })).toEqual(['env.catalog.items[1].id: "a" repeats the id of catalog.items[0]: item ids must be unique']);
    // "none" labels no click yet in the observations: a category of that name would repeat labels.
    expect(problems({ catalog: { categories: ['toys', 'none'], items: [item, { ...item, category: 1 }] } })).toEqual([
      'env.catalog.categories[1]: "none" is reserved: it labels "no click yet" in the shop\'s observations; rename the category',
    ]);
    expect(problems({ catalog: { categories: ['a', 'b'], items: [item] }, actionLevel: 'category' })).toEqual([
      'env.catalog.categories[1]: category "b" has no items, so its category action would show none: add items to it or remove it',
    ]);
    // Without names the categories run to the largest index an item gives: the gap is in the items.
    expect(problems({ catalog: { items: [item, { ...item, category: 2 }] }, actionLevel: 'category' })).toEqual([
      'env.catalog.items: no item has category 1, though items name categories up to 2, so category action "c1" would show none: give an item category 1, or number the categories without gaps',
    ]);
    expect(problems({ catalog: { items: [{ ...item, id: 'x'.repeat(201) }] } })).toEqual(['env.catalog.items[0].id: is longer than 200 characters: shorten it']);
    expect(problems({ catalog: { items: [{ ...item, id: '' }] } })).toEqual(['env.catalog.items[0].id: must not be empty: give the item an id, or leave id out']);
    expect(problems({ catalog: '' })).toEqual(['env.catalog: must not be empty: give the path of a JSON file, or the object inline']);
    expect(problems({ catalog: '' }, undefined, () => ({}))).toEqual(['env.catalog: must not be empty: give the path of a JSON file, or the object inline']);
    expect(() => createShopEnv({ catalog: '' })).toThrow('catalog: must not be empty: give the path of a catalog JSON file, or the catalog inline');
    expect(problems({ catalog: { items: [item, item] }, slateSize: 3 })).toEqual(["env.slateSize: 3 exceeds the catalog's items (2): a slate shows distinct items; lower slateSize or add items"]);
    expect(problems({ catalog: 'catalog.json' })).toEqual(['env.catalog: "catalog.json" is a file path, but files cannot be read here: inline the JSON object instead']);
  });

  it('accept a valid explicit catalog, with its names as action labels', () => {
    const catalog = { categories: ['shoes', 'books'], items: [{ id: 'boot', category: 0, price: 80, quality: 0.9, attractiveness: 0.2 }, { id: 'novel', category: 1, price: 12, quality: 0.6, attractiveness: 0, clickbait: false }] };
    const parsed = parseExperiment(experiment({ catalog: 'shop.json' }), { readJson: () => catalog });
    expect(parsed.env.catalog).toEqual(catalog);
    const env = createShopEnv({ catalog });
    expect(env.actionSpace.labels).toEqual(['boot', 'novel']);
    expect(createShopEnv({ catalog, actionLevel: 'category' }).actionSpace.labels).toEqual(['shoes', 'books']);
    expect(env.model.catalog.medianPrice).toBe(46);
  });

  it('let tabular agents refuse the vector observation', () => {
    expect(problems({ observation: 'vector' })[0]).toMatch(/^agent\.id: q-learning needs a discrete observation space/);
  });
});

describe("the shop's parameter groups (the form folds them)", () => {
  it('hold every parameter exactly once, and only parameters that exist', async () => {
    const { shop } = await import('../../src/engine/envs/shop');
    const params = Object.keys(shop.params.shape);
    const grouped = shop.paramGroups!.flatMap((g) => g.params);
    expect([...grouped].sort()).toEqual([...params].sort());
    expect(new Set(grouped).size).toBe(grouped.length);
  });
});
