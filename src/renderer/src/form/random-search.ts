/**
 * New experiment's Random search (the Sweep section's other mode): `aisle run --sample … --trials n
 * --search-seed s` in the form. The rows' distributions are read and drawn here, with the engine's
 * sampler (src/engine/sweep-sample.ts), so the app and the command draw the same values for a seed;
 * the draws go to the service as a paired sweep (experiment t takes the t-th value of every row).
 */
import type { Catalog } from '../../../shared/dto';
import { boundsProblem, DEFAULT_SEARCH_SEED, type Distribution, type DistributionKind } from '../../../engine/sweep-sample';
import { MAX_SWEEP } from '../../../engine/sweep-values';
import { EXPONENT_FORM } from '../../../shared/text';
import { isObject } from '../../../shared/values';
import { entryOf, getAt, type Draft } from './draft';
import { fieldKind, inRange, nullableNumberSpec, numberSpec, parameters, rangeText, takesNumber, type NumberSpec } from './schema';

/** The section's mode and, for a random search, its trials and seed as typed. */
export interface SweepSearch {
  readonly mode: 'grid' | 'random';
  readonly trials: string;
  readonly seed: string;
}

export const GRID: SweepSearch = { mode: 'grid', trials: '12', seed: String(DEFAULT_SEARCH_SEED) };

/** A row's distribution as typed: its kind, bounds (uniform, log, int) or values (choice, in the row's `values`). */
export interface RowDistribution {
  readonly kind?: DistributionKind;
  readonly lo?: string;
  readonly hi?: string;
  readonly values: string;
}

export const KIND_LABELS: Readonly<Record<DistributionKind, string>> = { uniform: 'uniform', log: 'log-uniform', int: 'integer', choice: 'choice' };

/**
 * Each numeric parameter's range by dotted path (episodes, agent.alpha, a number-or-null's number:
 * shiftAt, the fields of a schedule the draft holds: agent.epsilon.end), for the check of a random
 * search row's bounds or choices under it: the form's own, said at once, also while the draft has a
 * problem of its own and the service, stopping at that, checks no sweep. (A grid row's values are
 * checked in the service's words by parameterChecks, sweep-checks.ts.)
 */
export function parameterRanges(catalog: Catalog, draft: Draft): Map<string, NumberSpec> {
  const ranges = new Map<string, NumberSpec>();
  const props = catalog.experimentSchema.properties;
  const episodes = isObject(props) ? props.episodes : undefined;
  if (isObject(episodes) && fieldKind(episodes).kind === 'number') ranges.set('episodes', numberSpec(episodes));
  for (const which of ['env', 'agent'] as const) {
    const entry = entryOf(catalog, draft, which);
    if (!entry) continue;
    for (const [key, schema] of parameters(entry.schema)) {
      const kind = fieldKind(schema);
      const nullable = nullableNumberSpec(schema);
      if (kind.kind === 'number') ranges.set(`${which}.${key}`, kind.spec);
      // A number or null (shiftAt): its bounds are the number's; null is drawn only by a choice.
      else if (nullable) ranges.set(`${which}.${key}`, nullable);
      else if (kind.kind === 'number-or-object') {
        ranges.set(`${which}.${key}`, numberSpec(kind.constant));
        // The fields of a schedule the draft holds (epsilon.end), which rows sweep (sweepParameters).
        if (!isObject(getAt(draft, [which, key]))) continue;
        for (const [inner, sub] of parameters(kind.object)) {
          const subKind = fieldKind(sub);
          if (subKind.kind === 'number') ranges.set(`${which}.${key}.${inner}`, subKind.spec);
        }
      }
    }
  }
  return ranges;
}

/** A bound's text as a number; undefined while empty. */
function bound(text: string | undefined): number | undefined | 'bad' {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : 'bad';
}

/**
 * A row's distribution, or the problem to say under it; `empty` while its bounds (or values) are not
 * typed yet (the row draws nothing, as a grid row without values sweeps nothing).
 */
export function rowDistribution(row: RowDistribution, range: NumberSpec | undefined, readValues: (text: string) => { ok: true; values: unknown[]; texts?: string[] } | { ok: false; problem: string }): { ok: true; distribution: Distribution } | { ok: false; problem: string } | { ok: 'empty' } {
  const kind = row.kind ?? 'uniform';
  if (kind === 'choice') {
    const read = readValues(row.values);
    if (!read.ok) return read;
    if (read.values.length === 0) return { ok: 'empty' };
    const distribution: Distribution = { kind, texts: read.values.map((v) => JSON.stringify(v)), values: read.values };
    const problem = boundsProblem(distribution) ?? (range ? choicesProblem(read.values, range) : undefined);
    return problem ? { ok: false, problem } : { ok: true, distribution };
  }
  const [lo, hi] = [bound(row.lo), bound(row.hi)];
  if (lo === 'bad' || hi === 'bad') return { ok: false, problem: 'the bounds must be numbers' };
  if (lo === undefined || hi === undefined) return lo === undefined && hi === undefined ? { ok: 'empty' } : { ok: false, problem: 'give both bounds' };
  const distribution: Distribution = { kind, lo, hi };
  const problem = boundsProblem(distribution);
  if (problem) return { ok: false, problem };
  if (range) {
    const outside = [lo, hi].find((x) => !inRange(x, range));
    if (outside !== undefined) return { ok: false, problem: `${outside} is outside the parameter's range: it must be ${rangeText(range)}` };
    // Whole bounds pass a whole-number parameter, and then nearly every uniform draw (48.7) fails in its own trial.
    if (range.integer && kind !== 'int') {
      const [from, to] = [Math.ceil(lo), Math.floor(hi)];
      return { ok: false, problem: `the parameter takes whole numbers, which a ${KIND_LABELS[kind]} draw is not: ${from < to ? `choose integer to draw them from ${from} to ${to}` : 'give a range holding at least two whole numbers, with integer'}` };
    }
  }
  return { ok: true, distribution };
}

/**
 * The first choice the parameter cannot take, checked before any draw as a range's bounds are (as
 * `aisle run --sample` checks every choice): otherwise a bad choice fails only in the trials that draw
 * it, or launches unsaid when no trial does. An object (a schedule) is left to the service's check.
 */
function choicesProblem(values: readonly unknown[], range: NumberSpec): string | undefined {
  for (const value of values) {
    if (typeof value === 'object' && value !== null) continue;
    if (typeof value !== 'number') return `${JSON.stringify(value)} is not a number: the parameter must be ${rangeText(range)}`;
    if (!takesNumber(value, range)) return `${value} is outside the parameter's range: it must be ${rangeText(range)}`;
  }
  return undefined;
}

/** The largest search seed, as `aisle run --search-seed` takes it: the generator keeps 31 bits. */
const MAX_SEARCH_SEED = 2 ** 31 - 1;

/** The trials and seed as typed, or the problem with them. */
export function searchSettings(search: SweepSearch): { ok: true; trials: number; seed: number } | { ok: false; problem: string } {
  const trials = Number(search.trials);
  if (!/^\s*\d+\s*$/.test(search.trials) || trials < 1 || trials > MAX_SWEEP) return { ok: false, problem: `trials: must be a whole number from 1 to ${MAX_SWEEP}, got "${search.trials}"` };
  // Spelt as `aisle run --search-seed` takes it (cli/arguments.ts integer()): digits, or a whole number
  // in exponent form (1e3). Number() alone read "0x10" as seed 16, which the command refuses, and
  // the problem said "from 0 up" of a seed refused past 2,147,483,647.
  const seedText = search.seed.trim();
  const seed = seedText === '' ? DEFAULT_SEARCH_SEED : /^\d+$/.test(seedText) || EXPONENT_FORM.test(seedText) ? Number(seedText) : NaN;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEARCH_SEED) return { ok: false, problem: `search seed: must be a whole number from 0 to ${MAX_SEARCH_SEED.toLocaleString('en-US')}, got "${search.seed}"` };
  return { ok: true, trials, seed };
}
