/**
 * A run's per-episode metrics as a table, for analysis elsewhere (pandas, R, a spreadsheet): read
 * from the store as stored, written as CSV with one row per episode. Shared by `aisle metrics` and
 * the app's "Metrics CSV" (runs.metricsCsv).
 */
import { plural } from '../shared/text';
import { NotFoundError, type Store } from './store';

export interface MetricColumns {
  /** The first episode of the table. */
  readonly from: number;
  /** One past its last episode. */
  readonly to: number;
  /** One column per metric, NaN where the metric has no value at an episode. */
  readonly columns: readonly { readonly name: string; readonly values: Float32Array }[];
}

export interface MetricColumnsOptions {
  /** Only these metrics, in this order (default: all, by name). */
  readonly metrics?: readonly string[];
  readonly from?: number;
  readonly to?: number;
  /** Refuse (TooManyValuesError) a table of more values than this, before reading any. */
  readonly maxValues?: number;
}

/** The table asked for holds more values than `maxValues` allowed; nothing was read. */
export class TooManyValuesError extends RangeError {
  constructor(
    readonly runId: number,
    readonly values: number,
    readonly maxValues: number,
  ) {
    super(`run ${runId} has ${values} metric values, more than ${maxValues}`);
  }
}

/** Rows per CSV piece: a 1M-episode run is written in pieces, never built as one string by csvPieces. */
const ROWS_PER_PIECE = 8192;

/**
 * The table asked for, its values not yet read: the episodes [from, to) and the metrics, each with
 * the episodes it had stored when asked (a window reads within them, so a run still writing adds
 * no row to a table begun).
 */
export interface MetricTable {
  readonly runId: number;
  readonly from: number;
  readonly to: number;
  readonly series: readonly { readonly name: string; readonly firstEpisode: number; readonly nextEpisode: number }[];
}

/**
 * Episodes per column read at once by metricWindows: 65,536 × 4 bytes = 256 KB a metric, where
 * reading every column whole held 4 bytes a value (200 MB for 10M episodes of 5 metrics) before a
 * byte was written. A multiple of ROWS_PER_PIECE, so the pieces are those of the whole table.
 */
export const WINDOW_EPISODES = 65_536;

/**
 * The table of a run's metrics over episodes [from, to), clamped to what is stored, its values not
 * read (metricWindows reads them). Series may start at different episodes; the table covers their
 * union. Throws NotFoundError for an unknown run or metric (naming the run's metrics), RangeError
 * for no metrics, `to` below `from` or a range that holds no stored episode, and TooManyValuesError
 * past `maxValues`. A metric named twice is one column.
 */
export function metricTable(store: Store, runId: number, options: MetricColumnsOptions = {}): MetricTable {
  const run = store.getRun(runId);
  const series = new Map(store.metricSeries(runId).map((s) => [s.name, s]));
  // A metric named twice is one column (the first place it was named), not two identical ones.
  const names = options.metrics ? [...new Set(options.metrics)] : [...series.keys()];
  if (names.length === 0) throw new RangeError(`run ${runId} has no metrics yet (status ${run.status})`);
  if (options.from !== undefined && options.to !== undefined && options.to < options.from) {
    // With the fix, as a backwards range of ids gives it ("write the lower first").
    throw new RangeError(`--to (${options.to}) must not be below --from (${options.from}): give the lower first, --from ${options.to} --to ${options.from} (--to is not included)`);
  }
  // --to is not included, so an equal pair is an empty table: surely not what was meant.
  if (options.from !== undefined && options.from === options.to) {
    throw new RangeError(`--from ${options.from} --to ${options.to} holds no episodes (--to is not included): give --to ${options.to + 1} for episode ${options.from} alone`);
  }
  const unknown = names.filter((name) => !series.has(name));
  if (unknown.length > 0) throw new NotFoundError('metric', unknown, series.size === 0 ? `run ${runId} has no metrics yet (status ${run.status})` : `run ${runId} has ${[...series.keys()].join(', ')}`);
  const chosen = names.map((name) => {
    const { firstEpisode, nextEpisode } = series.get(name)!;
    return { name, firstEpisode, nextEpisode };
  });
  let first = Infinity;
  let end = 0;
  for (const s of chosen) {
    first = Math.min(first, s.firstEpisode);
    end = Math.max(end, s.nextEpisode);
  }
  // A range past the stored episodes is a mistake in it, not an empty table.
  const stored = end > first ? `it has ${plural(end - first, 'episode')}, ${first} to ${end - 1}` : 'it has none yet';
  if (options.from !== undefined && options.from >= end) {
    throw new RangeError(`--from ${options.from}: run ${runId} has no episodes from ${options.from} (${stored}): give a --from below ${end}`);
  }
  if (options.to !== undefined && options.to <= first) {
    throw new RangeError(`--to ${options.to}: run ${runId} has no episodes before ${options.to} (${stored}): give a --to above ${first}`);
  }
  const from = Math.max(first, options.from ?? first);
  const to = Math.max(from, Math.min(end, options.to ?? end));
  const values = (to - from) * names.length;
  if (options.maxValues !== undefined && values > options.maxValues) throw new TooManyValuesError(runId, values, options.maxValues);
  return { runId, from, to, series: chosen };
}

/**
 * The table's columns a window of `windowEpisodes` episodes at a time, in order, each read from
 * the store as it is asked for, never more than a window of them held.
 */
export function* metricWindows(store: Store, table: MetricTable, windowEpisodes = WINDOW_EPISODES): Generator<MetricColumns> {
  if (!(Number.isInteger(windowEpisodes) && windowEpisodes > 0)) throw new RangeError(`windowEpisodes must be a whole number above 0, got ${windowEpisodes}`);
  for (let start = table.from; start < table.to; start += windowEpisodes) {
    yield readMetricWindow(store, table, start, Math.min(table.to, start + windowEpisodes));
  }
}

/** The table's columns over episodes [from, to), NaN where a metric has no value. */
function readMetricWindow(store: Store, table: MetricTable, from: number, to: number): MetricColumns {
  const columns = table.series.map(({ name, firstEpisode, nextEpisode }) => {
    const values = new Float32Array(to - from).fill(NaN);
    const lo = Math.max(from, firstEpisode);
    const hi = Math.min(to, nextEpisode);
    if (lo < hi) values.set(store.readMetricRaw(table.runId, name, { from: lo, to: hi }), lo - from);
    return { name, values };
  });
  return { from, to, columns };
}

/**
 * The CSV (`episode,<metric>,…`, an empty cell where a metric has no value) of the metrics `names`,
 * header first, in pieces, made from the columns `windows` gives in order (one table, or
 * metricWindows's).
 */
export function* csvPieces(names: readonly string[], windows: Iterable<MetricColumns>): Generator<string> {
  yield `${['episode', ...names.map(csvField)].join(',')}\n`;
  for (const { from, to, columns } of windows) {
    for (let start = 0; start < to - from; start += ROWS_PER_PIECE) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(to - from, start + ROWS_PER_PIECE); i++) {
        let line = String(from + i);
        for (const c of columns) line += `,${float32Text(c.values[i]!)}`;
        lines.push(line);
      }
      yield `${lines.join('\n')}\n`;
    }
  }
}

/** A metric name as a CSV field (quoted when it holds a comma, a quote or a line break). */
function csvField(name: string): string {
  return /[",\n\r]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

/**
 * The shortest decimal that reads back as the same float32 (0.1, not 0.10000000149011612, for a
 * stored 0.1); empty for NaN (no value at that episode). Nine significant digits always suffice.
 * Its text is float32TextByParsing's, character for character; between 1e-4 and 1e9, where metrics
 * live, it is reached with arithmetic instead of a toPrecision and a parse per digit count (~1 µs a
 * value: 4.9 s of CPU for the CSV of a 1M-episode run of 5 metrics).
 */
export function float32Text(v: number): string {
  const a = Math.abs(v);
  if (!(a >= 1e-4 && a < 1e9)) return float32TextByParsing(v); // NaN, ±0 and ±Infinity too
  // An integer below 2^24 is a float32 whose neighbours are at most 1 away: its every rounding to
  // fewer digits is another integer, a float32 of its own, so all its digits are needed.
  if (a < 16_777_216 && Number.isInteger(a)) return String(v);
  let e = Math.floor(Math.log10(a)); // 10^e ≤ a < 10^(e+1), should log10 round across a power of ten
  if (scaled(a, -e) < 1) e--;
  else if (scaled(a, -e - 1) >= 1) e++;
  // toPrecision(digits) reads as n·10^-k: n the integer nearest a·10^k (ties to the larger), k =
  // digits − 1 − e. The first count that reads back as a wins, as in float32TextByParsing, even
  // where a later count would read back closer: at a power of 2 the float32 below is half as far as
  // the one above, so reading back is not monotonic in the count (a search by halves failed there).
  // Counts 1 to 5 need no trial: a's rounding interval is at most ulp(a) ≤ a·2^-23 < 10^(e−5.9)
  // wide, less than the 10^(e−d) between decimals of d + 1 ≤ 6 digits, so at most one of those
  // reads back as a; when toPrecision(d) does, it is that one, and toPrecision(d + 1), no further
  // from a, is the same number. Count 6 gives the number of the first count ≤ 6 that reads back.
  let n = 0;
  let k = 0;
  for (let digits = 6; digits <= 9; digits++) {
    k = digits - 1 - e; // -3 to 12
    // a·10^k is exact for k ≥ 0 (a's 24 bits by 5^k's ≤ 28), so Math.round rounds it as toPrecision
    // does. a / 10^-k is rounded, but a's 24 bits keep it 2^-24 of itself or more from a half-way
    // point unless it is one, so that rounding cannot carry it across one.
    n = k >= 0 ? Math.round(a * POW10[k]!) : Math.round(a / POW10[-k]!);
    // n / 10^k and n · 10^-k (n < 2^53, 10^|k| exact) are each one correctly rounded operation: the
    // double that toPrecision's text reads as. The ninth digit always reads back.
    if (digits === 9 || Math.fround(k >= 0 ? n / POW10[k]! : n * POW10[-k]!) === a) break;
  }
  return (v < 0 ? '-' : '') + decimalText(n, k);
}

/** Powers of ten exact as doubles; float32Text uses 10^0 to 10^12. */
const POW10 = Array.from({ length: 13 }, (_, i) => 10 ** i);

/** a·10^k, compared with 1 exactly, for 1e-4 ≤ a < 1e9 and -10 ≤ k ≤ 5. */
function scaled(a: number, k: number): number {
  return k >= 0 ? a * POW10[k]! : a / POW10[-k]!;
}

/**
 * n·10^-k (n ≥ 1, at most 10 digits) as String writes the double nearest it between 1e-7 and 1e21:
 * its digits without trailing zeros, in fixed notation. No shorter decimal reads as that double
 * (decimals of ≤ 10 digits are ≥ 10^-10 of themselves apart, doubles 2^-52), so String's shortest
 * digits are these; they are written here because String(double) was half of float32Text's time.
 */
function decimalText(n: number, k: number): string {
  if (k <= 0) return String(n * POW10[-k]!);
  while (k > 0 && n % 10 === 0) {
    n /= 10;
    k--;
  }
  const digits = String(n);
  if (k === 0) return digits;
  return digits.length > k ? `${digits.slice(0, -k)}.${digits.slice(-k)}` : `0.${'0'.repeat(k - digits.length)}${digits}`;
}

/**
 * float32Text's definition, and its path outside 1e-4 ≤ |v| < 1e9: the first of toPrecision(1…9)
 * that reads back as v, as JavaScript writes that number.
 */
export function float32TextByParsing(v: number): string {
  if (Number.isNaN(v)) return '';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(v, -0)) return '-0';
  for (let digits = 1; digits < 9; digits++) {
    const text = v.toPrecision(digits);
    if (Math.fround(Number(text)) === v) return String(Number(text));
  }
  return String(Number(v.toPrecision(9)));
}
