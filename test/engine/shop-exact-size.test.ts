// The shop's size limits (SHOP_LIMITS in params.ts) are part of experiment validation: an oversized
// shop is refused by parseExperiment at once, with one line naming the field, instead of by the
// training worker seconds and gigabytes later when it allocates the Q-table and builds the MDP.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/engine/experiment';
import { ValidationError } from '../../src/engine/params';
import { loadExperimentFile } from '../../src/main/files';
import { ROOT } from '../helpers/cli';

const experiment = (env: Record<string, unknown>, agent: string) => ({
  format: 'aisle.experiment/v1',
  name: 'size',
  env: { id: 'shop', ...env },
  agent: { id: agent },
  episodes: 10,
});

/** parseExperiment's problems and how long it took to find them. */
function problems(env: Record<string, unknown>, agent = 'q-learning'): { lines: readonly string[]; ms: number } {
  const start = performance.now();
  try {
    parseExperiment(experiment(env, agent));
    return { lines: [], ms: performance.now() - start };
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return { lines: e.problems, ms: performance.now() - start };
  }
}

// The tester's file: 10 × 51 × 10 × 10 + 1 = 51,001 states, well inside the observation limit.
const LARGE = { exact: true, items: 1000, categories: 50, segments: 10, fatigueLevels: 10, engagementLevels: 10 };

describe('shop size limits in experiment validation', () => {
  it('refuses an exact MDP with too many (state, action) pairs, at once and in one line', () => {
    const { lines, ms } = problems(LARGE);
    expect(lines).toEqual([
      'env.exact: the exact MDP would have 51,001 states × 1,000 actions = 51,001,000 pairs, more than 2,000,000: use fewer items, categories, segments or levels (or category actions), or exact false',
    ]);
    // No Q-table or MDP is built: the worker took 12 s to fail; a generous bound for a loaded machine.
    expect(ms).toBeLessThan(3000);
  });

  it('counts category actions when actions are categories', () => {
    expect(problems({ ...LARGE, segments: 2, actionLevel: 'category' }).lines).toEqual([]); // 10,201 × 50 pairs
    expect(problems({ ...LARGE, segments: 2 }).lines[0]).toMatch(/^env\.exact: the exact MDP would have 10,201 states × 1,000 actions = 10,201,000 pairs/);
  });

  it('refuses a discrete observation over the limit whether exact or not', () => {
    const huge = { items: 1000, categories: 1000, segments: 100, engagementLevels: 5 };
    for (const exact of [false, true]) {
      const { lines, ms } = problems({ ...huge, exact });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^env\.observation: the discrete observation would have 1,501,501 states .*, more than 1,000,000: /);
      expect(ms).toBeLessThan(3000);
    }
  });

  it('leaves an exact shop with vector observations alone: runs build its MDP only for discrete ones', () => {
    expect(problems({ ...LARGE, observation: 'vector' }, 'random').lines).toEqual([]);
  });

  it('accepts every shop preset, shop-small (exact) among them', () => {
    const dir = join(ROOT, 'resources/experiments');
    const presets = readdirSync(dir).filter((f) => f.startsWith('shop') && f.endsWith('.json'));
    expect(presets).toContain('shop-small.json');
    for (const file of presets) expect(() => loadExperimentFile(join(dir, file)), file).not.toThrow();
    expect(loadExperimentFile(join(dir, 'shop-small.json')).env).toMatchObject({ id: 'shop', exact: true, items: 6 });
  });
});
