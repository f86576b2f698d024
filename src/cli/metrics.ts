/** `aisle metrics <runId>`: a run's per-episode metrics as stored, as CSV or JSON (src/main/metrics-csv.ts). */
import { once } from 'node:events';
import { csvPieces, float32Text, readMetricColumns, type MetricColumns } from '../main/metrics-csv';
import { databaseInput, openStore, plural, printJson, report, UsageError, type GlobalOptions } from './context';
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
  let table: MetricColumns;
  try {
    table = readMetricColumns(store, runId, { ...(opts.metric ? { metrics: opts.metric } : {}), ...(opts.from !== undefined ? { from: opts.from } : {}), ...(opts.to !== undefined ? { to: opts.to } : {}) });
  } catch (e) {
    throw e instanceof RangeError ? new UsageError(e.message) : e;
  } finally {
    store.close();
  }
  if (opts.json) {
    // Each value as its shortest float32 decimal (JSON has no NaN or Infinity: both become null).
    const metrics: Record<string, (number | null)[]> = {};
    for (const { name, values } of table.columns) metrics[name] = Array.from(values, (v) => (Number.isFinite(v) ? Number(float32Text(v)) : null));
    const body = { runId, from: table.from, to: table.to, metrics };
    if (opts.output) wrote(writeOutput('-o', opts.output, `${JSON.stringify(body)}\n`, [databaseInput(opts)]), runId, table, true);
    else printJson(body);
    return 0;
  }
  const pieces = csvPieces(table);
  if (opts.output) wrote(writeOutput('-o', opts.output, pieces, [databaseInput(opts)]), runId, table, false);
  else for (const piece of pieces) if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
  return 0;
}

/** What -o wrote, as every command that writes a file says it (the data itself is in the file). */
function wrote(path: string, runId: number, table: MetricColumns, json: boolean): void {
  const episodes = table.to - table.from;
  const metrics = table.columns.map((c) => c.name);
  if (json) printJson({ path, runId, from: table.from, to: table.to, metrics });
  else report(`wrote ${path}: ${plural(episodes, 'episode')} (${table.from} to ${table.to - 1}) × ${plural(metrics.length, 'metric')}\n`);
}
