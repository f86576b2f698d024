// The presets New experiment offers: every experiment of resources/experiments, built into the app
// (a packaged app has no resources folder), each loading with the files it names inline.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openService, type TestService } from '../helpers/service';

let t: TestService;
beforeAll(() => {
  t = openService();
});
afterAll(async () => {
  await t.close();
});

const DIR = join(__dirname, '../../resources/experiments');
const onDisk = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, json: JSON.parse(readFileSync(join(DIR, f), 'utf8')) as { format: string; name: string; description?: string } }))
  .filter((f) => f.json.format === 'aisle.experiment/v1');

describe('presets', () => {
  it('the catalog lists every experiment file (not the MDPs) with its name and description, the quickstart first', async () => {
    const { presets } = await t.call('catalog.get', {});
    expect(presets[0]?.file).toBe('quickstart.json');
    expect(presets.map((p) => p.file).sort()).toEqual(onDisk.map((f) => f.file).sort());
    for (const { file, json } of onDisk) expect(presets.find((p) => p.file === file)).toMatchObject({ name: json.name, description: json.description ?? '' });
    expect(presets.find((p) => p.file === 'shop-fatigue-dqn.json')).toMatchObject({ envId: 'shop', agentId: 'dqn', seeds: 10 });
    // With its seeds: Start from a preset says which are too few for Compare's verdicts.
    expect(presets.find((p) => p.file === 'seed-toy.json')?.seeds).toBe(1);
  });

  it('each one says what it shows: the list in New experiment gives every preset a line under its name', () => {
    for (const { file, json } of onDisk) expect(json.description?.trim(), file).toBeTruthy();
  });

  it('names the other presets as Start from a preset lists them, not by the file names the app never shows', () => {
    const names = new Set(onDisk.map((f) => f.json.name));
    for (const { file, json } of onDisk) {
      expect(json.description, file).not.toMatch(/[\w.-]+\.json\b/);
      for (const [, quoted] of (json.description ?? '').matchAll(/“([^”]+)”/g)) expect(names, `${file}: “${quoted}”`).toContain(quoted);
    }
  });

  it('stands alone in the app: cites no repository file (docs/…, a .md file), which New experiment cannot open', () => {
    for (const { file, json } of onDisk) expect(json.description, file).not.toMatch(/\b(?:docs|src|test|resources|scripts)\/|[\w.-]+\.md\b/);
  });

  it('each one loads as a valid experiment, its MDP or shop catalog inline', async () => {
    const { presets } = await t.call('catalog.get', {});
    for (const { file } of presets) expect(await t.call('presets.load', { file }), file).toMatchObject({ ok: true });
    const cliff = await t.call('presets.load', { file: 'quickstart.json' });
    expect(cliff.ok && cliff.experiment.env).toMatchObject({ id: 'tabular-mdp', mdp: { format: 'aisle.mdp/v1', name: expect.stringContaining('cliff') } });
    const calibrated = await t.call('presets.load', { file: 'shop-calibrated.json' });
    expect(calibrated.ok && calibrated.experiment.env).toMatchObject({ id: 'shop', catalog: { items: expect.any(Array) } });
  });

  it('a name that is not a preset is refused, naming the presets', async () => {
    await expect(t.call('presets.load', { file: '../shops/online-retail.shop.json' })).rejects.toThrow(/no preset "..\/shops\/online-retail.shop.json": pick one of quickstart.json, /);
  });
});
