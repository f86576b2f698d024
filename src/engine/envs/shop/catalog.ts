/**
 * The shop's catalog: items with a category, a price, a quality and a base attractiveness, either
 * generated from catalogSeed (per-category log-normal prices, Beta qualities, normal
 * attractiveness, a share of clickbait) or given explicitly (what the calibration writes). Also the
 * shop's fixed ranking and the slate each action shows.
 */
import { wrongKindProblem } from '../../file-kind';
import { ValidationError, parseOrThrow, show } from '../../params';
import { shuffledIndices, type Rng } from '../../rng';
import { shopCatalogSchema, type ShopParams } from './params';

/** What the observations' labels call the last category before any click (see observation.ts); no category may be named so. */
export const NO_CLICK_LABEL = 'none';

export interface Catalog {
  readonly items: number;
  readonly categories: number;
  readonly itemIds: readonly string[];
  readonly categoryNames: readonly string[];
  readonly category: Int32Array;
  readonly price: Float64Array;
  readonly quality: Float64Array;
  readonly attractiveness: Float64Array;
  readonly clickbait: Uint8Array;
  /** The catalog's median price: the reference of relative prices. */
  readonly medianPrice: number;
  /** z_i = ln(price_i / medianPrice): the price term of the choice and the funnel. */
  readonly logRelPrice: Float64Array;
}

type Columns = Omit<Catalog, 'medianPrice' | 'logRelPrice'>;

function withPrices(c: Columns): Catalog {
  const sorted = Float64Array.from(c.price).sort();
  const n = sorted.length;
  const medianPrice = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  const logRelPrice = new Float64Array(n);
  for (let i = 0; i < n; i++) logRelPrice[i] = Math.log(c.price[i]! / medianPrice);
  return { ...c, medianPrice, logRelPrice };
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates: rng.ts's shuffledIndices, PPO's minibatch order). */
function permutation(n: number, rng: Rng): Int32Array {
  const out = new Int32Array(n);
  shuffledIndices(out, n, rng);
  return out;
}

/**
 * The generated catalog (docs/shop-simulator.md, "The shop: catalog and segments"): items spread
 * evenly over categories in random order; price_i = exp(m_c + σ_item·Z), m_c = ln(priceMedian) +
 * σ_cat·Z, rounded to cents; quality ~ Beta(α, β), times clickbaitQuality for clickbait;
 * attractiveness ~ N(0, σ²), plus clickbaitBoost for clickbait. round(clickbaitShare · items)
 * items are clickbait.
 */
export function generateCatalog(p: ShopParams, rng: Rng): Catalog {
  const N = p.items;
  const C = p.categories;
  const order = permutation(N, rng);
  const category = new Int32Array(N);
  for (let r = 0; r < N; r++) category[order[r]!] = r % C;
  const centre = new Float64Array(C);
  for (let c = 0; c < C; c++) centre[c] = Math.log(p.priceMedian) + p.priceCategoryStd * rng.normal();
  const clickbait = new Uint8Array(N);
  const baitOrder = permutation(N, rng);
  const baits = Math.round(p.clickbaitShare * N);
  for (let r = 0; r < baits; r++) clickbait[baitOrder[r]!] = 1;
  const price = new Float64Array(N);
  const quality = new Float64Array(N);
  const attractiveness = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    price[i] = Math.max(0.01, Math.round(Math.exp(centre[category[i]!]! + p.priceItemStd * rng.normal()) * 100) / 100);
    const q = rng.beta(p.qualityAlpha, p.qualityBeta);
    quality[i] = clickbait[i] ? p.clickbaitQuality * q : q;
    attractiveness[i] = p.attractivenessStd * rng.normal() + (clickbait[i] ? p.clickbaitBoost : 0);
  }
  return withPrices({
    items: N,
    categories: C,
    itemIds: Array.from({ length: N }, (_, i) => `i${i}`),
    categoryNames: Array.from({ length: C }, (_, c) => `c${c}`),
    category,
    price,
    quality,
    attractiveness,
    clickbait,
  });
}

const MAX_PROBLEMS = 20;

/** Checks and compiles an explicit catalog; every message names its path under `catalog`. */
export function parseCatalog(raw: unknown): Catalog {
  const other = wrongKindProblem(raw, 'shop catalog', 'catalog', 'give a shop catalog (categories and items; `aisle shop calibrate` writes one) here');
  if (other) throw new ValidationError([other]);
  const file = parseOrThrow(shopCatalogSchema, raw, 'catalog');
  const problems: string[] = [];
  const add = (line: string) => void (problems.length < MAX_PROBLEMS && problems.push(line));
  const names = file.categories;
  if (names) {
    const seen = new Map<string, number>();
    names.forEach((name, c) => {
      const first = seen.get(name);
      // Quoted through show(), cut after 60 characters: a category name has no length limit.
      if (first !== undefined) add(`catalog.categories[${c}]: ${show(name)} repeats catalog.categories[${first}]: category names must be unique`);
      else seen.set(name, c);
      // The observations' labels say "none" for no click yet (seg0/none/e0/f0, the feature "last
      // none"): a category of that name made two states (and two features) of one label, and its
      // policies, MDP and exact runs were refused after training.
      if (name === NO_CLICK_LABEL) add(`catalog.categories[${c}]: "${name}" is reserved: it labels "no click yet" in the shop's observations; rename the category`);
    });
  }
  const ids = new Map<string, number>();
  let maxCategory = 0;
  file.items.forEach((item, i) => {
    if (names && item.category >= names.length) {
      add(`catalog.items[${i}].category: ${item.category} is out of range: catalog.categories names ${names.length} categor${names.length === 1 ? 'y' : 'ies'} (0..${names.length - 1}): use an index in 0..${names.length - 1}, or add its name to catalog.categories`);
    }
    maxCategory = Math.max(maxCategory, item.category);
    const id = item.id ?? `i${i}`;
    const first = ids.get(id);
    if (first !== undefined) add(`catalog.items[${i}].id: "${id}" repeats the id of catalog.items[${first}]: item ids must be unique`);
    else ids.set(id, i);
  });
  if (problems.length > 0) throw new ValidationError(problems);
  const C = names ? names.length : maxCategory + 1;
  const N = file.items.length;
  return withPrices({
    items: N,
    categories: C,
    itemIds: file.items.map((item, i) => item.id ?? `i${i}`),
    categoryNames: names ?? Array.from({ length: C }, (_, c) => `c${c}`),
    category: Int32Array.from(file.items, (item) => item.category),
    price: Float64Array.from(file.items, (item) => item.price),
    quality: Float64Array.from(file.items, (item) => item.quality),
    attractiveness: Float64Array.from(file.items, (item) => item.attractiveness),
    clickbait: Uint8Array.from(file.items, (item) => (item.clickbait ? 1 : 0)),
  });
}

/** Items in the shop's fixed ranking: by the ranking key, highest first, ties to the lower index. */
export function rankedItems(catalog: Catalog, ranking: ShopParams['ranking']): Int32Array {
  const key = ranking === 'quality' ? catalog.quality : catalog.attractiveness;
  return Int32Array.from({ length: catalog.items }, (_, i) => i).sort((a, b) => key[b]! - key[a]! || a - b);
}

/** Items per category (counts) and each category's items in ranking order (CSR). */
export function itemsByCategory(catalog: Catalog, ranked: Int32Array): { offsets: Int32Array; items: Int32Array } {
  const C = catalog.categories;
  const offsets = new Int32Array(C + 1);
  for (let i = 0; i < catalog.items; i++) offsets[catalog.category[i]! + 1]!++;
  for (let c = 0; c < C; c++) offsets[c + 1] = offsets[c]! + offsets[c + 1]!;
  const fill = offsets.slice(0, C);
  const items = new Int32Array(catalog.items);
  for (const i of ranked) items[fill[catalog.category[i]!]!++] = i;
  return { offsets, items };
}

/**
 * The slate of every action, row-major (action × slateSize), fixed for the shop's life:
 *   item action i:      i, then the best-ranked other items of i's category;
 *   category action c:  the best-ranked items of c;
 * in both cases topped up, if the category runs out, with the best-ranked items of the whole
 * catalog not yet in the slate.
 */
export function buildSlates(catalog: Catalog, level: ShopParams['actionLevel'], k: number, ranking: ShopParams['ranking']): Int32Array {
  const ranked = rankedItems(catalog, ranking);
  const byCategory = itemsByCategory(catalog, ranked);
  const actions = level === 'item' ? catalog.items : catalog.categories;
  const slates = new Int32Array(actions * k);
  // inSlate[item] === a: the item is in action a's slate already. A lookup, not a scan of the row:
  // scanning made the build O(actions · slateSize²), 10⁹ steps (seconds) for 100,000 items × 100.
  const inSlate = new Int32Array(catalog.items).fill(-1);
  for (let a = 0; a < actions; a++) {
    const row = a * k;
    let n = 0;
    const c = level === 'item' ? catalog.category[a]! : a;
    if (level === 'item') {
      inSlate[a] = a;
      slates[row + n++] = a;
    }
    for (let r = byCategory.offsets[c]!, end = byCategory.offsets[c + 1]!; r < end && n < k; r++) {
      const item = byCategory.items[r]!;
      if (inSlate[item] !== a) {
        inSlate[item] = a;
        slates[row + n++] = item;
      }
    }
    for (let r = 0; n < k; r++) {
      const item = ranked[r]!;
      if (inSlate[item] !== a) {
        inSlate[item] = a;
        slates[row + n++] = item;
      }
    }
  }
  return slates;
}
