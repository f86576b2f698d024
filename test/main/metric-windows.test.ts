// The metrics export read a window of episodes at a time (metricWindows), so that a run of any
// length takes the same memory: its windows, with tiny sizes injected to cross the store's chunks
// and the series' starts, ends and gaps, hold exactly the values of the table read whole, and the
// CSV and `aisle metrics --json`'s text made from them are the bytes made from the whole table.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metricsJsonPieces } from '../../src/cli/metrics';
import { csvPieces, float32Text, metricTable, metricWindows, WINDOW_EPISODES, type MetricColumns, type MetricColumnsOptions } from '../../src/main/metrics-csv';
import { CHUNK_EPISODES, Store } from '../../src/main/store';

const ZERO_HASH = '0'.repeat(64);
const SIZES = [1, 7, CHUNK_EPISODES - 1, CHUNK_EPISODES, CHUNK_EPISODES + 1, 10_000, WINDOW_EPISODES];

let store: Store;
let runId: number;

/** n values from a seeded generator, with NaN, -0, ±Infinity and tiny and huge numbers among them. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  const odd = [NaN, -0, 0, Infinity, -Infinity, 1e-7, 3.4e38, -1.5e-45, 0.1, 16_777_217];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s % 17 === 0 ? odd[s % odd.length]! : (s / 2 ** 32 - 0.5) * 10 ** ((s % 13) - 4);
  }
  return out;
}

beforeEach(() => {
  store = Store.open(':memory:');
  runId = store.createExperimentWithRuns({
    name: 'windows',
    config: {},
    configHash: ZERO_HASH,
    runs: [{ seed: 1, config: {}, configHash: ZERO_HASH, appVersion: 'test', episodesTotal: 20_000 }],
  }).runs[0]!.id;
  // Series of different spans: `a` from 0, `b` starting later and ending last, `c` with a gap of
  // episodes it has no value at; names JSON and an object order in their own ways.
  store.appendMetrics(runId, { start: 0, count: 9_000, columns: { a: values(9_000, 1), '10': values(9_000, 4), ['__proto__']: values(9_000, 5) } });
  store.appendMetrics(runId, { start: 3_000, count: 12_000, columns: { b: values(12_000, 2), '2': values(12_000, 6) } });
  store.appendMetrics(runId, { start: 0, count: 10, columns: { 'c,"d"': values(10, 3) } });
  store.appendMetrics(runId, { start: 10_000, count: 5, columns: { 'c,"d"': values(5, 7) } });
});

afterEach(() => store.close());

/** The windows' columns put end to end, checking each follows the last and is no longer than `size`. */
function joined(windows: Iterable<MetricColumns>, from: number, size: number): MetricColumns {
  const parts: MetricColumns[] = [];
  let at = from;
  for (const w of windows) {
    expect(w.from).toBe(at);
    expect(w.to - w.from).toBeGreaterThan(0);
    expect(w.to - w.from).toBeLessThanOrEqual(size);
    at = w.to;
    parts.push(w);
  }
  const names = parts[0]!.columns.map((c) => c.name);
  return {
    from,
    to: at,
    columns: names.map((name, i) => {
      const out = new Float32Array(at - from);
      for (const p of parts) out.set(p.columns[i]!.values, p.from - from);
      return { name, values: out };
    }),
  };
}

/**
 * The table `options` asks for, read whole: each column its series' stored values at their episodes
 * and NaN elsewhere, read here from the store alone (the export reads it window by window).
 */
function readWhole(options: MetricColumnsOptions): MetricColumns {
  const { from, to, series } = metricTable(store, runId, options);
  return {
    from,
    to,
    columns: series.map(({ name, firstEpisode }) => {
      const stored = store.readMetricRaw(runId, name);
      return { name, values: Float32Array.from({ length: to - from }, (_, i) => stored[from + i - firstEpisode] ?? NaN) };
    }),
  };
}

const TABLES: MetricColumnsOptions[] = [{}, { metrics: ['b', 'a', 'c,"d"'], from: 2_999, to: 10_003 }, { metrics: ['c,"d"'], from: 5 }, { from: 14_999 }];

describe('metricWindows', () => {
  it.each(TABLES)("gives the whole table read window by window: each series' stored values at its episodes, NaN elsewhere (%j)", (options) => {
    const whole = readWhole(options);
    const table = metricTable(store, runId, options);
    for (const size of SIZES) expect(joined(metricWindows(store, table, size), table.from, size)).toEqual(whole);
  });

  it('reads what was stored when the table was asked for, as a run still writing adds episodes', () => {
    const table = metricTable(store, runId, { metrics: ['a'] });
    const before = readWhole({ metrics: ['a'] });
    store.appendMetrics(runId, { start: 9_000, count: 100, columns: { a: values(100, 9) } });
    expect(joined(metricWindows(store, table, 7), table.from, 7)).toEqual(before);
  });

  it('refuses a window that is not a whole number above 0', () => {
    const table = metricTable(store, runId);
    for (const size of [0, -1, 1.5, NaN]) expect(() => [...metricWindows(store, table, size)]).toThrow(`windowEpisodes must be a whole number above 0, got ${size}`);
  });
});

describe('the export, window by window', () => {
  it.each(TABLES)("writes the whole table's CSV (%j)", (options) => {
    const whole = readWhole(options);
    const names = whole.columns.map((c) => c.name);
    const text = [...csvPieces(names, [whole])].join('');
    expect(text.split('\n')[0]).toBe(['episode', ...names.map((n) => (n === 'c,"d"' ? '"c,""d"""' : n))].join(','));
    expect(text.split('\n')).toHaveLength(whole.to - whole.from + 2);
    const table = metricTable(store, runId, options);
    for (const size of SIZES) expect([...csvPieces(names, metricWindows(store, table, size))].join('')).toBe(text);
  });

  it.each(TABLES)("writes `aisle metrics --json`'s text as JSON.stringify wrote the whole table, one line and pretty (%j)", (options) => {
    // The body as the command made it before it wrote in pieces (commit 90a72da4), word for word,
    // but for `__proto__`, which that plain object took as its prototype: a key here (no prototype).
    const whole = readWhole(options);
    const metrics = Object.create(null) as Record<string, (number | null)[]>;
    for (const { name, values } of whole.columns) metrics[name] = Array.from(values, (v) => (Number.isFinite(v) ? Number(float32Text(v)) : null));
    const body = { runId, from: whole.from, to: whole.to, metrics };
    const table = metricTable(store, runId, options);
    for (const size of SIZES) {
      const windows = (t: typeof table) => metricWindows(store, t, size);
      expect([...metricsJsonPieces(table, windows, 0)].join('')).toBe(`${JSON.stringify(body)}\n`);
      expect([...metricsJsonPieces(table, windows, 2)].join('')).toBe(`${JSON.stringify(body, null, 2)}\n`);
    }
  });

  it('writes a metric named __proto__ as any other, where the whole object left it out', () => {
    const table = metricTable(store, runId, { metrics: ['__proto__', 'a'], to: 3 });
    const pieces = (indent: 0 | 2) => [...metricsJsonPieces(table, (t) => metricWindows(store, t, 2), indent)].join('');
    const whole = readWhole({ metrics: ['__proto__', 'a'], to: 3 });
    const column = (i: number) => Array.from(whole.columns[i]!.values, (v) => (Number.isFinite(v) ? Number(float32Text(v)) : null));
    for (const indent of [0, 2] as const) {
      const parsed = JSON.parse(pieces(indent)) as { metrics: Record<string, unknown> };
      expect(Object.keys(parsed.metrics)).toEqual(['__proto__', 'a']);
      expect(parsed.metrics['__proto__']).toEqual(column(0));
      expect(parsed.metrics['a']).toEqual(column(1));
    }
    expect(pieces(0)).toContain(`"metrics":{"__proto__":[`);
  });
});
