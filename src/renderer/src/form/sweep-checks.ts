/**
 * New experiment's Sweep: what the service says of a grid row's value its parameter cannot take,
 * said by the form at once; and the draft's parameters that the service refuses together (a DQN's
 * batchSize above its bufferSize: engine/cross-field.ts), said next to the fields as they are typed. While the draft has a problem of its own the service stops there and
 * checks no sweep, so a bad value went unsaid and was counted ("2 experiments × 5 seeds = 10
 * runs"). Each check words its problem with the engine's own function for that kind of parameter
 * (rangeProblem, choiceProblem, flagProblem, nullableProblem, epsilonProblem, risingScheduleProblems,
 * the cross-field rules of CROSS_FIELD_RULES, and for a row on a parameter the draft no longer has, noParameterProblem and notFieldsProblem),
 * read from the catalog's JSON Schemas as the rest of the form is, so the line reads the same
 * whoever finds it (test/main/sweep-form-words holds them equal).
 */
import type { Catalog, CatalogEntry, JsonSchema } from '../../../shared/dto';
import { CROSS_FIELD_RULES, envAgentProblems } from '../../../engine/cross-field';
import { choiceProblem, flagProblem, nullableProblem, rangeProblem } from '../../../engine/params';
import { epsilonProblem, risingScheduleProblems } from '../../../engine/schedule';
import { noParameterProblem, notFieldsProblem } from '../../../engine/sweep';
import { isObject } from '../../../shared/values';
import { component, entryOf, getAt, type Draft, type Which } from './draft';
import { defaults, fieldKind, inRange, nullableNumberSpec, numberSpec, parameters, takesNumber, type NumberSpec } from './schema';

/**
 * A value's problem as the service's check writes it, with the parameter's path (`agent.alpha: must
 * be a number in (0, 1], got 2`), or undefined when the parameter takes it.
 */
export type ValueCheck = (value: unknown) => string | undefined;

/** The bounds as the engine's number fields have them (NumberSpec of params.ts). */
function field(spec: NumberSpec) {
  return { int: spec.integer, min: spec.minimum, gt: spec.exclusiveMinimum, max: spec.maximum, lt: spec.exclusiveMaximum };
}

/** A number field (numberSchema): anything but a number of its kind in its range. */
function numberCheck(path: string, spec: NumberSpec): ValueCheck {
  return (v) => (typeof v === 'number' && Number.isFinite(v) && takesNumber(v, spec) ? undefined : `${path}: ${rangeProblem(field(spec), v)}`);
}

/**
 * A number or null (nullableNumber: the shop's shiftAt). zod takes the number's own message for a
 * number of its kind out of range (shiftAt = 1e9) and the union's for the rest (a text, true, a
 * fraction where whole numbers go), as the service says them.
 */
function nullableCheck(path: string, spec: NumberSpec): ValueCheck {
  return (v) => {
    if (v === null) return undefined;
    if (typeof v === 'number' && Number.isFinite(v) && (!spec.integer || Number.isInteger(v))) return inRange(v, spec) ? undefined : `${path}: ${rangeProblem(field(spec), v)}`;
    return `${path}: ${nullableProblem(field(spec), v)}`;
  };
}

/** A constant or a schedule (epsilonParam), swept as the constant: a text, true or null gets the union's message. */
function constantCheck(path: string, spec: NumberSpec): ValueCheck {
  return (v) => (typeof v === 'number' && Number.isFinite(v) ? numberCheck(path, spec)(v) : `${path}: ${epsilonProblem(v)}`);
}

/**
 * A field of the draft's schedule (epsilon.end): its range, then the schedule it makes with the
 * draft's other fields (an end above the draft's start rises: the service refuses a new experiment's
 * rising ε). A schedule already rising in the draft is the draft's own problem, not the row's; and
 * while another row sets the schedule's other fields (`swept`), the draft's are not the ones the
 * experiments get: the service checks each combination.
 */
function scheduleFieldCheck(which: string, key: string, inner: string, spec: NumberSpec, schedule: Readonly<Record<string, unknown>>, swept: readonly string[]): ValueCheck {
  const path = `${which}.${key}.${inner}`;
  const own = numberCheck(path, spec);
  const rising = (s: Readonly<Record<string, unknown>>) => risingScheduleProblems({ [key]: s }).map((line) => `${which}.${line}`);
  const already = rising(schedule).length > 0 || swept.some((p) => p !== path && (p === `${which}.${key}` || p.startsWith(`${which}.${key}.`)));
  return (v) => own(v) ?? (already ? undefined : rising({ ...schedule, [inner]: v })[0]);
}

/** The check of a parameter by its schema, or undefined for one the form leaves to the service (a file, a list). */
function checkOf(path: string, schema: JsonSchema): ValueCheck | undefined {
  const nullable = nullableNumberSpec(schema);
  if (nullable) return nullableCheck(path, nullable);
  const kind = fieldKind(schema);
  switch (kind.kind) {
    case 'number':
      return numberCheck(path, kind.spec);
    case 'enum':
      return (v) => (kind.options.includes(v as string | number) ? undefined : `${path}: ${choiceProblem(kind.options, v)}`);
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? undefined : `${path}: ${flagProblem(v)}`);
    case 'number-or-object':
      return constantCheck(path, numberSpec(kind.constant));
    case 'string':
    case 'json':
      return undefined;
  }
}

/** The checks of a Sweep row's values by the row's dotted path (agent.alpha). */
export interface SweepChecks {
  get(path: string): ValueCheck | undefined;
}

/**
 * The check of every parameter a Sweep row can take (sweepParameters: episodes, the environment's
 * and agent's numbers, numbers-or-null, choices and switches, and the fields of a schedule the
 * draft holds), by dotted path; and of a row left on a parameter the draft no longer has (the
 * environment switched, ε made constant), which every value of it gets. A value its field takes
 * is then checked against the draft's other parameters as the service checks them together
 * (`batchSize = 5000: batchSize 5000 exceeds bufferSize 1000: raise bufferSize`), except against
 * a parameter another row sets (`swept`, the rows' paths): the service checks each combination.
 */
export function parameterChecks(catalog: Catalog, draft: Draft, swept: readonly string[] = []): SweepChecks {
  const checks = ownChecks(catalog, draft, swept);
  const together = crossFieldChecks(catalog, draft, checks, swept);
  return { get: (path) => together.get(path) ?? checks.get(path) ?? notTheDraftsCheck(catalog, draft, path) };
}

/** The component's parameters as the service reads them: the draft's values over the schema's defaults. */
function paramsOf(entry: CatalogEntry, draft: Draft, which: Which): Record<string, unknown> {
  return { ...defaults(entry.schema), ...component(draft, which) };
}

/**
 * The problems of the cross-field rules of `which`'s component `id` with `params`, each under its
 * field (`agent.batchSize: …`). As the service, which checks them only once every field is valid,
 * a rule is checked only when each of its fields holds a value that field takes, and none of them
 * is one another Sweep row sets (`skip`).
 */
function ruleLines(which: Which, id: string, params: Readonly<Record<string, unknown>>, checks: ReadonlyMap<string, ValueCheck>, skip: (key: string) => boolean = () => false): string[] {
  const takes = (key: string) => params[key] !== undefined && checks.get(`${which}.${key}`)?.(params[key]) === undefined;
  return (CROSS_FIELD_RULES[which][id] ?? []).flatMap((rule) => (rule.fields.every((key) => takes(key) && !skip(key)) ? rule.problems(params).map((line) => `${which}.${line}`) : []));
}

/**
 * The draft's parameters the service refuses together (a slateSize above the shop's items, a DQN's
 * batchSize above its bufferSize), in its words and under the field it names: the service says them
 * only once every other field is valid, 200 ms after the last edit; the form says them as typed.
 */
export function crossFieldProblems(catalog: Catalog, draft: Draft, swept: readonly string[] = []): string[] {
  const checks = ownChecks(catalog, draft, []);
  // A rule over a parameter a Sweep row (or the random search) sets is the service's to check per
  // combination: the draft's own value is replaced in every one (q-learning on the shop's vector
  // observation with agent.id swept over dqn, ppo was held back by q-learning's line).
  const lines = (['env', 'agent'] as const).flatMap((which) => {
    const entry = entryOf(catalog, draft, which);
    return entry ? ruleLines(which, entry.id, paramsOf(entry, draft, which), checks, (key) => swept.includes(`${which}.${key}`)) : [];
  });
  // The env × agent rules, as the service says them once both components are valid: after their own lines.
  const env = entryOf(catalog, draft, 'env');
  const agent = entryOf(catalog, draft, 'agent');
  if (!env || !agent || lines.length > 0) return lines;
  if (swept.some((path) => path === 'agent.id' || path.startsWith('env.'))) return lines;
  const envParams = paramsOf(env, draft, 'env');
  if (Object.keys(envParams).some((key) => envParams[key] !== undefined && checks.get(`env.${key}`)?.(envParams[key]) !== undefined)) return lines;
  return envAgentProblems(env.id, envParams, agent.id).map((line) => `agent.${line}`);
}

/**
 * The Sweep's check of each parameter a cross-field rule compares: the value's own, then the rules
 * with the value in the draft's place. A problem the draft has already is the draft's own, not the row's.
 */
function crossFieldChecks(catalog: Catalog, draft: Draft, checks: ReadonlyMap<string, ValueCheck>, swept: readonly string[]): Map<string, ValueCheck> {
  const out = new Map<string, ValueCheck>();
  for (const which of ['env', 'agent'] as const) {
    const entry = entryOf(catalog, draft, which);
    if (!entry) continue;
    const params = paramsOf(entry, draft, which);
    for (const key of new Set((CROSS_FIELD_RULES[which][entry.id] ?? []).flatMap((rule) => rule.fields))) {
      const path = `${which}.${key}`;
      const own = checks.get(path);
      if (!own) continue;
      const skip = (other: string) => other !== key && swept.includes(`${which}.${other}`);
      const already = new Set(ruleLines(which, entry.id, params, checks, skip));
      out.set(path, (v) => own(v) ?? ruleLines(which, entry.id, { ...params, [key]: v }, checks, skip).find((line) => !already.has(line)));
    }
  }
  return out;
}

/**
 * The service's problem with a row on a parameter the draft's environment or agent does not have,
 * or on a field inside one that holds no object (epsilon.end beside a constant ε): every value has
 * it, and the row is said as a whole (`ranking (both values): environment seed-toy has no parameter
 * "ranking": …`). Undefined for any other path, an unknown environment or agent included (its id is
 * the draft's own problem).
 */
function notTheDraftsCheck(catalog: Catalog, draft: Draft, path: string): ValueCheck | undefined {
  const [which, name, inner] = path.split('.');
  if ((which !== 'env' && which !== 'agent') || name === undefined || name === 'id') return undefined;
  const entry = entryOf(catalog, draft, which);
  if (!entry) return undefined;
  const known = parameters(entry.schema).map(([key]) => key);
  const at = getAt(draft, [which, name]);
  // As the service sets the row's value: a field missing on the way is made, one that is no object is refused.
  const problem = !known.includes(name) ? noParameterProblem(which, entry.id, name, known) : inner !== undefined && at !== undefined && !isObject(at) ? notFieldsProblem(`${which}.${name}`, at) : undefined;
  return problem === undefined ? undefined : () => problem;
}

/** The checks of the parameters the draft has, by path. */
function ownChecks(catalog: Catalog, draft: Draft, swept: readonly string[]): Map<string, ValueCheck> {
  const checks = new Map<string, ValueCheck>();
  const props = catalog.experimentSchema.properties;
  const episodes = isObject(props) ? props.episodes : undefined;
  if (isObject(episodes)) {
    const check = checkOf('episodes', episodes);
    if (check) checks.set('episodes', check);
  }
  for (const which of ['env', 'agent'] as const) {
    const entry = entryOf(catalog, draft, which);
    if (!entry) continue;
    for (const [key, schema] of parameters(entry.schema)) {
      if (entry.fileParams.includes(key)) continue;
      const check = checkOf(`${which}.${key}`, schema);
      if (check) checks.set(`${which}.${key}`, check);
      const kind = fieldKind(schema);
      const schedule = getAt(draft, [which, key]);
      if (kind.kind !== 'number-or-object' || !isObject(schedule)) continue;
      for (const [inner, sub] of parameters(kind.object)) {
        const subKind = fieldKind(sub);
        if (subKind.kind === 'number') checks.set(`${which}.${key}.${inner}`, scheduleFieldCheck(which, key, inner, subKind.spec, schedule, swept));
      }
    }
  }
  return checks;
}
