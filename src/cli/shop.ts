/**
 * `aisle shop …`: the shop simulator's file tools.
 * - `export-mdp <experiment.json>`: the exact-mode shop as an aisle.mdp/v1 file (for `aisle solve`
 *   and for tabular-mdp experiments).
 * - `calibrate <events.csv>`: a shop configuration measured from transaction logs in the Online
 *   Retail format (see calibrate.ts for what is measured and how it maps to the simulator).
 */
import { basename, resolve } from 'node:path';
import { EXPERIMENT_FORMAT } from '../engine/experiment';
import { forExactMdp, shopToMdp } from '../engine/envs/shop/export-mdp';
import { shopParams } from '../engine/envs/shop/params';
import { thousands, ValidationError } from '../engine/params';
import { loadExperimentFile } from '../main/files';
import { calibrateOrStop, type Calibration } from './calibrate';
import { fmt, plural, printJson, reportLines, warn, type GlobalOptions, type InputFile } from './context';
import { checkFileAndExperiment, checkOutputs, isStreamOutput, pathFromExperiment, writeOutput, writeOutputs, type OutputFile } from './output-files';

/** Rounds for a readable configuration file (4 significant digits are far below the data's noise). */
function round(x: number, digits = 4): number {
  return Number(x.toPrecision(digits));
}

/**
 * The shop configuration from a calibration (docs/shop-results.md, "Calibration from the Online Retail data"):
 * - catalog (written to the file, loadable as the shop's `catalog` parameter):
 *   price = the item's median unit price;
 *   attractiveness = ln(purchases / geometric mean of the catalog's purchases): centred
 *     log-popularity, on the choice model's utility scale, so that other terms being equal the
 *     click odds of two items are in the ratio of their purchase counts;
 *   quality = repeat-purchase rate / the highest repeat-purchase rate among the top items
 *     (customers who come back for an item in a later session were satisfied with it), in [0, 1];
 *   category = the item's co-purchase cluster (calibrate.ts).
 * - env: sessions are close to geometric in length (docs), so the leave probability of a user who
 *   has just arrived is set to 1 / mean session length: leaveBase and leaveSlope are the shop's
 *   defaults scaled by one factor (keeping their split between leaving anyway and leaving from
 *   disengagement) so that leaveBase + leaveSlope · (1 − engagementStart) = 1 / L̄; maxSteps is the
 *   95th percentile of session length.
 */
export function shopConfig(cal: Calibration, source: string, gapMinutes: number) {
  let meanLog = 0;
  for (const it of cal.items) meanLog += Math.log(it.purchases) / cal.items.length;
  const maxRepeat = cal.items.reduce((most, it) => Math.max(most, it.repeatRate), -Infinity) || 1;
  const categories = cal.categories.map((members, c) => `k${c + 1} (${cal.items[members[0]!]!.id})`);
  const leave = leaveParams(1 / cal.sessionLength.mean);
  return {
    catalog: {
      categories,
      items: cal.items.map((it) => ({
        id: it.id,
        category: it.category,
        price: round(it.medianPrice),
        quality: round(it.repeatRate / maxRepeat, 3),
        attractiveness: round(Math.log(it.purchases) - meanLog, 3),
      })),
    },
    env: {
      ...leave,
      maxSteps: cal.sessionLength.p95,
    },
    calibration: {
      source,
      rows: cal.rows,
      customers: cal.customers,
      invoices: cal.invoices,
      itemsInData: cal.itemsInData,
      from: new Date(cal.firstTs * 1000).toISOString(),
      to: new Date(cal.lastTs * 1000).toISOString(),
      sessionGapMinutes: gapMinutes,
      sessions: cal.sessions,
      sessionLength: { ...cal.sessionLength, mean: round(cal.sessionLength.mean) },
      topItemsShareOfPurchases: round(cal.topShare, 3),
      items: cal.items.map((it) => ({ id: it.id, purchases: it.purchases, medianPrice: it.medianPrice, repeatRate: round(it.repeatRate, 3) })),
    },
  };
}

/**
 * leaveBase and leaveSlope with leaveBase + leaveSlope · (1 − engagementStart) = target: the
 * shop's defaults times one factor; when that would let a disengaged user leave with probability
 * above 1 (very short sessions), the largest slope that keeps leaveBase + leaveSlope = 1 instead.
 */
export function leaveParams(target: number): { leaveBase: number; leaveSlope: number } {
  const d = shopParams.parse({});
  const away = 1 - d.engagementStart;
  const scale = target / (d.leaveBase + d.leaveSlope * away);
  let leaveBase = d.leaveBase * scale;
  let leaveSlope = d.leaveSlope * scale;
  if (leaveBase + leaveSlope > 1) {
    leaveSlope = (1 - target) / d.engagementStart;
    leaveBase = target - leaveSlope * away;
  }
  // Four decimals, rounded down so that the sum never crosses 1 by round-off.
  const down = (x: number) => Math.floor(x * 1e4 + 1e-9) / 1e4;
  return { leaveBase: down(leaveBase), leaveSlope: down(leaveSlope) };
}

export type ShopConfig = ReturnType<typeof shopConfig>;

/** An experiment on the calibrated shop: the catalog by its path relative to the experiment. */
export function calibratedExperiment(config: ShopConfig, catalogPath: string, experimentPath: string): Record<string, unknown> {
  const c = config.calibration;
  return {
    format: EXPERIMENT_FORMAT,
    name: `shop calibrated from ${c.source}`,
    description:
      `The shop calibrated from ${c.source} (${plural(c.rows, 'purchase line')}, ${plural(c.customers, 'customer')}, ${c.from.slice(0, 10)} to ${c.to.slice(0, 10)}) by \`aisle shop calibrate\`: ` +
      `the ${thousands(config.catalog.items.length)} most purchased items with their median prices, log-popularity as attractiveness, repeat-purchase rate as quality and ${plural(config.catalog.categories.length, 'co-purchase category', undefined, 'co-purchase categories')}; ` +
      `${plural(c.sessions, 'session')} (a customer's purchases at most ${c.sessionGapMinutes} min apart) of mean length ${c.sessionLength.mean} give the leave probability and maxSteps.`,
    env: { id: 'shop', catalog: pathFromExperiment(experimentPath, catalogPath), ...config.env },
    agent: { id: 'q-learning', alpha: 0.1, gamma: 0.95, epsilon: 0.1 },
    episodes: 2000,
    seeds: 5,
  };
}

export interface CalibrateCommandOptions extends GlobalOptions {
  output?: string;
  experiment?: string;
  items: number;
  categories: number;
  /** Whether --categories was given (not its default): only then is a lower count said. */
  categoriesGiven?: boolean;
  gap: number;
}

export async function calibrateCommand(file: string, opts: CalibrateCommandOptions): Promise<number> {
  const events: InputFile = { what: 'the events file', path: file };
  checkFileAndExperiment(opts, { what: 'catalog', holds: 'shop catalog', placeholder: '<shop.json>' }, [events]); // before the file is read (twice), not after
  const label = basename(file);
  // Errors name the file as given (as every command's do); the catalog is named by its basename.
  const cal = await calibrateOrStop(file, file, { items: opts.items, categories: opts.categories, gapMinutes: opts.gap }, { progress: !opts.json });
  if ('stoppedExit' in cal) return cal.stoppedExit; // Ctrl-C: said, nothing written
  const config = shopConfig(cal, label, opts.gap);
  // The experiment names the catalog: both are written, or neither.
  const outputs: OutputFile[] = [];
  if (opts.output) outputs.push({ option: '-o', file: opts.output, content: `${JSON.stringify(config.catalog, null, 1)}\n`, holds: 'shop catalog' });
  if (opts.experiment) outputs.push({ option: '--experiment', file: opts.experiment, content: `${JSON.stringify(calibratedExperiment(config, opts.output!, opts.experiment), null, 2)}\n`, holds: 'experiment' });
  writeOutputs(outputs, [events]);
  // A category needs an item: --categories 11 over a catalog of 10 items cannot be had, which is
  // said (the default's 8 over a smaller catalog is not a choice the user made).
  const made = plural(cal.categories.length, 'co-purchase category', undefined, 'co-purchase categories');
  const warnings =
    opts.categoriesGiven && opts.categories > cal.items.length ? [`--categories ${opts.categories}: is more than the catalog's ${plural(cal.items.length, 'item')}, and a category needs one: it has ${made}`] : [];
  for (const w of warnings) warn(w);
  if (opts.json || !opts.output) {
    printJson({ ...(opts.output ? { catalogPath: resolve(opts.output) } : {}), ...(opts.experiment ? { experimentPath: resolve(opts.experiment) } : {}), ...config, ...(warnings.length > 0 ? { warnings } : {}) });
    return 0;
  }
  const s = cal.sessionLength;
  // The events file's name and the paths given, escaped.
  reportLines([
    `wrote the catalog ${resolve(opts.output)} from ${label}: ${plural(cal.rows, 'purchase line')}, ${plural(cal.customers, 'customer')}; the ${thousands(cal.items.length)} most purchased of ${plural(cal.itemsInData, 'item')} (${fmt(100 * cal.topShare, 1)} % of purchases) in ${made}`,
    `sessions (purchases at most ${opts.gap} min apart): ${thousands(cal.sessions)}, purchase lines per session mean ${fmt(s.mean, 2)}, median ${s.median}, p95 ${s.p95}`,
    `env parameters: leaveBase ${config.env.leaveBase}, leaveSlope ${config.env.leaveSlope}, maxSteps ${config.env.maxSteps}${opts.experiment ? ` (in ${resolve(opts.experiment)})` : ': pass --experiment to write an experiment that uses them'}`,
  ]);
  return 0;
}

export interface ExportMdpOptions extends GlobalOptions {
  output?: string;
}

/** `aisle shop export-mdp`: the exact-mode shop of an experiment as an aisle.mdp/v1 file. */
export function exportMdpCommand(file: string, opts: ExportMdpOptions): number {
  const read: string[] = [];
  let experiment;
  try {
    experiment = loadExperimentFile(file, read, {}, true); // read for its shop, not launched
  } catch (e) {
    throw forExactMdp(e); // its validation builds an exact shop as a run's does, with a run's fixes
  }
  const inputs = read.map((path, i): InputFile => ({ what: i === 0 ? 'the experiment file' : `${path} (named by the experiment)`, path }));
  if (opts.output) checkOutputs([{ option: '-o', file: opts.output, holds: 'MDP' }], inputs); // before the MDP is built
  const { id, ...params } = experiment.env;
  const fail = (line: string) => new ValidationError([`${file}: ${line}`]);
  if (id !== 'shop') throw fail(`env.id: export-mdp writes the shop's exact MDP, but the experiment's environment is "${id}": use an experiment with "env": { "id": "shop", "exact": true }`);
  if (params.exact !== true) throw fail('env.exact: only the exact mode is a finite MDP: set "exact": true (which needs observeSegment true, driftStd 0 and shiftAt null)');
  let mdp;
  try {
    mdp = shopToMdp(params);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(e.problems.map((p) => `${file}: env.${p}`));
    throw e;
  }
  const text = `${JSON.stringify(mdp)}\n`;
  if (!opts.output) {
    process.stdout.write(text);
    return 0;
  }
  // Written into a stream (`-o /dev/stdout > x.json`, a pipe), the MDP is in a file only the user can name.
  const named = isStreamOutput('-o', opts.output) ? '<mdp.json>' : opts.output;
  const path = writeOutput('-o', opts.output, text, inputs, 'MDP');
  const states = typeof mdp.states === 'number' ? mdp.states : mdp.states.length;
  const actions = typeof mdp.actions === 'number' ? mdp.actions : mdp.actions.length;
  const summary = { path, states, actions, transitions: mdp.transitions.length, maxSteps: params.maxSteps };
  if (opts.json) printJson(summary);
  else {
    // The γ to solve it with is the agent's, where the experiment's agent has one; a myopic oracle has
    // none, and solve's own default, γ 1, is the undiscounted return its runs report.
    const gamma = experiment.agent.gamma;
    const horizon = `aisle solve ${named} --horizon ${String(params.maxSteps)}`;
    const solve = typeof gamma === 'number' ? `${horizon} --gamma ${gamma}\`: the γ of the experiment's agent` : `${horizon}\`: γ 1, the undiscounted return the runs report`;
    reportLines([`wrote ${path}: ${plural(states, 'state')} × ${plural(actions, 'action')}, ${plural(mdp.transitions.length, 'transition')} (solve it with \`${solve})`]); // the path given escaped
  }
  return 0;
}
