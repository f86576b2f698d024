/**
 * The shop as a fixed model, built once from its parameters: the catalog and the segments (both
 * from catalogSeed, so every run of an experiment faces the same shop), every action's slate, the
 * reward coefficients and the sizes of the observation. The environment (env.ts) and the exact
 * MDP (export-mdp.ts) both read it, so the two cannot disagree about the shop.
 */
import { categoriesProblem, slateProblem } from '../../cross-field';
import { ValidationError } from '../../params';
import { Rng } from '../../rng';
import { buildSlates, generateCatalog, parseCatalog, type Catalog } from './catalog';
import type { ChoiceInputs } from './choice';
import { mdpRewardProblem, mdpTransitionsProblem, type RewardTerms } from './mdp-limits';
import { differingPairs, knownPairs } from './metrics';
import { discreteStateCount, paramProblems, sizeProblems, type ShopParams } from './params';
import { generateSegments, type Segments } from './users';

/** The generator stream of the shop itself (seeded with catalogSeed, never with the run seed). */
const CATALOG_STREAM = 16;

export interface ShopModel extends ChoiceInputs {
  readonly catalog: Catalog;
  readonly segments: Segments;
  readonly slateSize: number;
  readonly actions: number;
  /** slates[a · slateSize + j]: the j-th item action a shows. */
  readonly slates: Int32Array;
  readonly actionLabels: readonly string[];
  /** Segment values the discrete observation distinguishes: segments, or 1 when hidden. */
  readonly observedSegments: number;
  /** Size of the discrete observation: observedSegments × (categories + 1) × engagement × fatigue levels, + 1 for "left". */
  readonly discreteStates: number;
}

function rewardTerms(p: ShopParams): RewardTerms {
  const terms = (rewardClick: number, rewardPurchase: number, rewardRevenue: number) => ({ rewardClick, rewardPurchase, rewardRevenue });
  switch (p.reward) {
    case 'clicks':
      return terms(1, 0, 0);
    case 'purchases':
      return terms(0, 1, 0);
    case 'revenue':
      return terms(0, 0, 1);
    case 'weighted':
      return terms(p.rewardWeights.click, p.rewardWeights.purchase, p.rewardWeights.revenue);
    default: {
      const never: never = p.reward;
      throw new Error(`unknown reward ${String(never)}`);
    }
  }
}

function loadCatalog(p: ShopParams, rng: Rng): Catalog {
  if (p.catalog === undefined) {
    const tooMany = categoriesProblem(p);
    if (tooMany) throw new ValidationError([tooMany]);
    return generateCatalog(p, rng);
  }
  if (typeof p.catalog === 'string') {
    throw new ValidationError([
      `catalog: "${p.catalog}" is a file path the host did not resolve: the environment needs the catalog object (load the file and pass its contents)`,
    ]);
  }
  return parseCatalog(p.catalog);
}

/**
 * Whether buildShop holds the exact MDP to its limits (pairs, rewards, transitions): runs build the
 * MDP only for the discrete observation (see sizeProblems), so only then; modelToMdp checks the
 * other models (`shop export-mdp` of a vector-observation shop) itself.
 */
export function checksMdpLimits(p: ShopParams): boolean {
  return p.exact && p.observation === 'discrete';
}

/**
 * The last few shops built, by their parameters' canonical JSON: the model or the problems that
 * refused it. One configuration is built again and again in a process: checked at every edit of the
 * New experiment form (once per experiment of a sweep, 64 at most, most of them the same shop when
 * the sweep's fields are the agent's), checked again at launch, and by `aisle run` before it stores
 * anything; a run builds its environment and its evaluation's. A shop of 100,000 items with slates
 * of 100 takes a few hundred milliseconds to build; two such models are kept at most.
 */
const MODEL_CACHE_SIZE = 2;
const cached: { key: string; built: ShopModel | readonly string[]; pairs?: Int32Array }[] = [];
let builds = 0;

/** How many shops buildShop has built rather than taken from its cache (for tests). */
export function shopBuilds(): number {
  return builds;
}

/** The key of a shop: its parameters as JSON, −0 told from 0 (JSON writes both as 0). */
function modelKey(p: ShopParams): string {
  return JSON.stringify(p, (_key, value: unknown) => (value === 0 && Object.is(value, -0) ? '\u0000-0' : value));
}

/**
 * A copy of a cached model for one caller, with `p` (equal to the cached model's parameters) as its
 * params: every table its own, so that what a caller writes into its model (a checkpoint restored
 * into its environment writes the model's arrays in place) never reaches the cache or another
 * environment. structuredClone keeps the model's shared references (actionLabels is the catalog's
 * itemIds or categoryNames), so the copy is laid out as a fresh build is.
 */
function copyOf(model: ShopModel, p: ShopParams): ShopModel {
  const { params: _params, ...rest } = model;
  return { params: p, ...structuredClone(rest) };
}

/**
 * Builds the shop or throws a ValidationError listing every problem, each naming its field. A
 * configuration built (or refused) lately is taken from the cache above: the same model, or the same
 * problems, without building it again.
 */
export function buildShop(p: ShopParams): ShopModel {
  let key: string | undefined;
  try {
    key = modelKey(p);
  } catch (e) {
    // A catalog's field nested thousands deep overflows JSON.stringify's stack: no key to cache it
    // by, so it is built uncached, and building says which field is wrong (it was "env: Maximum
    // call stack size exceeded").
    if (!(e instanceof RangeError)) throw e;
  }
  const at = key === undefined ? -1 : cached.findIndex((entry) => entry.key === key);
  if (at >= 0) {
    const [entry] = cached.splice(at, 1);
    cached.unshift(entry!);
    if (isProblems(entry!.built)) throw new ValidationError(entry!.built);
    return withPairs(copyOf(entry!.built, p), entry!.pairs!);
  }
  let model: ShopModel;
  try {
    builds++;
    model = buildUncached(p);
  } catch (e) {
    if (key !== undefined && e instanceof ValidationError) remember(key, e.problems);
    throw e;
  }
  // Counted here once for every environment of this shop (its exposure window's diversity term).
  const pairs = differingPairs(model.category, model.slates, model.slateSize);
  if (key !== undefined) remember(key, copyOf(model, p), pairs);
  return withPairs(model, pairs);
}

function isProblems(built: ShopModel | readonly string[]): built is readonly string[] {
  return Array.isArray(built);
}

function remember(key: string, built: ShopModel | readonly string[], pairs?: Int32Array): void {
  cached.unshift({ key, built, ...(pairs !== undefined ? { pairs } : {}) });
  cached.length = Math.min(cached.length, MODEL_CACHE_SIZE);
}

/** The model, its slates' differing pairs known to the exposure window built on it (see knownPairs). */
function withPairs(model: ShopModel, pairs: Int32Array): ShopModel {
  knownPairs(model.category, model.slates, pairs);
  return model;
}

function buildUncached(p: ShopParams): ShopModel {
  const early = paramProblems(p);
  if (early.length > 0) throw new ValidationError(early);
  const rng = new Rng(p.catalogSeed, CATALOG_STREAM);
  const catalog = loadCatalog(p, rng);
  const N = catalog.items;
  const C = catalog.categories;
  const problems: string[] = [];
  const source = p.catalog === undefined ? 'items' : 'the catalog\'s items';
  const slate = slateProblem(p.slateSize, N, source);
  if (slate) problems.push(slate);
  if (p.actionLevel === 'category') {
    const counts = new Int32Array(C);
    for (let i = 0; i < N; i++) counts[catalog.category[i]!]!++;
    const empty = counts.findIndex((n) => n === 0);
    // Only an explicit catalog can leave one empty; without names its categories are 0..the largest index an item gives.
    const named = typeof p.catalog === 'object' && p.catalog.categories !== undefined;
    if (empty >= 0 && named) {
      problems.push(`catalog.categories[${empty}]: category "${catalog.categoryNames[empty]}" has no items, so its category action would show none: add items to it or remove it`);
    } else if (empty >= 0) {
      problems.push(
        `catalog.items: no item has category ${empty}, though items name categories up to ${C - 1}, so category action "${catalog.categoryNames[empty]}" would show none: give an item category ${empty}, or number the categories without gaps`,
      );
    }
  }
  const observedSegments = p.observeSegment ? p.segments : 1;
  const discreteStates = discreteStateCount(p, C);
  const actions = p.actionLevel === 'item' ? N : C;
  problems.push(...sizeProblems(p, discreteStates, actions));
  const buildsMdp = checksMdpLimits(p);
  const reward = rewardTerms(p);
  const tooRewarding = buildsMdp ? mdpRewardProblem(p, reward, catalog.price, catalog.itemIds) : undefined;
  if (tooRewarding) problems.push(tooRewarding);
  if (problems.length > 0) throw new ValidationError(problems);

  const segments = generateSegments(p.segments, C, p.affinityConcentration, p.priceSensitivityMin, p.priceSensitivityMax, rng);
  const k = p.slateSize;
  const slates = buildSlates(catalog, p.actionLevel, k, p.ranking);
  const model: ShopModel = {
    params: p,
    catalog,
    segments,
    items: N,
    categories: C,
    category: catalog.category,
    attractiveness: catalog.attractiveness,
    quality: catalog.quality,
    price: catalog.price,
    logRelPrice: catalog.logRelPrice,
    priceSensitivity: segments.priceSensitivity,
    ...reward,
    slateSize: k,
    actions,
    slates,
    actionLabels: p.actionLevel === 'item' ? catalog.itemIds : catalog.categoryNames,
    observedSegments,
    discreteStates,
  };
  // Counted only now (it reads the slates), and only once the pairs fit, which bounds its cost.
  const tooLarge = buildsMdp ? mdpTransitionsProblem(model) : undefined;
  if (tooLarge) throw new ValidationError([tooLarge]);
  return model;
}
