/// <reference types="vite/client" />
/**
 * The example experiments of resources/experiments, with the files they name (MDPs beside them,
 * shop catalogs in resources/shops), built into the app: a packaged app ships no resources folder,
 * and New experiment offers them as presets all the same.
 */
import { EXPERIMENT_FORMAT } from '../../engine/experiment';
import type { Preset } from '../../shared/dto';
import { isObject } from '../../shared/values';

const EXPERIMENTS = '../../../resources/experiments/';

// Vite embeds the files' text at build time (vitest reads them the same way).
const texts: Readonly<Record<string, string>> = {
  ...import.meta.glob<string>('../../../resources/experiments/*.json', { eager: true, query: '?raw', import: 'default' }),
  ...import.meta.glob<string>('../../../resources/shops/*.json', { eager: true, query: '?raw', import: 'default' }),
};

/** Every embedded file by its path relative to resources/experiments ("cliff.mdp.json", "../shops/online-retail.shop.json"). */
export const presetFiles: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(texts).map(([path, text]) => [path.startsWith(EXPERIMENTS) ? path.slice(EXPERIMENTS.length) : `..${path.slice(path.lastIndexOf('/resources/') + '/resources'.length)}`, text]),
);

/** The experiment files among them (not the MDPs), the quickstart first, then by file name. */
export const presets: readonly Preset[] = Object.entries(presetFiles)
  .flatMap(([file, text]): Preset[] => {
    if (file.startsWith('../')) return [];
    const json: unknown = JSON.parse(text);
    if (!isObject(json) || json.format !== EXPERIMENT_FORMAT) return [];
    const id = (c: unknown) => (isObject(c) && typeof c.id === 'string' ? c.id : '');
    const seeds = typeof json.seeds === 'number' ? json.seeds : Array.isArray(json.seeds) ? json.seeds.length : 0;
    return [{ file, name: typeof json.name === 'string' ? json.name : file, description: typeof json.description === 'string' ? json.description : '', envId: id(json.env), agentId: id(json.agent), seeds }];
  })
  .sort((a, b) => Number(b.file === 'quickstart.json') - Number(a.file === 'quickstart.json') || a.file.localeCompare(b.file));
