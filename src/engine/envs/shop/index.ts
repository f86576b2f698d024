/**
 * The shop simulator: a catalog, users in segments, slates, a multinomial-logit click choice, a
 * click → cart → purchase funnel, engagement, fatigue, churn and drift, with an exact mode that is
 * a finite MDP. docs/shop-simulator.md states every equation and default.
 */
import { defineEnv } from '../../definitions';
import { parseOrThrow, plural, thousands } from '../../params';
import { SHOP_METRIC_DIRECTIONS, SHOP_METRIC_RANGES, ShopEnv } from './env';
import { parseCatalog } from './catalog';
import { buildShop } from './model';
import { discreteStateCount, shopParams, type ShopParams, type ShopParamsInput } from './params';
import { POLICY_LIMITS } from '../../policy/runtime';

export { ShopEnv, SHOP_METRICS, type ShopSession } from './env';
export { shopToMdp } from './export-mdp';
export { buildShop, type ShopModel } from './model';
export { shopParams, shopCatalogSchema, type ShopCatalog, type ShopParams, type ShopParamsInput } from './params';

/** A shop environment from (possibly partial) parameters: defaults filled, everything checked. */
export function createShopEnv(params: ShopParamsInput = {}): ShopEnv {
  return new ShopEnv(buildShop(parseOrThrow(shopParams, params)));
}

/** The catalog generator's parameters: an explicit `catalog` replaces what they would draw. */
const GENERATOR_PARAMS = [
  'items', 'categories', 'priceMedian', 'priceCategoryStd', 'priceItemStd', 'qualityAlpha', 'qualityBeta',
  'attractivenessStd', 'clickbaitShare', 'clickbaitBoost', 'clickbaitQuality',
] as const;

export const shop = defineEnv({
  id: 'shop',
  title: 'Shop',
  description:
    'A simulated shop: users from segments with category affinities and price sensitivity are shown slates of items, click by a multinomial logit against not clicking, and may add to cart and buy. ' +
    'Engagement rises after good purchases and falls after clickbait and ignored slates; repeating the last clicked category tires; disengaged users leave. ' +
    'A policy that chases the next click loses to one that keeps the user. Rewards are clicks, purchases or revenue; the exact mode is a finite MDP, so tabular runs report their optimality gap.',
  params: shopParams,
  metricDirections: SHOP_METRIC_DIRECTIONS,
  metricRanges: SHOP_METRIC_RANGES,
  fileParams: ['catalog'],
  checkFile: (_param, json) => void parseCatalog(json),
  paramGroups: [
    { title: 'Catalog', params: ['catalog', 'items', 'categories', 'catalogSeed', 'priceMedian', 'priceCategoryStd', 'priceItemStd', 'qualityAlpha', 'qualityBeta', 'attractivenessStd', 'clickbaitShare', 'clickbaitBoost', 'clickbaitQuality', 'ranking'] },
    { title: 'Users', params: ['segments', 'observeSegment', 'affinityConcentration', 'priceSensitivityMin', 'priceSensitivityMax', 'engagementStart'] },
    { title: 'Slates and clicks', params: ['slateSize', 'actionLevel', 'noClickUtility', 'affinityWeight', 'attractivenessWeight', 'priceWeight', 'fatigueWeight'] },
    { title: 'Cart and purchase', params: ['cartBias', 'cartQuality', 'cartAffinity', 'cartPrice', 'purchaseBias', 'purchaseQuality', 'purchasePrice'] },
    { title: 'Reward', params: ['reward', 'rewardWeights', 'margin'] },
    { title: 'Engagement, fatigue and leaving', params: ['engagementLevels', 'purchaseGain', 'clickbaitLoss', 'ignoreLoss', 'fatigueIncrement', 'fatigueDecay', 'fatigueLoss', 'fatigueLevels', 'leaveBase', 'leaveSlope'] },
    { title: 'Drift', params: ['driftStd', 'shiftAt', 'shiftMagnitude'] },
    { title: 'Observation, sessions and metrics', params: ['observation', 'maxSteps', 'exact', 'metricsWindow'] },
  ],
  maxEpisodeSteps: (p) => p.maxSteps,
  episodeMarks: (p) => (p.shiftAt !== null ? [{ episode: p.shiftAt, label: 'preference shift' }] : []),
  create: (p) => new ShopEnv(buildShop(p)),
  inertParams: (p) => (p.catalog !== undefined ? GENERATOR_PARAMS : []),
  evaluationCaveat: (p) =>
    p.driftStd > 0 || p.shiftAt !== null
      ? `the shop ${[p.driftStd > 0 ? 'drifts (driftStd)' : '', p.shiftAt !== null ? `shifts at episode ${thousands(p.shiftAt)} (shiftAt)` : ''].filter(Boolean).join(' and ')}, but each greedy evaluation plays a fresh shop from its first session, so eval/greedy_return measures the policy on the shop as it started: compare it with the training return with that in mind`
      : undefined,
  warnings: (p, { episodes, agentFamily, agentExports }) => [
    ...(p.shiftAt !== null && p.shiftAt >= episodes
      ? [`shiftAt: the shift at episode ${thousands(p.shiftAt)} never happens in ${plural(episodes, 'episode', thousands(episodes))} (episodes 0 to ${thousands(episodes - 1)}): set shiftAt below ${thousands(episodes)}, or raise episodes`]
      : []),
    // An agent that keeps nothing to export (random, the myopic oracle) loses nothing to the limit.
    ...(agentExports === false ? [] : unexportableWarning(p)),
    ...(agentFamily === 'tabular' ? unexportableTableWarning(p) : []),
  ],
});

/**
 * The shop's items and categories, of its inline catalog (`inline`) or the generated one's
 * parameters. A catalog named by its path is inline by now: the warnings are of a parsed
 * experiment, and parseExperiment put the named file in the path's place (`aisle run` reads it from
 * the experiment's folder, the app's Import from the files picked with it, a preset from those it
 * ships), so a path here is of a caller that read nothing, and undefined says nothing rather than
 * guess. Categories as parseCatalog counts them (the catalog was checked with the experiment): the
 * names listed, else 0..the largest an item gives.
 */
function catalogSize(p: ShopParams): { items: number; categories: number; inline: boolean } | undefined {
  if (p.catalog === undefined) return { items: p.items, categories: p.categories, inline: false };
  const catalog = typeof p.catalog === 'object' ? (p.catalog as { items?: unknown; categories?: unknown }) : undefined;
  if (!catalog || !Array.isArray(catalog.items)) return undefined;
  const listed = catalog.items as readonly { category?: unknown }[];
  const named = Array.isArray(catalog.categories) ? catalog.categories.length : undefined;
  const categories = named ?? listed.reduce<number>((most, item) => (typeof item.category === 'number' ? Math.max(most, item.category + 1) : most), 1);
  return { items: listed.length, categories, inline: true };
}

/**
 * Item actions past what a policy file holds: the runs train (a shop takes up to 100,000 items), and
 * only then did `aisle export` or the app's Export refuse their policy ("it has 20,000 actions, more
 * than the 10,000 a policy file holds"), after hours of training. A catalog named by its path
 * counts as inline (catalogSize).
 */
function unexportableWarning(p: ShopParams): string[] {
  const size = catalogSize(p);
  if (p.actionLevel !== 'item' || size === undefined || size.items <= POLICY_LIMITS.actions) return [];
  const { items, inline } = size;
  const field = inline ? 'catalog' : 'items';
  return [
    `${field}: ${thousands(items)} items, one action each, are more than the ${thousands(POLICY_LIMITS.actions)} actions a policy file holds: the runs train, but their policy cannot be exported to serve: ` +
      `use actionLevel "category", or at most ${thousands(POLICY_LIMITS.actions)} items`,
  ];
}

/**
 * A tabular agent's Q-table past the values a policy file holds, its actions within the file's: a
 * table keeps up to 2^25 values (MAX_TABLE_VALUES, ~33.5M) and a policy file 10M, so a shop of, say,
 * 5,000 items on 5,000 states trained and only `aisle policies export` (or the app's Export) refused
 * it ("its Q-table has … values, more than the 10,000,000 a policy file holds"). Actions past the
 * file's are unexportableWarning's; a catalog named by its path counts as inline (catalogSize).
 */
function unexportableTableWarning(p: ShopParams): string[] {
  const size = catalogSize(p);
  if (p.observation !== 'discrete' || size === undefined) return [];
  const { items, categories, inline } = size;
  const actions = p.actionLevel === 'item' ? items : categories;
  const states = discreteStateCount(p, categories);
  const values = states * actions;
  if (actions > POLICY_LIMITS.actions || values <= POLICY_LIMITS.values) return [];
  const field = inline ? 'catalog' : p.actionLevel === 'item' ? 'items' : 'categories';
  const fewer =
    p.actionLevel === 'item'
      ? `use at most ${thousands(Math.floor(POLICY_LIMITS.values / states))} items, or actionLevel "category"`
      : 'use fewer categories, segments (or observeSegment false), engagementLevels or fatigueLevels';
  return [
    `${field}: a tabular agent's Q-table here holds ${thousands(states)} states × ${thousands(actions)} ${p.actionLevel === 'item' ? 'item' : 'category'} actions = ${thousands(values)} values, ` +
      `more than the ${thousands(POLICY_LIMITS.values)} a policy file holds: the runs train, but their policy cannot be exported to serve: ${fewer}, or accept that these runs cannot be exported`,
  ];
}
