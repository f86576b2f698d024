/**
 * A sweep: an experiment per combination of the values given to some of its fields (the Cartesian
 * product), each checked before any is kept, its problems said once per value that makes them.
 * `aisle run --set` and the app's New experiment share it; they differ only in the words. Both read
 * a list of values with parseSweepValues (sweep-values.ts).
 */
import type { Experiment } from './experiment';
import { escapeControl, thousands, ValidationError } from './params';
import { findAgent, findEnvironment } from './registry';
import { MAX_SWEEP, TYPED_CHARS, typedText } from './sweep-values';
import { fittedName, namedValues, valuesText } from './swept-name';

// In sweep-values.ts, which the page imports without the registry; kept importable from here.
export { MAX_SWEEP } from './sweep-values';

/** One swept field: its path into the experiment and the values it takes there. */
export interface SweepAxis {
  readonly path: readonly string[];
  /** Each value as the user wrote it, for messages and names. */
  readonly texts: readonly string[];
  readonly values: readonly unknown[];
  /** Named in the experiments' names even with one value: a random search's draws (one trial is still a draw). */
  readonly drawn?: boolean;
}

/** Segments that would reach an object's prototype rather than a field of the experiment. */
export const NOT_FIELDS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * The problem with a path's part that names no field of an experiment: a prototype's name (NOT_FIELDS),
 * or one longer than any field's (its refusal, and every later line, would repeat it whole); the same
 * for `--set` and `--sample`. Undefined when every part may be a field.
 */
export function notFieldProblem(path: readonly string[]): string | undefined {
  const notField = path.find((p) => NOT_FIELDS.has(p) || p.length > TYPED_CHARS);
  return notField === undefined ? undefined : `"${typedText(notField)}" is not a field of an experiment file: name one of its fields (e.g. agent.alpha, env.items, episodes)`;
}

/**
 * Why a field cannot take several values in a sweep, or undefined when it can: a name or a
 * description changes no run (the experiments would train alike, and Compare merges them into one
 * group), and seed counts or lists train the same seeds' runs again (seeds=5,6: seeds 0–4 twice).
 * `values` names the values as the caller gives them ("several values", a search's "values drawn").
 */
export function unsweepable(path: readonly string[], values = 'several values of'): string | undefined {
  const [field] = path;
  if (path.length === 1 && (field === 'name' || field === 'description')) {
    return `${values} ${field} make experiments that train alike, which Compare counts as one group: give one value (the values of the settings swept are added to the name)`;
  }
  if (field === 'seeds') return `${values} seeds train the same seeds again (seeds=5,6 trains seeds 0–4 twice): give one count or one list, the largest`;
  return undefined;
}

/** A value as a name or a message shows it: text as it is, anything else as compact JSON. */
export function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A value as an experiment's name shows it: valueText, its control characters written as \u
 * escapes. A value holding one (`--set agent.id="a\u001bb",sarsa`), refused by its own field, also
 * made the name refused, 'name: must not contain control characters …: remove it', for a name the
 * user never typed.
 */
function nameValueText(value: unknown): string {
  return escapeControl(valueText(value));
}

/** How many experiments the axes make. */
export function sweepSize(axes: readonly { readonly values: readonly unknown[] }[]): number {
  return axes.reduce((n, a) => n * a.values.length, 1);
}

/** The problem with a sweep of more than MAX_SWEEP experiments, undefined when it is not. */
export function tooLarge(axes: readonly { readonly values: readonly unknown[] }[]): string | undefined {
  const total = sweepSize(axes);
  if (total <= MAX_SWEEP) return undefined;
  return `${axes.map((a) => thousands(a.values.length)).join(' × ')} values give ${thousands(total)} experiments, more than ${MAX_SWEEP} in one sweep: sweep fewer values at a time`;
}

/**
 * The first two axes that set one field, the same path or one inside the other (agent.epsilon and
 * agent.epsilon.end): the later would silently override the earlier in every combination, not sweep
 * with it. Undefined when every axis sets a field of its own.
 */
export function overlappingAxes(axes: readonly { readonly path: readonly string[] }[]): { first: number; second: number } | undefined {
  const inside = (outer: readonly string[], inner: readonly string[]) => outer.length <= inner.length && outer.every((p, k) => p === inner[k]);
  for (let second = 1; second < axes.length; second++) {
    for (let first = 0; first < second; first++) {
      const [a, b] = [axes[first]!.path, axes[second]!.path];
      if (inside(a, b) || inside(b, a)) return { first, second };
    }
  }
  return undefined;
}

/** Which value of each axis a combination takes (an index per axis). */
export type Combination = readonly number[];

/** Every combination of one index below each count, the first count's index changing slowest. */
export function product(counts: readonly number[]): Combination[] {
  let all: number[][] = [[]];
  for (const n of counts) all = all.flatMap((c) => Array.from({ length: n }, (_, v) => [...c, v]));
  return all;
}

/**
 * Each axis's path without its first part, as the form names a parameter (agent.alpha → alpha, a
 * schedule's field agent.epsilon.end → epsilon.end, where `end` alone would not say which), or
 * the whole path where two would share a name (agent.id, env.id).
 */
export function shortNames(axes: readonly { readonly path: readonly string[] }[]): string[] {
  const short = axes.map((a) => (a.path.length > 1 ? a.path.slice(1) : a.path).join('.'));
  return axes.map((a, i) => (short.filter((s) => s === short[i]).length > 1 ? a.path.join('.') : short[i]!));
}

/** The combination's values of the axes that take several, as its name shows them: `alpha=0.1, epsilon=0.05`; empty when none does. */
export function sweptValues(axes: readonly SweepAxis[], combination: Combination): string {
  const swept = axes.flatMap((a, i) => (a.values.length > 1 || a.drawn === true ? [i] : []));
  const names = shortNames(swept.map((i) => axes[i]!));
  return swept.map((i, k) => `${names[k]}=${nameValueText(axes[i]!.values[combination[i]!])}`).join(', ');
}

/**
 * An experiment's name with the values of the axes that take several: `quickstart (alpha=0.1,
 * epsilon=0.05)`. A name that ends in values already (a sweep's experiment swept again, Run again's
 * "cliff (2) (alpha=0.1, epsilon=0.05)") has them set in place: a value an axis sets, of one value
 * or several, is that axis's now, the others are kept, and the axes' other values follow
 * ("cliff (2) (alpha=0.3, epsilon=0.05)"), so no value is named twice or as it no longer is.
 */
export function sweptName(name: string, axes: readonly SweepAxis[], combination: Combination): string {
  const named = namedValues(name);
  if (named === undefined) {
    const values = sweptValues(axes, combination);
    return values === '' ? name : fittedName(name, ` (${values})`);
  }
  const set = new Set<number>();
  const values = named.values.map(({ key, value }) => {
    // The field the name calls so: by its whole path, or by the short name sweptValues gives it alone.
    const axis = axes.flatMap((a, i) => (a.path.join('.') === key || shortNames([a])[0] === key ? [i] : []));
    if (axis.length !== 1) return { key, value };
    set.add(axis[0]!);
    return { key, value: nameValueText(axes[axis[0]!]!.values[combination[axis[0]!]!]) };
  });
  const others = axes.flatMap((_, i) => (set.has(i) ? [] : [i]));
  const added = sweptValues(
    others.map((i) => axes[i]!),
    others.map((i) => combination[i]!),
  );
  return fittedName(named.base, ` (${[valuesText(values), added].filter((t) => t !== '').join(', ')})`);
}

/**
 * For each path given (a --set's, a --sample's, an app's Sweep row's), what of the first experiment
 * whose other settings make that parameter do nothing ("the shop environment": a shop's item count
 * beside an explicit catalog, see EnvDefinition.inertParams; "the thompson agent": its Gaussian
 * prior under model "bernoulli", see AgentDefinition.inertParams), or undefined: said, not refused.
 */
export function inertIn(experiments: readonly Pick<Experiment, 'env' | 'agent'>[], paths: readonly (readonly string[])[]): (string | undefined)[] {
  return paths.map((path) => {
    if (path.length < 2) return undefined;
    if (path[0] === 'env') {
      const ignoring = experiments.find(({ env }) => findEnvironment(env.id)?.inertParams?.(env).includes(path[1]!) ?? false);
      return ignoring && `the ${ignoring.env.id} environment`;
    }
    if (path[0] === 'agent') {
      const ignoring = experiments.find(({ agent }) => findAgent(agent.id)?.inertParams?.(agent).includes(path[1]!) ?? false);
      return ignoring && `the ${ignoring.agent.id} agent`;
    }
    return undefined;
  });
}

/**
 * inertIn's finding in words, after the option or row that gives the value, with what follows for
 * the experiments: a search's draws, a sweep's values, or one value.
 */
export function inertText(owner: string, path: readonly string[], given: { readonly drawn: boolean; readonly values: number }): string {
  const effect = given.drawn ? 'the values drawn for it change nothing' : given.values > 1 ? 'the experiments it makes train alike' : 'it changes nothing';
  return `${owner}'s other settings make ${path.join('.')} do nothing here: ${effect}`;
}

/** A value of an axis a problem comes from: [axis, value index], or [axis, 'all'] for all its values. */
export type Blame = readonly [axis: number, value: number | 'all'];

/** A problem of a sweep, once, with the values it comes from (one list per line to say it on). */
export interface SweepProblem {
  readonly problem: string;
  /** Every combination has it: it may be the base experiment's own. */
  readonly everywhere: boolean;
  readonly lines: readonly (readonly Blame[])[];
}

/** An experiment of a sweep: the checked experiment and the combination that made it. */
export interface SweptExperiment {
  readonly experiment: Experiment;
  readonly combination: Combination;
}

/**
 * The experiments the axes make of `base`: one per combination, named by sweptName, each given to
 * `parse` (which throws a ValidationError with its problems). The problems when any is invalid
 * (the caller words them; nothing is kept then), else the experiments. The size is the caller's to
 * check first (tooLarge). The combinations are the axes' product unless given (a random search's
 * trials, trialCombinations in sweep-sample.ts): then a problem is blamed on each combination's
 * values, as no axis's value alone picks out the combinations that have it.
 */
export function sweepExperiments(
  base: Readonly<Record<string, unknown>>,
  axes: readonly SweepAxis[],
  parse: (content: Record<string, unknown>) => Experiment,
  given?: readonly Combination[],
): { ok: true; experiments: SweptExperiment[] } | { ok: false; problems: SweepProblem[] } {
  const combinations = given ?? product(axes.map((a) => a.values.length));
  const experiments: SweptExperiment[] = [];
  const problemsOf = new Map<string, number[]>();
  combinations.forEach((combination, c) => {
    for (const p of new Set(check(combination))) problemsOf.set(p, [...(problemsOf.get(p) ?? []), c]);
  });
  if (problemsOf.size === 0) return { ok: true, experiments };
  return { ok: false, problems: [...problemsOf].map(([problem, where]) => ({ problem, everywhere: where.length === combinations.length, lines: blamed(problem, where) })) };

  /** The combination's experiment, kept when valid; its problems otherwise. */
  function check(combination: Combination): string[] {
    const content = structuredClone(base) as Record<string, unknown>;
    const problems: string[] = [];
    axes.forEach((a, i) => {
      const problem = setAt(content, a.path, a.values[combination[i]!]);
      if (problem) problems.push(problem);
    });
    if (problems.length > 0) return problems;
    for (const a of axes) {
      const [which, field] = a.path;
      if ((which !== 'env' && which !== 'agent') || field !== 'id' || a.path.length !== 2) continue;
      // Another agent (or environment): the old one's parameters it lacks are left behind, as the
      // app's form does on a switch; one another axis sets is kept, for the check to refuse by name.
      const setHere = new Set(axes.flatMap((b) => (b.path[0] === which && b.path.length > 1 ? [b.path[1]!] : [])));
      const component = content[which] as Record<string, unknown>;
      for (const name of parametersLeftBehind(base, which, component.id)) if (!setHere.has(name)) delete component[name];
    }
    for (const a of axes) {
      const unknown = unknownParameter(content, a.path);
      if (unknown) problems.push(unknown);
    }
    if (problems.length > 0) return problems;
    if (typeof content.name === 'string') content.name = sweptName(content.name, axes, combination);
    let experiment: Experiment;
    try {
      experiment = parse(content);
    } catch (e) {
      if (e instanceof ValidationError) return [...e.problems];
      throw e;
    }
    // A field the checks do not know is refused by most of them; the rest (inside a schedule) would be dropped unsaid.
    for (const a of axes) {
      const missing = missingAt(experiment, a.path);
      if (missing) problems.push(missing);
    }
    if (problems.length === 0) experiments.push({ experiment, combination });
    return problems;
  }

  /**
   * The values a problem comes from: those of the swept axes shared by exactly the combinations
   * that have it; when it is in every combination, the axes of one value (or, without them, every
   * axis with all its values).
   */
  function blamed(problem: string, where: readonly number[]): Blame[][] {
    if (where.length === combinations.length) {
      const single = axes.flatMap((a, i) => (a.values.length === 1 ? [[i, 0] as const] : []));
      return [single.length > 0 ? single : axes.map((_, i) => [i, 'all'] as const)];
    }
    // An axis of one value is named too when the problem is in its field (agent.alpha with agent.id=ppo).
    const named = (i: number) => axes[i]!.values.length > 1 || axes[i]!.drawn === true || problem.startsWith(`${axes[i]!.path.join('.')}:`);
    const first = combinations[where[0]!]!;
    const shared = axes.flatMap((_, i) => (named(i) && where.every((c) => combinations[c]![i] === first[i]) ? [[i, first[i]!] as const] : []));
    const matching = combinations.length / shared.reduce((n, [i]) => n * axes[i]!.values.length, 1);
    if (given === undefined && matching === where.length) return [shared];
    return where.map((c) => axes.flatMap((_, i) => (named(i) ? [[i, combinations[c]![i]!] as const] : [])));
  }
}

/**
 * A problem's values as `aisle run` names them (`--set agent.alpha=1.5`), or as the app's form does
 * (`alpha = 1.5`, by the parameter's short name). A problem of all of a field's values is not the
 * values' (a parameter the environment does not have): the form says how many rather than repeating
 * them (`catalogSeed (all 64 values)`), where the command line gives back what was typed.
 */
export function blameText(blames: readonly Blame[], axes: readonly SweepAxis[], style: 'cli' | 'app'): string {
  const names = shortNames(axes);
  if (style === 'cli') return blames.map(([i, v]) => `--set ${axes[i]!.path.join('.')}=${v === 'all' ? axes[i]!.texts.join(',') : axes[i]!.texts[v]!}`).join(' ');
  const text = (i: number, v: number | 'all') => {
    const { texts } = axes[i]!;
    if (v !== 'all' || texts.length === 1) return `${names[i]} = ${texts[v === 'all' ? 0 : v]!}`;
    return `${names[i]} (${texts.length === 2 ? 'both' : `all ${texts.length}`} values)`;
  };
  return blames.map(([i, v]) => text(i, v)).join(', ');
}

/**
 * A problem as the app's form says it under a sweep row: `alpha = 1.5: must be a number in (0, 1]`,
 * without the path the row already names.
 */
export function appProblemText(problem: string, blames: readonly Blame[], axes: readonly SweepAxis[]): string {
  const own = blames.map(([i]) => `${axes[i]!.path.join('.')}: `).find((prefix) => problem.startsWith(prefix));
  return `${blameText(blames, axes, 'app')}: ${own ? problem.slice(own.length) : problem}`;
}

/**
 * What a sweep says of a field swept inside `where` while the experiment holds no object there
 * (agent.epsilon.end beside a constant ε); the app's form says it under such a row too.
 */
export function notFieldsProblem(where: string, value: unknown): string {
  return `${where}: is ${JSON.stringify(value)} in the experiment, not an object with fields: sweep ${where} itself`;
}

/**
 * What a sweep says of a parameter the experiment's environment or agent does not have (a shop's
 * ranking once the environment is seed-toy), listing those it has; the app's form says it too.
 */
export function noParameterProblem(where: 'env' | 'agent', id: string, name: string, known: readonly string[]): string {
  const what = `${where === 'env' ? 'environment' : 'agent'} ${id}`;
  // One with none (random, myopic-oracle) said "its parameters are " and nothing after it.
  if (known.length === 0) return `${where}.${name}: ${what} has no parameters: leave ${where}.${name} out`;
  return `${where}.${name}: ${what} has no parameter "${name}": its parameters are ${known.join(', ')}`;
}

/** Puts `value` at `path` in `content`, making the objects on the way; a problem when a part of the way is not an object. */
function setAt(content: Record<string, unknown>, path: readonly string[], value: unknown): string | undefined {
  let at = content;
  for (let i = 0; i < path.length - 1; i++) {
    const next = at[path[i]!];
    if (next === undefined) at[path[i]!] = {};
    else if (next === null || typeof next !== 'object' || Array.isArray(next)) return notFieldsProblem(path.slice(0, i + 1).join('.'), next);
    at = at[path[i]!] as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
  return undefined;
}

/**
 * The parameters `base`'s agent (or environment) gives that the one of id `to` does not have (a
 * bandit's `c` for sarsa): empty when `to` is the same id or one not known (the check says so).
 */
export function parametersLeftBehind(base: Readonly<Record<string, unknown>>, which: 'env' | 'agent', to: unknown): string[] {
  const old = base[which];
  if (old === null || typeof old !== 'object' || Array.isArray(old)) return [];
  const from = (old as Record<string, unknown>).id;
  const def = typeof to !== 'string' || to === from ? undefined : which === 'env' ? findEnvironment(to) : findAgent(to);
  if (!def) return [];
  return Object.keys(old).filter((name) => name !== 'id' && !Object.hasOwn(def.params.shape, name));
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
  return known.includes(name) ? undefined : noParameterProblem(where, def.id, name, known);
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
