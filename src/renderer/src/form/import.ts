/**
 * Importing into the form: an experiment file (with the files it names, MDPs or a shop catalog, picked together) or an
 * `aisle.mdp/v1` file on its own. The service parses both; the form only decides which is which.
 * Files come from Electron's native dialog or from the browser's file input.
 */
import type { Client } from '../../../shared/client';
import type { Catalog, CatalogEntry } from '../../../shared/dto';
import { errorText } from '../api';
import { component, fromExperiment, setAt, switchComponent, type Draft } from './draft';
import { EXPERIMENT_FORMAT, MDP_FORMAT } from './schema';

export interface PickedFile {
  readonly name: string;
  readonly text: string;
}

export type ImportResult = { ok: true; draft: Draft; note: string; source?: string } | { ok: false; problems: readonly string[] };

/** Asks Electron's native dialog for files; the browser uses a hidden <input type=file> instead. */
export function pickNative(): Promise<PickedFile[]> {
  if (!window.aisle) return Promise.resolve([]);
  return window.aisle.openFiles({ title: 'Import an experiment (with the files it names) or an MDP', filters: [{ name: 'Aisle JSON files', extensions: ['json'] }], multiple: true });
}

export function readFiles(list: FileList | null): Promise<PickedFile[]> {
  return Promise.all(Array.from(list ?? []).map(async (f) => ({ name: f.name, text: await f.text() })));
}

/** The file's `format`, read from its start when possible (an MDP can be tens of megabytes). */
function formatOf(text: string): string | undefined {
  const head = /"format"\s*:\s*"([^"\\]*)"/.exec(text.slice(0, 4096));
  if (head) return head[1];
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && typeof (v as { format?: unknown }).format === 'string' ? (v as { format: string }).format : undefined;
  } catch {
    return undefined;
  }
}

/** The environment with a file parameter that takes an inline MDP (tabular-mdp's `mdp`). */
export function mdpTarget(catalog: Catalog): { env: CatalogEntry; param: string } | undefined {
  for (const env of catalog.environments) {
    for (const param of env.fileParams) {
      const props = env.schema.properties as Record<string, unknown> | undefined;
      if (JSON.stringify(props?.[param] ?? '').includes(MDP_FORMAT)) return { env, param };
    }
  }
  return undefined;
}

export async function importFiles(client: Client, catalog: Catalog, draft: Draft, files: readonly PickedFile[]): Promise<ImportResult> {
  if (files.length === 0) return { ok: false, problems: [] };
  const experiments = files.filter((f) => formatOf(f.text) === EXPERIMENT_FORMAT);
  try {
    if (experiments.length > 1) return { ok: false, problems: [`pick one experiment file at a time (with the files it names: an MDP, a shop catalog), not ${experiments.length}`] };
    const [experiment] = experiments;
    if (experiment) {
      const others = Object.fromEntries(files.filter((f) => f !== experiment).map((f) => [f.name, f.text]));
      const r = await client.call('experiments.parseFile', { text: experiment.text, fileName: experiment.name, files: others });
      if (!r.ok) return { ok: false, problems: r.problems.map((p) => `${experiment.name}: ${p}`) };
      return { ok: true, draft: fromExperiment(r.experiment), note: `Imported ${experiment.name}.`, source: experiment.name };
    }
    const [file] = files;
    if (files.length > 1 || !file) return { ok: false, problems: ['pick one MDP file, or an experiment file together with the files it names (an MDP, a shop catalog)'] };
    const format = formatOf(file.text);
    if (format !== MDP_FORMAT) {
      return { ok: false, problems: [`${file.name}: not an Aisle file: its "format" is ${format ? `"${format}"` : 'missing'}, expected "${EXPERIMENT_FORMAT}" or "${MDP_FORMAT}"`] };
    }
    const r = await client.call('mdp.parseFile', { text: file.text, fileName: file.name });
    if (!r.ok) return { ok: false, problems: r.problems.map((p) => `${file.name}: ${p}`) };
    const target = mdpTarget(catalog);
    if (!target) return { ok: false, problems: ['no environment in this version of Aisle takes an MDP file'] };
    const from = catalog.environments.find((e) => e.id === component(draft, 'env').id);
    const base = from?.id === target.env.id ? draft : switchComponent(draft, 'env', target.env, from);
    return { ok: true, draft: setAt(base, ['env', target.param], r.mdp), note: `Imported ${file.name}.` };
  } catch (e) {
    return { ok: false, problems: [errorText(e)] };
  }
}
