/**
 * The runs test/engine/shop-pinned.test.ts pins: shop presets (and variants that reach the other
 * code paths: non-exact mode, vector observations, drift and shift, the oracle) trained in-process
 * on fixed seeds, reduced to their summaries and a few metric rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComponentConfig } from '../../src/engine/experiment';
import { train } from '../../src/engine/train';
import { ROOT } from '../helpers/cli';

const env = (preset: string, extra: Record<string, unknown> = {}): ComponentConfig => {
  const e = JSON.parse(readFileSync(join(ROOT, 'resources/experiments', `${preset}.json`), 'utf8')) as { env: ComponentConfig };
  return { ...e.env, ...extra } as ComponentConfig;
};
const agent = (preset: string): ComponentConfig => (JSON.parse(readFileSync(join(ROOT, 'resources/experiments', `${preset}.json`), 'utf8')) as { agent: ComponentConfig }).agent;
const random: ComponentConfig = { id: 'random' };

export interface PinnedCase {
  readonly name: string;
  readonly env: ComponentConfig;
  readonly agent: ComponentConfig;
  readonly episodes: number;
  readonly seed: number;
}

export const PINNED_CASES: readonly PinnedCase[] = [
  { name: 'shop-fatigue random', env: env('shop-fatigue'), agent: random, episodes: 3000, seed: 3 },
  { name: 'shop-fatigue q-learning', env: env('shop-fatigue'), agent: agent('shop-fatigue'), episodes: 2000, seed: 1 },
  { name: 'shop-fatigue myopic oracle', env: env('shop-fatigue'), agent: { id: 'myopic-oracle' }, episodes: 500, seed: 4 },
  { name: 'shop-fatigue random, not exact, vector', env: env('shop-fatigue', { exact: false, observation: 'vector' }), agent: random, episodes: 1000, seed: 6 },
  { name: 'shop-large random', env: env('shop-large'), agent: random, episodes: 1000, seed: 2 },
  { name: 'shop-large myopic oracle', env: env('shop-large'), agent: { id: 'myopic-oracle' }, episodes: 200, seed: 0 },
  { name: 'shop-large random, vector', env: env('shop-large-linucb'), agent: random, episodes: 300, seed: 7 },
  { name: 'shop-drift random (drift, shift at 3000)', env: env('shop-drift'), agent: random, episodes: 3300, seed: 5 },
];

/** Episodes whose metric rows are pinned (besides the last). */
const ROWS_AT = [0, 1, 10, 100];

export interface PinnedResult {
  readonly steps: number;
  readonly summary: Record<string, [number, number]>;
  readonly rows: Record<string, number[]>;
}

export function runPinned(c: PinnedCase): PinnedResult {
  const rows: Record<string, number[]> = {};
  const r = train(
    { env: c.env, agent: c.agent, episodes: c.episodes, seed: c.seed, checkpoints: 0 },
    {
      onEpisode(episode, row) {
        if (ROWS_AT.includes(episode) || episode === c.episodes - 1) rows[episode] = Array.from(row);
      },
    },
    undefined,
    { backend: 'js' },
  );
  const summary: Record<string, [number, number]> = {};
  for (const [name, s] of Object.entries(r.summary)) summary[name] = [s.mean, s.last100];
  return { steps: r.steps, summary, rows };
}
