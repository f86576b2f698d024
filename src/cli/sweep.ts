/**
 * `aisle run --set path=v1,v2`: reading the --set options and turning them, over an experiment
 * file, into the experiments of a sweep (the Cartesian product of their values), each checked as
 * `aisle run` checks a file before anything is stored.
 */
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Experiment } from '../engine/experiment';
import { ValidationError } from '../engine/params';
import { findAgent, findEnvironment } from '../engine/registry';
import { inFile, parseExperimentAt, readJsonFile, type ExperimentOverrides } from '../main/files';

/** One `--set`: a dotted path into the experiment file and the values it takes there. */
export interface Setting {
  readonly path: readonly string[];
  /** Each value as typed, for messages and names. */
  readonly texts: readonly string[];
  readonly values: readonly unknown[];
}

/** More experiments than this from one command is more likely a typo than a plan (and would take long). */
export const MAX_SWEEP = 64;

/** Segments that would reach an object's prototype rather than a field of the file. */
const NOT_FIELDS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Reads `path=v1,v2`: each value as JSON when it parses as JSON (0.1, true, null, "text", [0, 1]),
 * else as the text itself (sarsa). Commas inside brackets, braces or quotes do not separate values.
 * Throws commander's InvalidArgumentError, a usage error (exit 2).
 */
export function parseSetting(option: string): Setting {
  const eq = option.indexOf('=');
  const example = 'e.g. --set agent.alpha=0.1,0.5';
  if (eq < 0) throw new InvalidArgumentError(`--set ${option}: give a path and its values joined by "=" (${example})`);
  const pathText = option.slice(0, eq).trim();
  if (pathText === '') throw new InvalidArgumentError(`--set ${option}: the path before "=" is empty: name a field of the experiment file (${example})`);
  const path = pathText.split('.');
  if (path.some((p) => p === '')) throw new InvalidArgumentError(`--set ${option}: the path "${pathText}" has an empty part: write it as fields joined by dots (agent.epsilon.end)`);
  const notField = path.find((p) => NOT_FIELDS.has(p));
  if (notField !== undefined) throw new InvalidArgumentError(`--set ${option}: "${notField}" is not a field of an experiment file`);
  const texts = splitValues(option.slice(eq + 1));
  if (texts.length === 1 && texts[0] === '') throw new InvalidArgumentError(`--set ${option}: no value after "=": give one, or several separated by commas (${example})`);
  if (texts.some((t) => t === '')) throw new InvalidArgumentError(`--set ${option}: an empty value in the list: separate the values by single commas (${example})`);
  return { path, texts, values: texts.map(valueOf) };
}

/** The text between commas that are not inside brackets, braces or a quoted string, each trimmed. */
function splitValues(text: string): string[] {
  const values: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      values.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  values.push(text.slice(start).trim());
  return values;
}

function valueOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A value as a name shows it: text as it is, anything else as compact JSON. */
function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** An experiment of a sweep: the checked experiment and the value each --set gave it. */
export interface SweepExperiment {
  readonly experiment: Experiment;
  /** Path (dotted) → value, for every --set. */
  readonly settings: Readonly<Record<string, unknown>>;
}

type Combination = readonly number[];

/**
 * The experiments `settings` make of the experiment file: one per combination of their values,
 * named after the file's name with the values of the --sets that take several (`quickstart
 * (alpha=0.1, epsilon=0.05)`). Throws a ValidationError, a line per problem naming the --set
 * values it comes from, when any combination is invalid or when there are more than MAX_SWEEP;
 * warns of a --set the environment ignores.
 */
export function expandSweep(file: string, settings: readonly Setting[], overrides: ExperimentOverrides): { experiments: SweepExperiment[]; warnings: string[] } {
  const total = settings.reduce((n, s) => n * s.values.length, 1);
  if (total > MAX_SWEEP) {
    throw new ValidationError([
      `--set: ${settings.map((s) => s.values.length).join(' × ')} values give ${total} experiments, more than ${MAX_SWEEP} in one run: sweep fewer values at a time`,
    ]);
  }
  const raw = readJsonFile(file);
  const baseDir = dirname(resolve(file));
  // Not an object: no field to set; the check says what the file is instead.
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) inFile(file, () => parseExperimentAt(raw, baseDir));
  const base: Record<string, unknown> = { ...(raw as Record<string, unknown>), ...overrides };
  const swept = settings.filter((s) => s.values.length > 1);
  const shortNames = nameParts(swept);

  const combinations = product(settings.map((s) => s.values.length));
  const experiments: SweepExperiment[] = [];
  const problemsOf = new Map<string, number[]>();
  let ownProblems: readonly string[] | undefined;
  combinations.forEach((combination, c) => {
    const problems = check(combination);
    if (problems.length === 0) return;
    for (const p of new Set(problems)) problemsOf.set(p, [...(problemsOf.get(p) ?? []), c]);
  });
  if (problemsOf.size > 0) throw new ValidationError([...problemsOf].flatMap(([problem, where]) => blamed(problem, where)));
  // A value that cannot change the run (a shop's item count beside an explicit catalog): said, not refused.
  const warnings = settings.flatMap((s) => {
    const ignoring = experiments.find(({ experiment }) => s.path[0] === 'env' && inertIn(experiment, s.path[1]!));
    if (!ignoring) return [];
    const path = s.path.join('.');
    return [`--set ${path}=${s.texts.join(',')}: the ${ignoring.experiment.env.id} environment's other settings make ${path} do nothing here: ${s.values.length > 1 ? 'the experiments it makes train alike' : 'it changes nothing'}`];
  });
  return { experiments, warnings };

  /** The combination's experiment, kept when valid; its problems otherwise. */
  function check(combination: Combination): string[] {
    const content = structuredClone(base);
    const problems: string[] = [];
    settings.forEach((s, i) => {
      const problem = setAt(content, s.path, s.values[combination[i]!]);
      if (problem) problems.push(problem);
    });
    if (problems.length > 0) return problems;
    for (const s of settings) {
      const unknown = unknownParameter(content, s.path);
      if (unknown) problems.push(unknown);
    }
    if (problems.length > 0) return problems;
    if (swept.length > 0 && typeof content.name === 'string') {
      content.name = `${content.name} (${swept.map((s, i) => `${shortNames[i]}=${valueText(s.values[combination[settings.indexOf(s)]!])}`).join(', ')})`;
    }
    let experiment: Experiment;
    try {
      experiment = parseExperimentAt(content, baseDir);
    } catch (e) {
      if (e instanceof ValidationError) return [...e.problems];
      throw e;
    }
    // A field the checks do not know is refused by most of them; the rest (inside a schedule) would be dropped unsaid.
    for (const s of settings) {
      const missing = missingAt(experiment, s.path);
      if (missing) problems.push(missing);
    }
    if (problems.length === 0) experiments.push({ experiment, settings: Object.fromEntries(settings.map((s, i) => [s.path.join('.'), s.values[combination[i]!]])) });
    return problems;
  }

  /**
   * A problem, as lines naming what it comes from: the values of the swept --sets shared by
   * exactly the combinations that have it; when it is in every combination, the file when it has
   * it without any --set, else the --sets of one value (or, without them, every --set).
   */
  function blamed(problem: string, where: readonly number[]): string[] {
    const label = (pairs: readonly (readonly [number, number])[]) => pairs.map(([i, v]) => `--set ${settings[i]!.path.join('.')}=${settings[i]!.texts[v]}`).join(' ');
    if (where.length === total) {
      if (fileProblems().includes(problem)) return [`${file}: ${problem}`];
      const single = settings.flatMap((s, i) => (s.values.length === 1 ? [[i, 0] as const] : []));
      if (single.length > 0) return [`${label(single)}: ${problem}`];
      return [`${settings.map((s) => `--set ${s.path.join('.')}=${s.texts.join(',')}`).join(' ')}: ${problem}`];
    }
    // A --set of one value is named too when the problem is in its field (agent.alpha with agent.id=ppo).
    const named = (i: number) => settings[i]!.values.length > 1 || problem.startsWith(`${settings[i]!.path.join('.')}:`);
    const first = combinations[where[0]!]!;
    const shared = settings.flatMap((_, i) => (named(i) && where.every((c) => combinations[c]![i] === first[i]) ? [[i, first[i]!] as const] : []));
    const matching = total / shared.reduce((n, [i]) => n * settings[i]!.values.length, 1);
    if (matching === where.length) return [`${label(shared)}: ${problem}`];
    return where.map((c) => `${label(settings.flatMap((_, i) => (named(i) ? [[i, combinations[c]![i]!] as const] : [])))}: ${problem}`);
  }

  /** The file's own problems, without any --set (read once, when needed). */
  function fileProblems(): readonly string[] {
    if (ownProblems === undefined) {
      try {
        parseExperimentAt(structuredClone(base), baseDir);
        ownProblems = [];
      } catch (e) {
        ownProblems = e instanceof ValidationError ? e.problems : [];
      }
    }
    return ownProblems;
  }
}

/** Whether the experiment's other env settings make its env parameter `name` do nothing. */
function inertIn(experiment: Experiment, name: string): boolean {
  return findEnvironment(experiment.env.id)?.inertParams?.(experiment.env).includes(name) ?? false;
}

/** Each swept path's last part, or the whole path where two would share it (agent.epsilon.end, env.end). */
function nameParts(swept: readonly Setting[]): string[] {
  const last = swept.map((s) => s.path[s.path.length - 1]!);
  return swept.map((s, i) => (last.filter((l) => l === last[i]).length > 1 ? s.path.join('.') : last[i]!));
}

/** Every combination of one index below each count, the first count's index changing slowest. */
function product(counts: readonly number[]): Combination[] {
  let all: number[][] = [[]];
  for (const n of counts) all = all.flatMap((c) => Array.from({ length: n }, (_, v) => [...c, v]));
  return all;
}

/** Puts `value` at `path` in `content`, making the objects on the way; a problem when a part of the way is not an object. */
function setAt(content: Record<string, unknown>, path: readonly string[], value: unknown): string | undefined {
  let at = content;
  for (let i = 0; i < path.length - 1; i++) {
    const next = at[path[i]!];
    if (next === undefined) at[path[i]!] = {};
    else if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      const where = path.slice(0, i + 1).join('.');
      return `${where}: is ${JSON.stringify(next)} in the file, not an object with fields: set ${where} itself (--set ${where}=…)`;
    }
    at = at[path[i]!] as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
  return undefined;
}

/**
 * A problem when `path` names a parameter the environment or agent in `content` does not have,
 * listing those it has (the check's own "unknown field" says neither which are known nor, for a
 * misspelling two letters off, what was meant).
 */
function unknownParameter(content: Record<string, unknown>, path: readonly string[]): string | undefined {
  const [where, name] = path;
  if ((where !== 'env' && where !== 'agent') || name === undefined || name === 'id') return undefined;
  const id = (content[where] as Record<string, unknown>).id;
  const def = typeof id !== 'string' ? undefined : where === 'env' ? findEnvironment(id) : findAgent(id);
  // Without a known id the check says what is wrong with it.
  if (!def) return undefined;
  const known = Object.keys(def.params.shape);
  if (known.includes(name)) return undefined;
  return `${where}.${name}: ${where === 'env' ? 'environment' : 'agent'} ${id} has no parameter "${name}": its parameters are ${known.join(', ')}`;
}

/** A problem when the checked experiment has no field at `path` (the checks dropped one they do not know), naming the fields it has there. */
function missingAt(experiment: Experiment, path: readonly string[]): string | undefined {
  let at: unknown = experiment;
  for (let i = 0; i < path.length; i++) {
    const fields = at !== null && typeof at === 'object' && !Array.isArray(at) ? Object.keys(at) : [];
    if (!fields.includes(path[i]!)) {
      const where = path.slice(0, i).join('.');
      return `${path.join('.')}: ${where || 'an experiment'} has no field "${path[i]}": ${fields.length > 0 ? `its fields are ${fields.join(', ')}` : 'it is not an object'}`;
    }
    at = (at as Record<string, unknown>)[path[i]!];
  }
  return undefined;
}
