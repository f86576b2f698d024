/** `aisle metrics <runId>`: a run's per-episode metrics as stored, as CSV or JSON (src/main/metrics-csv.ts). */
import { once } from 'node:events';
import { csvPieces, float32Text, metricTable, metricWindows, type MetricColumns, type MetricTable } from '../main/metrics-csv';
import { databaseInput, openStore, plural, printJson, reportLines, UsageError, type GlobalOptions } from './context';
import { writeOutput } from './output-files';

export interface MetricsOptions extends GlobalOptions {
  /** Only these metrics, in this order (default: all, by name). */
  metric?: string[];
  from?: number;
  to?: number;
  output?: string;
}

export async function metricsCommand(runId: number, opts: MetricsOptions): Promise<number> {
  const store = openStore(opts, { reads: true });
  // Open until the last piece is written: the columns are read a window of episodes at a time as
  // the writing goes (metricWindows), so a run of any length takes the same memory. All in one
  // snapshot, held on this command's own connection till then: a run another process deletes
  // meanwhile (the app, `aisle delete`) is written whole, as it was, where a window read after the
  // delete ended the output half-way with "does not exist". Held while a reader of standard output
  // takes its time (a pager), it keeps the database's log from being checkpointed back for that long.
  store.holdSnapshot();
  try {
    let table: MetricTable;
    try {
      table = metricTable(store, runId, { ...(opts.metric ? { metrics: opts.metric } : {}), ...(opts.from !== undefined ? { from: opts.from } : {}), ...(opts.to !== undefined ? { to: opts.to } : {}) });
    } catch (e) {
      throw e instanceof RangeError ? new UsageError(e.message) : e;
    }
    const pieces = opts.json
      ? metricsJsonPieces(table, (t) => metricWindows(store, t), opts.output ? 0 : 2)
      : csvPieces(
          table.series.map((s) => s.name),
          metricWindows(store, table),
        );
    if (opts.output) wrote(writeOutput('-o', opts.output, pieces, [databaseInput(opts)]), table, opts.json === true);
    else for (const piece of pieces) if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
    return 0;
  } finally {
    store.close();
  }
}

/**
 * The JSON of `{ runId, from, to, metrics: { <name>: [value, …] } }` as JSON.stringify writes it
 * (`indent` 0: -o's one line; 2: printJson's), and a newline, in pieces: each value as its shortest
 * float32 decimal, null for NaN and ±Infinity (JSON has neither). Made whole, it held every value as
 * a number and the text as one string (318 MB for 1M episodes of 5 metrics). `windows` reads the
 * columns of a table of one metric a window at a time.
 */
export function* metricsJsonPieces(table: MetricTable, windows: (table: MetricTable) => Iterable<MetricColumns>, indent: 0 | 2): Generator<string> {
  const nl = (depth: number) => (indent === 0 ? '' : `\n${' '.repeat(indent * depth)}`);
  const colon = indent === 0 ? ':' : ': ';
  const beforeFirst = nl(3);
  const between = `,${beforeFirst}`;
  // The keys in the order that an object given them one by one has, as the whole object was: names
  // that are array indices ("3") first, by value. Without a prototype, so a metric named `__proto__`
  // is a key like any other (a plain object's setter took it as its prototype and the metric was
  // left out of the text, though the CSV and the app have it).
  const order: Record<string, true> = Object.create(null) as Record<string, true>;
  for (const s of table.series) order[s.name] = true;
  const byName = new Map(table.series.map((s) => [s.name, s]));
  const series = Object.keys(order).map((name) => byName.get(name)!);
  yield `{${nl(1)}"runId"${colon}${table.runId},${nl(1)}"from"${colon}${table.from},${nl(1)}"to"${colon}${table.to},${nl(1)}"metrics"${colon}{`;
  for (let i = 0; i < series.length; i++) {
    const s = series[i]!;
    yield `${i > 0 ? ',' : ''}${nl(2)}${JSON.stringify(s.name)}${colon}[`;
    let first = true;
    for (const { columns } of windows({ ...table, series: [s] })) {
      const values = columns[0]!.values;
      if (values.length === 0) continue;
      let text = '';
      for (let j = 0; j < values.length; j++) {
        const v = values[j]!;
        // JSON.stringify(Number(float32Text(v))): float32Text's text is the number's own (String
        // writes it so), but -0 is written 0.
        text += `${first ? beforeFirst : between}${!Number.isFinite(v) ? 'null' : v === 0 ? '0' : float32Text(v)}`;
        first = false;
      }
      yield text;
    }
    yield first ? ']' : `${nl(2)}]`;
  }
  yield `${series.length > 0 ? nl(1) : ''}}${nl(0)}}\n`;
}

/** What -o wrote, as every command that writes a file says it (the data itself is in the file), the path given escaped (reportLines). */
function wrote(path: string, table: MetricTable, json: boolean): void {
  const episodes = table.to - table.from;
  const metrics = table.series.map((s) => s.name);
  if (json) printJson({ path, runId: table.runId, from: table.from, to: table.to, metrics });
  else reportLines([`wrote ${path}: ${plural(episodes, 'episode')} (${table.from} to ${table.to - 1}) × ${plural(metrics.length, 'metric')}`]);
}
