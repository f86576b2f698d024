/**
 * `aisle metrics <runId>`: a run's per-episode metrics as they are stored, for analysis elsewhere
 * (pandas, R, a spreadsheet): CSV with one row per episode, or JSON with one array per metric.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { NotFoundError } from '../main/store';
import { openStore, printJson, UsageError, type GlobalOptions } from './context';

export interface MetricsOptions extends GlobalOptions {
  /** Only these metrics, in this order (default: all, by name). */
  metric?: string[];
  from?: number;
  to?: number;
  output?: string;
}

/** Rows per write: a 1M-episode run is written in pieces, never built as one string. */
const ROWS_PER_WRITE = 8192;

export async function metricsCommand(runId: number, opts: MetricsOptions): Promise<number> {
  const store = openStore(opts);
  let columns: { name: string; values: Float32Array }[];
  let from: number;
  try {
    const run = store.getRun(runId);
    const names = opts.metric ?? store.metricNames(runId);
    if (names.length === 0) throw new UsageError(`run ${runId} has no metrics yet (status ${run.status})`);
    if (opts.from !== undefined && opts.to !== undefined && opts.to < opts.from) {
      throw new UsageError(`--to (${opts.to}) must not be below --from (${opts.from})`);
    }
    // Series may start at different episodes; the table covers the union, NaN (an empty cell) where
    // a metric has no value.
    const series = new Map(store.metricSeries(runId).map((s) => [s.name, s]));
    let first = Infinity;
    let end = 0;
    for (const name of names) {
      const s = series.get(name);
      if (!s) throw new NotFoundError('metric', name, `run ${runId} has ${[...series.keys()].join(', ')}`);
      first = Math.min(first, s.firstEpisode);
      end = Math.max(end, s.nextEpisode);
    }
    from = Math.max(first, opts.from ?? first);
    const to = Math.max(from, Math.min(end, opts.to ?? end));
    columns = names.map((name) => {
      const values = new Float32Array(to - from).fill(NaN);
      const s = series.get(name)!;
      const lo = Math.max(from, s.firstEpisode);
      const hi = Math.min(to, s.nextEpisode);
      if (lo < hi) values.set(store.readMetricRaw(runId, name, { from: lo, to: hi }), lo - from);
      return { name, values };
    });
  } finally {
    store.close();
  }
  if (opts.json) {
    const metrics: Record<string, (number | null)[]> = {};
    // Each value as its shortest float32 decimal (JSON has no NaN or Infinity: both become null).
    for (const { name, values } of columns) metrics[name] = Array.from(values, (v) => (Number.isFinite(v) ? Number(float32Text(v)) : null));
    const body = { runId, from, to: from + (columns[0]?.values.length ?? 0), metrics };
    if (opts.output) writeAll(opts.output, [`${JSON.stringify(body)}\n`]);
    else printJson(body);
    return 0;
  }
  const pieces = csvPieces(from, columns);
  if (opts.output) writeAll(opts.output, pieces);
  else for (const piece of pieces) if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
  return 0;
}

/** The CSV, header first, in pieces of ROWS_PER_WRITE rows (a generator: one piece in memory at a time). */
function* csvPieces(from: number, columns: readonly { name: string; values: Float32Array }[]): Generator<string> {
  yield `${['episode', ...columns.map((c) => csvField(c.name))].join(',')}\n`;
  const n = columns[0]?.values.length ?? 0;
  for (let start = 0; start < n; start += ROWS_PER_WRITE) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(n, start + ROWS_PER_WRITE); i++) {
      let line = String(from + i);
      for (const c of columns) line += `,${float32Text(c.values[i]!)}`;
      lines.push(line);
    }
    yield `${lines.join('\n')}\n`;
  }
}

function writeAll(file: string, pieces: Iterable<string>): void {
  const fd = openSync(file, 'w');
  try {
    for (const piece of pieces) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}

/** A metric name as a CSV field (quoted when it holds a comma, a quote or a line break). */
function csvField(name: string): string {
  return /[",\n\r]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

/**
 * The shortest decimal that reads back as the same float32 (0.1, not 0.10000000149011612, for a
 * stored 0.1); empty for NaN (no value at that episode). Nine significant digits always suffice.
 */
export function float32Text(v: number): string {
  if (Number.isNaN(v)) return '';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(v, -0)) return '-0';
  for (let digits = 1; digits < 9; digits++) {
    const text = v.toPrecision(digits);
    if (Math.fround(Number(text)) === v) return String(Number(text));
  }
  return String(Number(v.toPrecision(9)));
}
