/**
 * New experiment's Sweep: `aisle run --set` in the form. Rows of a parameter (the chosen
 * environment's and agent's numeric (a number or null too), boolean and choice parameters, the fields of an ε schedule, and
 * episodes) and the values it takes; Launch then makes an experiment per combination of the rows' values.
 */
import { useState } from 'react';
import { useFocusAfterRender } from '../focus';
import { MAX_SWEEP_FIELDS } from '../../../shared/contract';
import type { Catalog } from '../../../shared/dto';
import { parseSweepValues, typedText } from '../../../engine/sweep-values';
import { isObject } from '../../../shared/values';
import { counted, plural } from '../../../shared/text';
import { entryOf, getAt, type Draft } from './draft';
import { fieldKind, isNullableNumber, parameters, type NumberSpec } from './schema';
import { appProblemText, MAX_SWEEP, tooLarge, valueText } from '../../../engine/sweep';
import type { SweepChecks, ValueCheck } from './sweep-checks';
import { distinctCombinations, distinctText, sampleValues, type Distribution } from '../../../engine/sweep-sample';
import { GRID, rowDistribution, searchSettings, type RowDistribution, type SweepSearch } from './random-search';
import { RandomSearchRow, SearchSettings, SweepMode } from './random-search-rows';
import { sweepPlaceholder } from './sweep-placeholder';

/**
 * One row as the user left it: a dotted path (agent.alpha, episodes) and the values' text; in a
 * random search, the distribution the row draws from (its bounds, or its values for a choice).
 */
export interface SweepRow extends RowDistribution {
  readonly path: string;
  readonly values: string;
}

export type SweepValue = number | boolean | string | null;

/** The parameters a row can sweep, by dotted path, with what the select shows. */
export function sweepParameters(catalog: Catalog, draft: Draft): { path: string; label: string }[] {
  const out = [{ path: 'episodes', label: 'episodes' }];
  for (const [which, noun] of [
    ['env', 'environment'],
    ['agent', 'agent'],
  ] as const) {
    const entry = entryOf(catalog, draft, which);
    if (!entry) continue;
    for (const [key, schema] of parameters(entry.schema)) {
      const kind = fieldKind(schema);
      // A schedule's constant (epsilon) sweeps as a number, and so does a number-or-null (shiftAt:
      // a drift study's parameter, `null, 2000, 4000`); file parameters and lists do not sweep.
      const sweepable = ['number', 'enum', 'boolean', 'number-or-object'].includes(kind.kind) || isNullableNumber(schema);
      if (entry.fileParams.includes(key) || !sweepable) continue;
      out.push({ path: `${which}.${key}`, label: `${key} (${noun})` });
      // A schedule in the draft (epsilon's start, end and decayEpisodes) sweeps by its fields, as
      // `--set agent.epsilon.end=0.01,0.05` does; without one there are no fields to set.
      if (kind.kind !== 'number-or-object' || !isObject(getAt(draft, [which, key]))) continue;
      for (const [inner, sub] of parameters(kind.object)) {
        if (fieldKind(sub).kind === 'number') out.push({ path: `${which}.${key}.${inner}`, label: `${key}.${inner} (${noun})` });
      }
    }
  }
  return out;
}

/**
 * A row's values, read as `aisle run --set` reads them (parseSweepValues: commas inside quotes or
 * brackets do not separate, each value JSON else text), or the problem to say under the row. A
 * trailing comma is the next value not typed yet, not an empty one. Only numbers, true, false,
 * text and null: the contract's sweep values are these (a row is one parameter the form offers: a
 * number, a choice or a switch, and a schedule's fields have rows of their own), so a list or an
 * object is said here rather than sent; the whole schedule as a value is `--set`'s, for a script.
 */
export function sweepValues(text: string, { repeats = false }: { repeats?: boolean } = {}): { ok: true; values: SweepValue[] } | { ok: false; problem: string } {
  const parsed = parseSweepValues(text, { trailingComma: true, repeats });
  if (!parsed.ok) return parsed;
  const other = parsed.values.findIndex((v) => v !== null && typeof v === 'object');
  if (other >= 0) return { ok: false, problem: `${typedText(parsed.texts[other]!)}: must be a number, true or false, a text or null, not a list or an object: sweep a schedule's fields in rows of their own` };
  return { ok: true, values: parsed.values as SweepValue[] };
}

/**
 * The sweep the rows make, for the contract: rows with values only (a row just added sweeps
 * nothing yet), and the row each entry came from, to put the service's `sweep[i]` problems under
 * it; a row whose values do not read sends nothing, its problem (`sweep[i]: …`) in `problems`.
 * In a random search (`search`), each row's values are its draws, one per trial (`paired`), drawn
 * by the engine's sampler as `aisle run --sample` draws them; `ranges` are the parameters' own. A
 * grid row's values are checked by `checks` (parameterChecks), each refused one said under the row.
 */
export function sweepOf(
  rows: readonly SweepRow[],
  search: SweepSearch = GRID,
  ranges: ReadonlyMap<string, NumberSpec> = new Map(),
  checks: SweepChecks = new Map(),
): { sweep: { path: string; values: SweepValue[] }[]; rowOf: number[]; problems: string[]; paired: boolean } {
  const sweep: { path: string; values: SweepValue[] }[] = [];
  const rowOf: number[] = [];
  const problems: string[] = [];
  if (search.mode === 'random') {
    const settings = searchSettings(search);
    if (!settings.ok) problems.push(`sweep: ${settings.problem}`);
    const distributions: Distribution[] = [];
    rows.forEach((row, i) => {
      const check = checks.get(row.path);
      // A choice's values are checked below in the service's words, as a grid row's are, where the
      // parameter has a check (the app's form); its range's words are for a sweep checked by ranges alone.
      const range = (row.kind ?? 'uniform') === 'choice' && check ? undefined : ranges.get(row.path);
      // A choice's repeated value weighs its draw, as `--sample choice:` takes it; a grid's repeat is refused.
      const read = rowDistribution(row, range, (text) => sweepValues(text, { repeats: true }));
      if (read.ok === 'empty') return;
      // A choice's values are checked before any draw, in the service's words: else a bad one failed
      // only in the trials that drew it, unsaid while the draft had a problem of its own.
      // (A choice repeated to weigh its draw is said once.)
      const choices = read.ok === true && read.distribution.kind === 'choice' ? (read.distribution.values as SweepValue[]) : undefined;
      const refused = choices && check ? [...new Set(refusedValues(row.path, choices, check))] : [];
      if (!read.ok) problems.push(`sweep[${i}]: ${read.problem}`);
      else if (refused.length > 0) problems.push(...refused.map((line) => `sweep[${i}]: ${line}`));
      else {
        distributions.push(read.distribution);
        rowOf.push(i);
      }
    });
    if (!settings.ok || problems.length > 0) return { sweep: [], rowOf: [], problems, paired: true };
    // More trials than the rows can draw apart would repeat an experiment: said under the trials, as `aisle run --trials` says it.
    const distinct = distinctCombinations(distributions, settings.trials);
    if (distributions.length > 0 && distinct < settings.trials) {
      const rowsText = distributions.length === 1 ? 'the row' : 'the rows';
      return { sweep: [], rowOf: [], problems: [`sweep: trials: ${settings.trials} is more than ${distinctText(distinct, distributions.length)} ${rowsText} can draw: give ${distinct} or fewer, or draw from more values (more choices, a wider range)`], paired: true };
    }
    const values = sampleValues(distributions, settings.trials, settings.seed) as SweepValue[][];
    // A draw within its bounds and its parameter's range can still be refused with the draft's other
    // parameters (an ε end above the draft's start, a batchSize above its bufferSize, one that does
    // not divide nSteps): each trial's value checked as the service checks that trial's experiment.
    const drawn = rowOf.flatMap((row, k) => {
      const check = checks.get(rows[row]!.path);
      return check && distributions[k]!.kind !== 'choice' ? refusedValues(rows[row]!.path, values[k]!, check).map((line) => `sweep[${row}]: ${line}`) : [];
    });
    if (drawn.length > 0) return { sweep: [], rowOf: [], problems: drawn, paired: true };
    rowOf.forEach((row, k) => sweep.push({ path: rows[row]!.path, values: values[k]! }));
    return withinFields({ sweep, rowOf, problems, paired: true });
  }
  rows.forEach((row, i) => {
    const read = sweepValues(row.values);
    const check = checks.get(row.path);
    // A value its parameter cannot take is the form's to say, in the service's words: the service
    // checks no sweep while the draft has a problem of its own, and the rows were counted meanwhile.
    const refused = read.ok && check ? refusedValues(row.path, read.values, check) : [];
    if (!read.ok) problems.push(`sweep[${i}]: ${read.problem}`);
    // More values than a sweep takes are said here: sent, the contract refused them with a 400, a
    // failed request in the browser's console, and the schema's words ("values: has more than 64 items").
    else if (read.values.length > MAX_SWEEP) problems.push(`sweep[${i}]: ${tooLarge([read])!}`);
    else if (refused.length > 0) problems.push(...refused.map((line) => `sweep[${i}]: ${line}`));
    else if (read.values.length > 0) {
      sweep.push({ path: row.path, values: read.values });
      rowOf.push(i);
    }
  });
  return withinFields({ sweep, rowOf, problems, paired: false });
}

/**
 * A sweep of more parameters than the contract takes (MAX_SWEEP_FIELDS) is said here and not sent:
 * sent, experiments.validate refused it with a 400, a failed request in the browser's console.
 */
function withinFields<T extends { sweep: readonly unknown[]; problems: string[] }>(made: T): T {
  const extra = made.sweep.length - MAX_SWEEP_FIELDS;
  if (extra <= 0) return made;
  const problem = `sweep: ${made.sweep.length} parameters swept, more than ${MAX_SWEEP_FIELDS} in one sweep: remove ${extra === 1 ? 'a row' : `${extra} rows`}, or sweep the rest in a launch of its own`;
  return { ...made, sweep: [], rowOf: [], problems: [...made.problems, problem] };
}

/**
 * The parameters the rows set (those with values, or a random search's bounds, typed): the form's
 * check of a row against the draft's other parameters leaves these to the service (parameterChecks).
 */
export function sweptPaths(rows: readonly SweepRow[], search: SweepSearch = GRID): string[] {
  const typed = (text: string | undefined) => (text ?? '').trim() !== '';
  return rows.filter((r) => (search.mode === 'random' && (r.kind ?? 'uniform') !== 'choice' ? typed(r.lo) || typed(r.hi) : typed(r.values))).map((r) => r.path);
}

/**
 * A grid row's values its parameter cannot take, a line each as the service words them under the
 * row (`alpha = 2: must be a number in (0, 1], got 2`; the engine's appProblemText, blaming the value
 * as the service does), so a problem reads the same whether the form or the service found it.
 */
export function refusedValues(path: string, values: readonly SweepValue[], check: ValueCheck): string[] {
  // valueText wrote 1e309, which reads as Infinity, as JSON's "null" ("alpha = null: … got a number
  // too large"), and a page pasted into a row whole: each is cut as a message quotes what was typed.
  const axis = { path: path.split('.'), values, texts: values.map((v) => typedText(typeof v === 'number' && !Number.isFinite(v) ? String(v) : valueText(v))) };
  const problems = values.map((v) => check(v));
  // A problem every value has word for word (a parameter the draft no longer has) is the row's, said
  // once as the service blames all of a row's values: `ranking (both values): …`.
  const [first] = problems;
  if (first !== undefined && problems.every((p) => p === first)) return [appProblemText(first, [[0, 'all']], [axis])];
  return problems.flatMap((problem, k) => (problem === undefined ? [] : [appProblemText(problem, [[0, k]], [axis])]));
}

/** The experiments' seeds as the draft has them: a count or a list. */
function seedCount(draft: Draft): number {
  return typeof draft.seeds === 'number' ? draft.seeds : Array.isArray(draft.seeds) ? draft.seeds.length : 1;
}

/** What the summary says in place of a count while a row has a problem: the experiments Launch would make are not known yet. */
export const SWEEP_NOT_COUNTED = 'no count until its problems are fixed';

/**
 * What the rows launch ("2 experiments × 5 seeds = 10 runs"), or null while they sweep nothing.
 * While a row's values have a problem (`problems`' `sweep[i]`, the service's or the form's own,
 * or one sweepOf finds), no count: `0.1, 2, abc` read "3 experiments × 5 seeds" beside the errors
 * under 2 and abc, while Launch, held back, would launch none. A sweep too large keeps its count:
 * the count is its problem.
 */
export function sweepSummary(
  rows: readonly SweepRow[],
  draft: Draft,
  search: SweepSearch = GRID,
  problems: ReadonlyMap<string, readonly string[]> = new Map(),
): string | null {
  const { sweep, paired, problems: typing } = sweepOf(rows, search);
  const rowProblem = rows.some((_, i) => (problems.get(`sweep[${i}]`)?.length ?? 0) > 0);
  if (typing.length > 0 || rowProblem) return SWEEP_NOT_COUNTED;
  if (sweep.length === 0) return null;
  const experiments = paired ? sweep[0]!.values.length : sweep.reduce((n, s) => n * s.values.length, 1);
  const seeds = seedCount(draft);
  const runs = experiments * seeds;
  return `${counted(experiments, 'experiment')} × ${counted(seeds, 'seed')} = ${counted(runs, 'run')}`;
}

/**
 * A problem of the sweep's (`sweep[i]: …` by row, `sweep: …`) said where no row shows it (the JSON
 * view): with the row's parameter as its select names it, "Sweep, alpha (agent): alpha = 1.5: …".
 */
export function sweepProblemLine(line: string, rows: readonly SweepRow[], options: readonly { path: string; label: string }[]): string {
  return line.replace(/^sweep(?:\[(\d+)\])?: /, (_, i: string | undefined) => {
    const path = i === undefined ? undefined : rows[Number(i)]?.path;
    return path === undefined ? 'Sweep: ' : `Sweep, ${options.find((o) => o.path === path)?.label ?? path}: `;
  });
}

/**
 * The id of what fixes row `i`'s problems: its parameter select when the row's parameter is not one
 * the experiment has (switched to an environment without it: no value would do), else its values.
 */
export function sweepRowFixId(rows: readonly SweepRow[], i: number, options: readonly { path: string }[]): string {
  const path = rows[i]?.path;
  return path !== undefined && !options.some((o) => o.path === path) ? `sweep-${i}-path` : `sweep-${i}-values`;
}

interface SweepProps {
  readonly catalog: Catalog;
  readonly draft: Draft;
  readonly rows: readonly SweepRow[];
  readonly onRows: (rows: SweepRow[]) => void;
  /** Grid or random search, with the search's trials and seed. */
  readonly search: SweepSearch;
  readonly onSearch: (search: SweepSearch) => void;
  /** The service's problems by field: `sweep` (the whole sweep), `sweep[i]` (row i). */
  readonly problems: ReadonlyMap<string, readonly string[]>;
}

export function SweepSection({ catalog, draft, rows, onRows, search, onSearch, problems }: SweepProps) {
  const random = search.mode === 'random';
  const options = sweepParameters(catalog, draft);
  const own = problems.get('sweep') ?? [];
  const rowProblems = rows.reduce((n, _, i) => n + (problems.get(`sweep[${i}]`)?.length ?? 0), 0);
  // Closed at first; open by itself while it holds rows (a reloaded draft's), then as the user leaves it.
  const [toggled, setToggled] = useState<boolean | null>(null);
  const open = toggled ?? rows.length > 0;
  const summary = sweepSummary(rows, draft, search, problems);
  const set = (i: number, row: SweepRow) => onRows(rows.map((r, k) => (k === i ? row : r)));
  const firstUnused = options.find((o) => !rows.some((r) => r.path === o.path)) ?? options[0]!;
  // Add puts the new row above itself and Remove takes its own button away: focus follows, to the
  // new row's parameter, or to the row that took the removed one's place (else Add), so a keyboard
  // user is not left on Add with the row behind them, or on the page's top.
  const focusAfterRender = useFocusAfterRender();
  return (
    <details
      className="panel sweep"
      open={open}
      data-testid="sweep"
      onToggle={(e) => {
        const now = (e.currentTarget as HTMLDetailsElement).open;
        if (now !== open) setToggled(now);
      }}
    >
      <summary>
        Sweep{' '}
        <span className="muted small" data-testid="sweep-summary">
          {summary ?? 'one experiment'}
        </span>
        {!open && own.length + rowProblems > 0 && <span className="group-problems small"> {plural(own.length + rowProblems, 'problem')}</span>}
      </summary>
      <SweepMode search={search} onSearch={onSearch} />
      {random ? (
        <>
          <p className="muted small">
            A number of experiments (at most 64), each drawing every parameter below from its distribution, as <code>aisle run --sample</code> draws them for the same
            search seed, each named with its values; Launch then opens Compare on them.
          </p>
          <SearchSettings search={search} onSearch={onSearch} invalid={own.length > 0} />
        </>
      ) : (
        <p className="muted small">
          An experiment per combination of the values below (at most 64), each named with its values, as <code>aisle run --set</code> makes them; Launch
          then opens Compare on them. The JSON view shows the experiment they are made from, and says that a sweep is set.
        </p>
      )}
      {rows.map((row, i) => {
        const mine = problems.get(`sweep[${i}]`) ?? [];
        const known = options.some((o) => o.path === row.path);
        // The row's problems are its parameter's when that is not one the experiment has: the select is what to fix.
        const valuesInvalid = (known && mine.length > 0) || own.length > 0;
        const valuesDescribedBy = [known && mine.length > 0 ? `sweep-${i}-problems` : '', own.length > 0 ? 'sweep-problems' : ''].filter(Boolean).join(' ');
        return (
          <div className={`form-row sweep-row${random ? ' random' : ''}`} key={i} data-testid={`sweep-row-${i}`}>
            <div className="field">
              <label htmlFor={`sweep-${i}-path`}>
                <span className="name">parameter</span>
              </label>
              <select
                id={`sweep-${i}-path`}
                data-testid={`sweep-path-${i}`}
                value={row.path}
                aria-invalid={!known}
                {...(!known && mine.length > 0 ? { 'aria-describedby': `sweep-${i}-problems` } : {})}
                onChange={(e) => set(i, { ...row, path: e.target.value })}
              >
                {!known && <option value={row.path}>{row.path} (not a parameter here)</option>}
                {options.map((o) => (
                  <option key={o.path} value={o.path}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
            {/* What the parameter takes and Remove hold together: where the row does not fit they go under the parameter as one line (styles.css). */}
            <div className="sweep-draw">
              {random ? (
                <RandomSearchRow index={i} row={row} invalid={valuesInvalid} describedBy={valuesDescribedBy} onRow={(next) => set(i, { ...row, ...next })} placeholder={sweepPlaceholder(catalog, draft, row.path)} />
              ) : (
              <div className="field grow">
                <label htmlFor={`sweep-${i}-values`}>
                  <span className="name">values</span>
                  {' '}
                  <span className="range">separated by commas</span>
                </label>
                <input
                  id={`sweep-${i}-values`}
                  type="text"
                  data-testid={`sweep-values-${i}`}
                  placeholder={sweepPlaceholder(catalog, draft, row.path)}
                  value={row.values}
                  // Too many experiments is every row's values' problem.
                  aria-invalid={valuesInvalid}
                  {...(valuesDescribedBy ? { 'aria-describedby': valuesDescribedBy } : {})}
                  onChange={(e) => set(i, { ...row, values: e.target.value })}
                />
              </div>
              )}
              <button
                type="button"
                className="sweep-remove"
                aria-label={`Remove the sweep's row ${i + 1}`}
                onClick={() => {
                  onRows(rows.filter((_, k) => k !== i));
                  focusAfterRender(() => document.getElementById(`sweep-${i}-path`) ?? document.getElementById('sweep-add'));
                }}
                data-testid={`sweep-remove-${i}`}
              >
                Remove
              </button>
            </div>
            {/* Under the whole row, on a line of its own: inside the values' field it would push the select and Remove out of line with the values. */}
            {mine.length > 0 && (
              <div id={`sweep-${i}-problems`} className="field-error sweep-row-problems" data-testid={`sweep-problem-${i}`}>
                {mine.join('\n')}
              </div>
            )}
          </div>
        );
      })}
      {own.length > 0 && (
        <div className="field-error" id="sweep-problems" data-testid="sweep-problem">
          {own.join('\n')}
        </div>
      )}
      <button
        type="button"
        id="sweep-add"
        onClick={() => {
          // Open by the user's hand from here on: removing the last row does not fold the section away under them.
          setToggled(true);
          onRows([...rows, { path: firstUnused.path, values: '' }]);
          focusAfterRender(() => document.getElementById(`sweep-${rows.length}-path`));
        }}
        data-testid="sweep-add"
      >
        {random ? 'Add a parameter to draw' : 'Add a parameter to sweep'}
      </button>
      {/* The sweep's problems said as they come, politely, each with its row's parameter (the JSON view's words): the visible ones
          are the rows' descriptions, but a live region of a row's own would take room in the row's line while empty. */}
      <div className="sr-only" aria-live="polite" data-testid="sweep-said">
        {[...rows.flatMap((_, i) => (problems.get(`sweep[${i}]`) ?? []).map((line) => `sweep[${i}]: ${line}`)), ...own.map((line) => `sweep: ${line}`)]
          .map((line) => sweepProblemLine(line, rows, options))
          .join('\n')}
      </div>
    </details>
  );
}

/** The JSON view's line about a sweep: no part of the experiment file, yet Launch launches it. */
export function SweepNote({ summary, onEdit }: { summary: string; onEdit: () => void }) {
  return (
    <p className="muted small" data-testid="json-sweep">
      Sweep: {summary}, set in the form's Sweep section; this file is the experiment they are made from.{' '}
      <button type="button" className="link" onClick={onEdit} data-testid="json-sweep-edit">
        Edit the sweep
      </button>
    </p>
  );
}
