/**
 * The shop's parameters: one zod schema (every field with a default, a range and a description,
 * from which the UI form and the JSON Schema are generated) and the cross-field checks the schema
 * cannot express, each naming its field and the fix. docs/shop-simulator.md explains every one.
 */
import * as z from 'zod';
import { choice, flag, nullableNumber, num, numberSchema, showJson, withoutControl } from '../../params';
import { discreteStateCount, exactProblems, leaveProblem, mdpPairsProblem, observationStatesProblem, OR_EXACT_FALSE, OR_OBSERVATION_VECTOR, priceSensitivityProblem, SHOP_MDP_PAIRS, SHOP_OBSERVATION_STATES } from '../../cross-field';
import { fileFormatJsonSchema, lazyJsonSchema } from '../../json-schema';

/**
 * Bounds of a catalog item's price and id. Exported so that `aisle shop calibrate` refuses data
 * outside them when it reads the rows, instead of writing a catalog that `aisle run` then refuses.
 */
export const CATALOG_LIMITS = { maxPrice: 1e9, maxIdLength: 200 } as const;

/** The explicit catalog a calibration writes (`catalog`), checked in full by parseCatalog. */
export const shopCatalogSchema = z
  .object({
    categories: z
      .array(withoutControl(z.string().min(1, { error: 'must not be empty: name the category' })), { error: 'must be an array of category names' })
      .min(1, { error: 'must name at least one category' })
      .max(1000, { error: 'names more than 1000 categories' })
      .optional()
      .describe('Category names; an item\'s `category` indexes this list. Omitted: categories 0..max are named c0, c1, …'),
    items: z
      .array(
        z
          .object({
            id: withoutControl(z.string().min(1, { error: 'must not be empty: give the item an id, or leave id out' }).max(CATALOG_LIMITS.maxIdLength, { error: `is longer than ${CATALOG_LIMITS.maxIdLength} characters: shorten it` })).optional().describe('The item\'s id (its action label); default i0, i1, …'),
            category: numberSchema({ int: true, min: 0, max: 999, describe: 'Index of the item\'s category.' }),
            price: numberSchema({ gt: 0, max: CATALOG_LIMITS.maxPrice, describe: 'Price in the shop\'s currency.' }),
            quality: numberSchema({ min: 0, max: 1, describe: 'Quality in [0, 1]: drives conversion and the user\'s satisfaction.' }),
            attractiveness: numberSchema({ min: -20, max: 20, describe: 'Base attractiveness: a utility term of the click choice.' }),
            clickbait: z.boolean({ error: 'must be true or false' }).optional().describe('Marks the item as clickbait (informational: the dynamics use quality and attractiveness).'),
          })
          .strict(),
        { error: 'must be an array of items { category, price, quality, attractiveness }' },
      )
      .min(1, { error: 'must list at least one item: the shop needs a catalog' })
      .max(100_000, { error: 'lists more than 100,000 items' }),
  })
  .strict()
  .describe('An explicit catalog that replaces the generated one.');

export type ShopCatalog = z.input<typeof shopCatalogSchema>;

/** Parsed in create() (see parseCatalog) so its messages name `catalog.items[3].quality`. */
const inlineCatalog = lazyJsonSchema(z.looseObject({}), () => fileFormatJsonSchema(shopCatalogSchema));

const weight = (def: number, describe: string) => num({ default: def, min: 0, max: 20, describe });
const bias = (def: number, describe: string) => num({ default: def, min: -20, max: 20, describe });
const probability = (def: number, describe: string) => num({ default: def, min: 0, max: 1, describe });

export const shopParams = z
  .object({
    // The shop: catalog and segments, drawn from catalogSeed.
    items: num({ default: 20, int: true, min: 1, max: 100_000, describe: 'Number of items in the generated catalog (ignored when `catalog` is given).' }),
    categories: num({ default: 4, int: true, min: 1, max: 1000, describe: 'Number of categories in the generated catalog; items are spread evenly over them (ignored when `catalog` is given).' }),
    catalogSeed: num({ default: 0, int: true, min: 0, max: 2 ** 31 - 1, describe: 'Seed of the shop itself (catalog and segments): every run of an experiment faces the same shop; the run seed drives users and outcomes.' }),
    catalog: z
      .union([z.string().min(1, { error: 'must not be empty: give the path of a catalog JSON file, or the catalog inline' }), inlineCatalog], {
        error: (iss) => `must be the path of a catalog JSON file or an inline catalog { items: [...] }, got ${showJson(iss.input)}`,
      })
      .optional()
      .describe('An explicit catalog (a path to a JSON file, or inline) that replaces the generated one: { categories?, items: [{ id?, category, price, quality, attractiveness, clickbait? }] }.'),
    priceMedian: num({ default: 25, gt: 0, max: 1e6, describe: 'Median of the log-normal the generated prices are drawn from; the catalog\'s own median price, the reference of relative prices, varies around it.' }),
    priceCategoryStd: num({ default: 0.5, min: 0, max: 5, describe: 'Spread of the categories\' log-price centres (σ of a normal on log price).' }),
    priceItemStd: num({ default: 0.35, min: 0, max: 5, describe: 'Spread of item log-prices around their category\'s centre.' }),
    qualityAlpha: num({ default: 4, gt: 0, max: 100, describe: 'α of the Beta distribution of item quality.' }),
    qualityBeta: num({ default: 2, gt: 0, max: 100, describe: 'β of the Beta distribution of item quality.' }),
    attractivenessStd: num({ default: 0.5, min: 0, max: 10, describe: 'σ of the normal base attractiveness of items.' }),
    clickbaitShare: probability(0.2, 'Share of generated items that are clickbait: more attractive, lower quality.'),
    clickbaitBoost: num({ default: 2.5, min: 0, max: 10, describe: 'Attractiveness added to clickbait items.' }),
    clickbaitQuality: probability(0.15, 'Factor on a clickbait item\'s quality (0.15: about a seventh of what it would be).'),
    ranking: choice(['attractiveness', 'quality'], 'attractiveness', 'The shop\'s fixed ranking within a category, which fills slates: by base attractiveness (eye-catching first) or by quality.'),

    // Users.
    segments: num({ default: 2, int: true, min: 1, max: 100, describe: 'Number of user segments; a session\'s user is drawn uniformly from them.' }),
    observeSegment: flag(true, 'Whether the agent observes the user\'s segment.'),
    affinityConcentration: num({ default: 0.2, gt: 0, max: 100, describe: 'Dirichlet concentration of segment category affinities (small: each segment loves a few categories).' }),
    priceSensitivityMin: num({ default: 0.5, min: 0, max: 10, describe: 'Lowest segment price sensitivity (drawn uniformly between min and max).' }),
    priceSensitivityMax: num({ default: 1.5, min: 0, max: 10, describe: 'Highest segment price sensitivity.' }),
    engagementStart: probability(0.7, 'Engagement of a user at the start of a session, in [0, 1].'),

    // The slate and the choice.
    slateSize: num({ default: 1, int: true, min: 1, max: 100, describe: 'Items shown per step (1: a single recommendation); at most the number of items.' }),
    actionLevel: choice(['item', 'category'], 'item', 'What an action picks: an item (shown first, followed by its category\'s best-ranked items) or a category (its best-ranked items).'),
    noClickUtility: bias(1.5, 'Utility of not clicking in the multinomial-logit choice: higher means fewer clicks.'),
    affinityWeight: weight(1, 'Weight of log relative category affinity in the click utility (1: click odds proportional to affinity).'),
    attractivenessWeight: weight(1, 'Weight of item attractiveness in the click utility.'),
    priceWeight: weight(0.5, 'Weight of price sensitivity × log relative price in the click utility.'),
    fatigueWeight: weight(2, 'Utility lost per unit of fatigue by items of the category the user last clicked.'),

    // The funnel: click → cart → purchase.
    cartBias: bias(-1, 'Cart logit of a click on an item of quality 0, in a category of average affinity, at the median price.'),
    cartQuality: weight(3, 'Weight of quality in the cart logit.'),
    cartAffinity: weight(0.5, 'Weight of log relative affinity in the cart logit.'),
    cartPrice: weight(0.5, 'Weight of price sensitivity × log relative price in the cart logit.'),
    purchaseBias: bias(0.5, 'Purchase logit of a cart holding an item of quality 0 at the median price.'),
    purchaseQuality: weight(1.5, 'Weight of quality in the purchase logit.'),
    purchasePrice: weight(0.5, 'Weight of price sensitivity × log relative price in the purchase logit.'),

    // The reward.
    reward: choice(['clicks', 'purchases', 'revenue', 'weighted'], 'clicks', 'What a step pays: 1 per click, 1 per purchase, price × margin per purchase, or the weighted sum given by rewardWeights.'),
    rewardWeights: z
      .object({
        click: num({ default: 0.1, min: -1e6, max: 1e6, describe: 'Reward per click.' }),
        purchase: num({ default: 1, min: -1e6, max: 1e6, describe: 'Reward per purchase.' }),
        revenue: num({ default: 0, min: -1e6, max: 1e6, describe: 'Reward per unit of revenue (price × margin).' }),
      })
      .strict()
      .default({ click: 0.1, purchase: 1, revenue: 0 })
      .describe('Weights of the "weighted" reward: click + purchase + revenue.'),
    margin: probability(0.3, 'Share of the price the shop keeps: revenue = price × margin.'),

    // Long-term effects.
    engagementLevels: num({ default: 3, int: true, min: 2, max: 20, describe: 'Engagement levels in the discrete observation (and the states of the exact mode), evenly spaced in [0, 1].' }),
    purchaseGain: probability(0.3, 'Engagement gained by a purchase, times the item\'s quality.'),
    clickbaitLoss: probability(0.4, 'Engagement lost by a click without a purchase, times (1 − quality): clickbait disappoints.'),
    ignoreLoss: probability(0.03, 'Engagement lost by a slate the user does not click (irrelevant items).'),
    fatigueIncrement: probability(0.5, 'Fatigue added by a slate made wholly of the last clicked category (a share of it adds that share).'),
    fatigueDecay: probability(0.5, 'Factor on fatigue per step: f ← min(1, decay · f + increment · share); a click in another category resets it to 0.'),
    fatigueLoss: probability(0.1, 'Engagement lost per step per unit of fatigue: a bored user drifts away.'),
    fatigueLevels: num({ default: 3, int: true, min: 2, max: 20, describe: 'Fatigue levels in the discrete observation (and the exact mode), evenly spaced in [0, 1].' }),
    leaveBase: probability(0.02, 'Probability of leaving after a step at full engagement.'),
    leaveSlope: probability(0.2, 'Added probability of leaving per unit of engagement lost: p = leaveBase + leaveSlope · (1 − engagement).'),

    // Non-stationarity.
    driftStd: num({ default: 0, min: 0, max: 5, describe: 'σ of the per-episode random walk of segment affinities on the log scale (0: none).' }),
    shiftAt: nullableNumber({ int: true, min: 0, max: 100_000_000 }, 'Episode index.', 'Episode (0-based) from which segment affinities move towards new ones; null for none.'),
    shiftMagnitude: probability(0.5, 'How far the shift moves affinities: a ← (1 − m) · a + m · a_new.'),

    // Observation and episodes.
    observation: choice(['discrete', 'vector'], 'discrete', 'What the agent sees: a discrete state (segment × last clicked category × engagement level × fatigue level) for tabular agents, or a feature vector.'),
    maxSteps: num({ default: 100, int: true, min: 1, max: 1_000_000, describe: 'Session cap: steps after which a session is truncated (a time limit, not the user leaving).' }),
    exact: flag(false, 'Exact mode: engagement and fatigue live on their levels, no drift or shift, segment observed; the shop is then a finite MDP solved exactly, and tabular runs report their optimality gap.'),
    metricsWindow: num({ default: 100, int: true, min: 1, max: 100_000, describe: 'Trailing window (episodes) of the coverage, diversity, Gini and novelty metrics.' }),
  })
  .strict();

export type ShopParams = z.output<typeof shopParams>;
export type ShopParamsInput = z.input<typeof shopParams>;

/** Largest discrete observation space and exact MDP the shop builds (mdpTransitions: MDP_LIMITS.transitions, what an aisle.mdp/v1 file holds). */
export const SHOP_LIMITS = { observationStates: SHOP_OBSERVATION_STATES, mdpPairs: SHOP_MDP_PAIRS, mdpTransitions: 10_000_000 } as const;

/**
 * States of the discrete observation, the exact MDP's size limits and their last fix, "or exact
 * false" (cross-field.ts, where the form's rules of a generated catalog read them too).
 */
export { discreteStateCount, mdpPairsProblem, OR_EXACT_FALSE };

/** Cross-field checks that need no catalog; one message per problem, naming the field and the fix (the form says them too: cross-field.ts). */
export function paramProblems(p: ShopParams): string[] {
  return [priceSensitivityProblem(p), leaveProblem(p), ...exactProblems(p)].filter((line): line is string => line !== undefined);
}

/**
 * The sizes the shop refuses, once its catalog is known (states: of the discrete observation, see
 * model.ts; actions: items or categories): the discrete observation (a tabular agent's table has a
 * row per state) and, when a run builds it, the exact MDP. buildShop checks them before it builds
 * anything else, so experiment validation (which creates the environment) refuses an oversized
 * shop at once, not the training worker after seconds and gigabytes. Runs build the exact MDP only
 * for the discrete observation (env.mdp), so a vector-observation exact shop is not held to its
 * limit here; `shop export-mdp` still is (export-mdp.ts). The MDP's transitions and rewards are
 * checked by buildShop too, once the slates and prices are known (mdp-limits.ts).
 */
export function sizeProblems(p: ShopParams, states: number, actions: number): string[] {
  if (p.observation !== 'discrete') return [];
  const problems: string[] = [];
  const observation = observationStatesProblem(states);
  if (observation) {
    problems.push(observation);
  } else if (p.exact) {
    // Only once the observation fits (its fix may be observation "vector", which lifts this one).
    const pairs = mdpPairsProblem(states, actions);
    if (pairs) problems.push(pairs);
  }
  return problems;
}

/** A problem without the fix only a run has (OR_EXACT_FALSE, OR_OBSERVATION_VECTOR), for a caller that needs the exact MDP itself. */
export function withoutRunFixes(problem: string): string {
  const fix = [OR_EXACT_FALSE, OR_OBSERVATION_VECTOR].find((f) => problem.endsWith(f));
  return fix === undefined ? problem : problem.slice(0, -fix.length);
}
