// A run's settings are listed without the ones its other settings make inert: with an explicit
// shop catalog, the catalog generator's parameters (items, categories, prices, quality, clickbait)
// did nothing, so run detail does not show them; the stored config and its hash keep them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shownEnvConfig } from '../../src/engine/registry';
import { openService, type TestService } from '../helpers/service';

const catalog = {
  categories: ['shoes', 'hats'],
  items: [
    { id: 'boot', category: 0, price: 80, quality: 0.9, attractiveness: 0.2 },
    { id: 'sandal', category: 0, price: 30, quality: 0.5, attractiveness: 0.8 },
    { id: 'cap', category: 1, price: 15, quality: 0.6, attractiveness: 0.5 },
  ],
};
const GENERATOR = ['items', 'categories', 'priceMedian', 'priceCategoryStd', 'priceItemStd', 'qualityAlpha', 'qualityBeta', 'attractivenessStd', 'clickbaitShare', 'clickbaitBoost', 'clickbaitQuality'];

let t: TestService;
let withCatalog: number;
let generated: number;

const experiment = (env: Record<string, unknown>) => ({ format: 'aisle.experiment/v1', name: 'inert', env: { id: 'shop', maxSteps: 5, ...env }, agent: { id: 'random' }, episodes: 3, seeds: 1 });

beforeAll(async () => {
  t = openService();
  withCatalog = (await t.call('experiments.launch', { experiment: experiment({ catalog }) })).runIds[0]!;
  generated = (await t.call('experiments.launch', { experiment: experiment({ items: 6 }) })).runIds[0]!;
  await t.until([withCatalog, generated]);
});

afterAll(async () => {
  await t.close();
});

describe('settings a run lists', () => {
  it('with a catalog: not the generator\'s parameters, but everything that acted (catalog, its ranking, catalogSeed)', async () => {
    const detail = await t.call('runs.get', { id: withCatalog });
    for (const name of GENERATOR) expect(detail.config.env, name).not.toHaveProperty(name);
    expect(detail.config.env).toMatchObject({ id: 'shop', catalog, ranking: 'attractiveness', catalogSeed: 0, maxSteps: 5 });
    // The stored config is what ran, defaults and all.
    const stored = t.store.getRun(withCatalog).config as { env: Record<string, unknown> };
    expect(stored.env).toMatchObject({ items: 20, priceMedian: 25 });
  });

  it('with a generated catalog: every parameter', async () => {
    const detail = await t.call('runs.get', { id: generated });
    for (const name of GENERATOR) expect(detail.config.env, name).toHaveProperty(name);
    expect(detail.config.env.items).toBe(6);
  });

  it('Compare names only settings that acted: two catalog shops differing in items and the agent differ in the agent', async () => {
    const a = (await t.call('experiments.launch', { experiment: experiment({ catalog, items: 5 }) })).runIds[0]!;
    const b = (await t.call('experiments.launch', { experiment: { ...experiment({ catalog, items: 7 }), agent: { id: 'most-popular' } } })).runIds[0]!;
    await t.until([a, b]);
    const result = await t.call('compare.runs', { runIds: [a, b] });
    expect(result.differences).toEqual(['agent.id', 'agent.popularity', 'agent.epsilon']);
  });

  it('an environment without inert parameters, or unknown, is listed as it is', () => {
    const toy = { id: 'seed-toy', states: 10 };
    expect(shownEnvConfig(toy)).toBe(toy);
    const unknown = { id: 'gone', catalog: 'x', items: 3 };
    expect(shownEnvConfig(unknown)).toBe(unknown);
  });
});
