/**
 * Importing into the form: an experiment file (with the files it names, MDPs or a shop catalog,
 * picked together), an `aisle.mdp/v1` file on its own, or a shop catalog on its own. The service
 * parses experiments and MDPs; a catalog goes in as it is and the form's validation checks it. The
 * form only decides which file is which. Files come from Electron's native dialog or from the
 * browser's file input.
 */
import type { Client } from '../../../shared/client';
import type { Catalog, CatalogEntry } from '../../../shared/dto';
import { errorText } from '../api';
import { pastFileLimit, readUtf8 } from '../files';
import { component, fromExperiment, setAt, switchComponent, withoutFit, withoutStarter, withoutStarterAgent, type Draft } from './draft';
import { catalogSummary, EXPERIMENT_FORMAT, MDP_FORMAT } from './schema';
import { openableAnyway } from './open-anyway';
import { POLICY_FORMAT } from '../../../engine/policy/format';
import { show, ValidationError } from '../../../engine/params';
import { parseJsonText } from '../../../shared/json-text';

export interface PickedFile {
  readonly name: string;
  readonly text: string;
}

/** `fitDropped`: why the imported experiment's fittedTo was left out (its env is not the one fitted), for the form's fit note. */
export type ImportResult = { ok: true; draft: Draft; note: string; source?: string; fitDropped?: string } | { ok: false; problems: readonly string[] };

/** Asks Electron's native dialog for files; the browser uses a hidden <input type=file> instead. */
export function pickNative(): Promise<PickedFile[]> {
  if (!window.aisle) return Promise.resolve([]);
  return window.aisle.openFiles({ title: 'Import an experiment (with the files it names), an MDP or a shop catalog', filters: [{ name: 'Aisle JSON files', extensions: ['json'] }], multiple: true });
}

export function readFiles(list: FileList | null): Promise<PickedFile[]> {
  return Promise.all(Array.from(list ?? []).map(async (f) => ({ name: f.name, text: await readUtf8(f) })));
}

/**
 * What a file says it is: its `format`, read from its start when possible (an MDP can be tens of
 * megabytes), else from the whole file once parsed, which is then kept (`json`, when it is an
 * object) so that a file without a format (a shop catalog) is parsed only once.
 */
interface Head {
  readonly format: string | undefined;
  readonly json?: Record<string, unknown>;
  /** The text is not JSON at all: what is wrong, and where (the service's words for any file). */
  readonly malformed?: readonly string[];
}

function headOf({ text, name }: PickedFile): Head {
  const head = /"format"\s*:\s*"([^"\\]*)"/.exec(text.slice(0, 4096));
  if (head) return { format: head[1] };
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return { format: undefined };
    const json = v as Record<string, unknown>;
    return { format: typeof json.format === 'string' ? json.format : undefined, json };
  } catch {
    try {
      parseJsonText(text, name); // throws, saying where the syntax breaks ("malformed JSON at line 3, column 7")
    } catch (e) {
      if (e instanceof ValidationError) return { format: undefined, malformed: e.problems };
    }
    return { format: undefined, malformed: [`${name}: malformed JSON: fix the syntax and try again`] };
  }
}

/** The first environment with a file parameter whose schema passes `test` (as JSON text). */
function fileTarget(catalog: Catalog, test: (schemaText: string) => boolean): { env: CatalogEntry; param: string } | undefined {
  for (const env of catalog.environments) {
    for (const param of env.fileParams) {
      const props = env.schema.properties as Record<string, unknown> | undefined;
      if (test(JSON.stringify(props?.[param] ?? ''))) return { env, param };
    }
  }
  return undefined;
}

/** The environment with a file parameter that takes an inline MDP (tabular-mdp's `mdp`). */
export function mdpTarget(catalog: Catalog): { env: CatalogEntry; param: string } | undefined {
  return fileTarget(catalog, (text) => text.includes(MDP_FORMAT));
}

/** The environment with a file parameter that takes a catalog of items (the shop's `catalog`). */
export function catalogTarget(catalog: Catalog): { env: CatalogEntry; param: string } | undefined {
  return fileTarget(catalog, (text) => !text.includes(MDP_FORMAT) && text.includes('"items"'));
}

/**
 * Puts an inline file into `param` of `target`'s environment, switching the draft to it if needed;
 * the starter's settings of that environment go back to its defaults (withoutStarter), as do the
 * starter's agent tuning (withoutStarterAgent), and the rows its old file was fitted to go with it
 * (withoutFit).
 */
export function withFile(catalog: Catalog, draft: Draft, target: { env: CatalogEntry; param: string }, value: unknown): Draft {
  const from = catalog.environments.find((e) => e.id === component(draft, 'env').id);
  const base = from?.id === target.env.id ? withoutStarter(draft, 'env', target.env) : switchComponent(draft, 'env', target.env, from);
  return setAt(withoutFit(withoutStarterAgent(catalog, base)), ['env', target.param], value);
}

/** Problems with the file's name in front, once (the service's JSON reader already names it). */
function named(fileName: string, problems: readonly string[]): string[] {
  return problems.map((p) => (p.startsWith(`${fileName}: `) ? p : `${fileName}: ${p}`));
}

/**
 * Why a file field's Replace… (`field`: env.mdp, env.catalog) refuses `files`: they are not the one
 * kind of file the field holds. Import… takes any Aisle file — an experiment replaces the whole
 * draft, an MDP or a catalog switches to the environment that takes it — but from a field's
 * Replace… that undid everything around the field: an experiment file picked for a 20,000-state
 * MDP's Replace… swapped the whole form for it. Undefined when the files may go on (a file that is
 * not JSON, or of no known kind, is refused afterwards in Import…'s words).
 */
function wrongFileForField(catalog: Catalog, field: string, files: readonly PickedFile[], heads: ReadonlyMap<PickedFile, Head>): string[] | undefined {
  const mdp = mdpTarget(catalog);
  const shop = catalogTarget(catalog);
  const wants = mdp && field === `env.${mdp.param}` ? 'mdp' : shop && field === `env.${shop.param}` ? 'catalog' : undefined;
  if (wants === undefined) return undefined;
  const wanted = wants === 'mdp' ? `an ${MDP_FORMAT} file` : 'a shop catalog ({ "items": [...] })';
  if (files.length > 1) return [`pick one file here: ${wanted}`];
  const file = files[0]!;
  const { format, json } = heads.get(file)!;
  const kind = format === EXPERIMENT_FORMAT ? 'experiment' : format === MDP_FORMAT ? 'mdp' : format === undefined && catalogSummary(json) ? 'catalog' : undefined;
  if (kind === undefined || kind === wants) return undefined;
  const fix =
    kind === 'experiment' ? 'open an experiment with Import… at the top of the form'
    : kind === 'mdp' ? 'to train on an MDP, choose the Tabular MDP environment and replace its mdp'
    : 'to use it, choose the Shop environment and replace its catalog';
  const what = { experiment: `an experiment file (${EXPERIMENT_FORMAT})`, mdp: `an MDP file (${MDP_FORMAT})`, catalog: 'a shop catalog' }[kind];
  return [`${file.name}: ${what}, not ${wanted}: ${fix}`];
}

/**
 * The draft with `files` in it, or why they cannot go in. `current` gives the draft as it is once
 * the service has read them (a large MDP takes seconds, and the user may edit meanwhile): the file
 * goes into that one, not into the draft as it was when picked, which would undo those edits.
 * `field`: the file field whose Replace… picked them, which takes its own kind of file only.
 */
export async function importFiles(client: Client, catalog: Catalog, current: () => Draft, files: readonly PickedFile[], field?: string): Promise<ImportResult> {
  if (files.length === 0) return { ok: false, problems: [] };
  // A file past what the contract carries is said here, under its name: sent, it was refused with a
  // 400 (a failed request in the browser's console) as "text: is larger than the file limit", naming no file.
  const tooLarge = files.flatMap((f) => {
    const past = pastFileLimit(f.text.length, 'the app reads');
    return past === null ? [] : [`${f.name}: ${past}: run its experiment in a terminal with \`aisle run\`, which reads larger files`];
  });
  if (tooLarge.length > 0) return { ok: false, problems: tooLarge };
  const heads = new Map(files.map((f) => [f, headOf(f)]));
  const wrong = field === undefined ? undefined : wrongFileForField(catalog, field, files, heads);
  if (wrong) return { ok: false, problems: wrong };
  const experiments = files.filter((f) => heads.get(f)!.format === EXPERIMENT_FORMAT);
  try {
    if (experiments.length > 1) return { ok: false, problems: [`pick one experiment file at a time (with the files it names: an MDP, a shop catalog), not ${experiments.length}`] };
    const [experiment] = experiments;
    if (experiment) {
      const others = Object.fromEntries(files.filter((f) => f !== experiment).map((f) => [f.name, f.text]));
      const r = await client.call('experiments.parseFile', { text: experiment.text, fileName: experiment.name, files: others });
      if (!r.ok) {
        // Values out of range (alpha 7, episodes -1) open in the form, said under their fields as the
        // form's check says them, Launch waiting, with the files it names as the service read them;
        // a file the form cannot show, or naming one the service could not read, is refused whole.
        const anyway = openableAnyway(catalog, experiment.text, r.namedFiles);
        if (!anyway) return { ok: false, problems: named(experiment.name, r.problems) };
        return { ok: true, draft: fromExperiment(anyway), note: `Imported ${experiment.name}: what it needs before it can launch is said under its fields.`, source: experiment.name };
      }
      return { ok: true, draft: fromExperiment(r.experiment), note: `Imported ${experiment.name}.`, source: experiment.name, ...(r.fitDropped !== undefined ? { fitDropped: r.fitDropped } : {}) };
    }
    const [file] = files;
    if (files.length > 1 || !file) return { ok: false, problems: ['pick one MDP or shop catalog file, or an experiment file together with the files it names'] };
    const { format, json, malformed } = heads.get(file)!;
    if (format === POLICY_FORMAT) return { ok: false, problems: [`${file.name}: this is a policy file (${POLICY_FORMAT}): import it on the Policies screen`] };
    if (malformed) return { ok: false, problems: [...malformed] };
    if (format === undefined) {
      // A shop catalog (what `aisle shop calibrate` writes) has no "format": { categories?, items: [...] }.
      const shop = catalogTarget(catalog);
      if (shop && catalogSummary(json)) {
        // Checked in full (prices, qualities, categories) by the validation the form runs on every change.
        const draft = current();
        const back = [withoutStarter(draft, 'env', shop.env) !== draft && 'the shop’s', withoutStarterAgent(catalog, draft) !== draft && 'the agent’s'].filter(Boolean);
        const starter = back.length ? `; the settings the starter chose for its small shop are back at ${back.join(' and ')} defaults` : '';
        return { ok: true, draft: withFile(catalog, draft, shop, json), note: `Imported ${file.name} as the shop’s catalog${starter}.` };
      }
    }
    if (format !== MDP_FORMAT) {
      // The file's own text, quoted as every message quotes one (show): React escapes markup, not a
      // bidirectional override (U+202E reversed the rest of the line) nor a format of thousands of characters.
      return {
        ok: false,
        problems: [
          `${file.name}: not an Aisle file: its "format" is ${format ? show(format) : 'missing'}, expected "${EXPERIMENT_FORMAT}" or "${MDP_FORMAT}" (or a shop catalog: { "items": [...] })`,
        ],
      };
    }
    const r = await client.call('mdp.parseFile', { text: file.text, fileName: file.name });
    if (!r.ok) return { ok: false, problems: named(file.name, r.problems) };
    const target = mdpTarget(catalog);
    if (!target) return { ok: false, problems: ['no environment in this version of Aisle takes an MDP file'] };
    return { ok: true, draft: withFile(catalog, current(), target, r.mdp), note: `Imported ${file.name}.` };
  } catch (e) {
    return { ok: false, problems: [errorText(e)] };
  }
}
