/**
 * Measures a shop from transaction logs (see calibrate-data.ts for the reading and the session
 * definition). Two streaming passes:
 *
 * 1. every row: per item the purchase lines and a price histogram (for the exact median unit
 *    price); per session its length (purchase lines), as a histogram.
 * 2. the top-N items by purchase lines: per session which of them were bought together (for the
 *    categories), and per (customer, item) in how many sessions the customer bought it (for the
 *    repeat-purchase rate).
 *
 * Categories are co-purchase clusters: item i's profile is its Ochiai similarity to every top item,
 * s(i,j) = n_ij / sqrt(n_i n_j) with n_ij the sessions that bought both (s(i,i) = 1), and the
 * profiles are grouped by spherical k-means (cosine) from a farthest-point start (the most popular
 * item, then repeatedly the item least similar to every chosen centre): no randomness, so the same
 * file always gives the same categories. Items that customers buy in the same visits end up in the
 * same category — the only notion of "similar" the data supports without descriptions.
 */
import { thousands, ValidationError } from '../engine/params';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { readEvents, Sessionizer } from './calibrate-data';
import { calibrationProgressLine, progressLine, type CalibrationProgress } from './calibrate-progress';
import { readableTwice } from './readable-twice';
import { onStopSignals, signalExitCode, signalName } from './signal-stop';

export interface CalibrateOptions {
  /** Top-N items by purchase lines. */
  items: number;
  /** Number of co-purchase categories (at most `items`). */
  categories: number;
  /** Largest gap, in minutes, between two purchase lines of one session. */
  gapMinutes: number;
}

export interface CalibratedItem {
  /** The stock code. */
  id: string;
  /** Purchase lines (rows) of the item. */
  purchases: number;
  /** Median unit price over its purchase lines. */
  medianPrice: number;
  /** Of the customers who bought it, the fraction who bought it again in a later session. */
  repeatRate: number;
  /** Co-purchase cluster index. */
  category: number;
}

export interface Calibration {
  rows: number;
  customers: number;
  invoices: number;
  itemsInData: number;
  firstTs: number;
  lastTs: number;
  sessions: number;
  /** Purchase lines per session: mean, quantiles. */
  sessionLength: { mean: number; median: number; p90: number; p95: number; p99: number; max: number };
  /** Top items, most purchased first. */
  items: CalibratedItem[];
  /** Per category the indices (into `items`) of its members, most purchased first. */
  categories: number[][];
  /** Share of all purchase lines that are of the top items. */
  topShare: number;
}

interface ItemStats {
  purchases: number;
  prices: Map<number, number>;
}

/**
 * The calibration of the events at `path`. `stop` throws once Ctrl-C (SIGTERM, SIGHUP) came, checked
 * as each chunk is read: a pipe's copy is removed then, as after an error. `onProgress` is told as
 * each chunk of either pass is read, and between the grouping's steps.
 */
export async function calibrate(path: string, label: string, opts: CalibrateOptions, stop?: () => void, onProgress?: (p: CalibrationProgress) => void): Promise<Calibration> {
  const source = await readableTwice(path, label, 'calibration reads it twice', stop);
  try {
    const calibration = await calibrateFile(source.path, label, opts, stop, onProgress);
    source.checkUnchanged();
    return calibration;
  } finally {
    source.dispose();
  }
}

/**
 * A turn of the event loop for a signal that came during synchronous work to reach its handler: a
 * timer's, whose poll phase reads it, where a setImmediate's turn after long work most often did not.
 */
function signalsLetIn(): Promise<void> {
  return new Promise((done) => setTimeout(done, 0));
}

/** What `stop` throws once a signal came: the reading stops there. */
class CalibrationStopped extends Error {}

/**
 * `aisle shop calibrate`'s calibration, stoppable: Ctrl-C, SIGTERM or SIGHUP stops the reading where
 * it is (a file near the 256 MB limit takes half a minute), removes a pipe's private copy and says
 * so on stderr; then the exit code, 128 + the signal's number (130 for Ctrl-C), is returned, and
 * nothing is to be written. Without handlers the signal ended the process at once, leaving the copy.
 */
export async function calibrateOrStop(path: string, label: string, opts: CalibrateOptions, show: { progress: boolean } = { progress: true }): Promise<Calibration | { stoppedExit: number }> {
  const signals = onStopSignals({});
  // On a terminal (not with --json), a line says where it is: the reading, then the grouping.
  const name = basename(label);
  const line = show.progress && process.stderr.isTTY ? progressLine((p: CalibrationProgress, seconds) => calibrationProgressLine(name, p, seconds), process.stderr) : undefined;
  const stopped = (signal: NodeJS.Signals) => {
    line?.release();
    process.stderr.write(`aisle: the calibration was stopped (${signalName(signal)}): nothing written\n`);
    return { stoppedExit: signalExitCode(signal) };
  };
  try {
    const calibration = await calibrate(
      path,
      label,
      opts,
      () => {
        if (signals.stoppedBy) throw new CalibrationStopped();
      },
      line?.onProgress,
    );
    await signalsLetIn(); // one that came during the last synchronous steps
    return signals.stoppedBy ? stopped(signals.stoppedBy) : calibration;
  } catch (e) {
    if (!signals.stoppedBy) throw e;
    return stopped(signals.stoppedBy);
  } finally {
    line?.release();
    signals.dispose();
  }
}

async function calibrateFile(path: string, label: string, opts: CalibrateOptions, stop?: () => void, onProgress?: (p: CalibrationProgress) => void): Promise<Calibration> {
  const gap = opts.gapMinutes * 60;
  const size = onProgress ? sizeOf(path) : 0;
  const read = (pass: 1 | 2) => (onProgress ? (bytes: number) => onProgress({ step: 'read', pass, bytes, size }) : undefined);

  // Pass 1: items, sessions.
  const items = new Map<string, ItemStats>();
  const lengths = new Map<number, number>();
  const invoices = new Set<string>();
  let firstTs = Infinity;
  let lastTs = -Infinity;
  const sessions1 = new Sessionizer(gap, (n) => lengths.set(n, (lengths.get(n) ?? 0) + 1));
  const rows = await readEvents(path, label, (row, line) => {
    const r = sessions1.add(row, -1, line);
    if (!('session' in r)) return r;
    let s = items.get(row.item);
    if (!s) items.set(row.item, (s = { purchases: 0, prices: new Map() }));
    s.purchases++;
    s.prices.set(row.price, (s.prices.get(row.price) ?? 0) + 1);
    invoices.add(row.invoice);
    if (row.ts < firstTs) firstTs = row.ts;
    if (row.ts > lastTs) lastTs = row.ts;
  }, stop, read(1));
  if (rows === 0) throw new ValidationError([`${label}: has a header but no purchase rows: add one row per purchase line below the header`]);
  // A shop recommends one item among others: a catalog of one leaves no choice to learn.
  if (items.size < 2) {
    const lines = rows === 1 ? 'its only purchase line is' : `all its ${thousands(rows)} purchase lines are`;
    throw new ValidationError([`${label}: ${lines} of one item (${[...items.keys()][0]}): a shop needs purchases of at least 2 items to calibrate`]);
  }
  const customers = sessions1.customers;
  sessions1.finish();

  // The top N by purchase lines; ties by stock code, so the choice never depends on file order.
  const ranked = [...items.entries()].sort((a, b) => b[1].purchases - a[1].purchases || (a[0] < b[0] ? -1 : 1));
  const top = ranked.slice(0, Math.min(opts.items, ranked.length));
  const n = top.length;
  const indexOf = new Map(top.map(([id], i) => [id, i]));

  // Pass 2: co-purchases and repeat purchases of the top items.
  const together = new Float64Array(n * n); // n_ij (diagonal: n_i), sessions
  const sessionsBought = new Map<string, { count: number; last: number }>(); // (customer, item) → sessions
  const sessions2 = new Sessionizer(gap, (_lines, bought) => {
    for (let a = 0; a < bought.length; a++) {
      for (let b = 0; b < bought.length; b++) together[bought[a]! * n + bought[b]!]! += 1;
    }
  });
  await readEvents(path, label, (row, line) => {
    const i = indexOf.get(row.item) ?? -1;
    const r = sessions2.add(row, i, line);
    if (!('session' in r) || i < 0) return;
    const key = `${row.customer}\t${i}`;
    const seen = sessionsBought.get(key);
    if (!seen) sessionsBought.set(key, { count: 1, last: r.session });
    else if (seen.last !== r.session) {
      seen.count++;
      seen.last = r.session;
    }
  }, stop, read(2));
  sessions2.finish();
  const buyers = new Float64Array(n);
  const repeaters = new Float64Array(n);
  for (const [key, v] of sessionsBought) {
    const i = Number(key.slice(key.lastIndexOf('\t') + 1));
    buyers[i]! += 1;
    if (v.count >= 2) repeaters[i]! += 1;
  }

  const k = Math.max(1, Math.min(opts.categories, n));
  // Its iterations take a second each for 2,000 items: a signal is let in between them.
  const assignment = await coPurchaseClusters(together, n, k, async () => {
    onProgress?.({ step: 'group', items: n, categories: k });
    await signalsLetIn();
    stop?.();
  });
  const catalogItems: CalibratedItem[] = top.map(([id, s], i) => ({
    id,
    purchases: s.purchases,
    medianPrice: medianOfHistogram(s.prices),
    repeatRate: buyers[i]! > 0 ? repeaters[i]! / buyers[i]! : 0,
    category: assignment[i]!,
  }));
  // Number categories by their most purchased member (category 0 holds the top item).
  const order: number[] = [];
  for (const it of catalogItems) if (!order.includes(it.category)) order.push(it.category);
  const renumber = new Map(order.map((c, j) => [c, j]));
  for (const it of catalogItems) it.category = renumber.get(it.category)!;
  const categories = order.map((_, j) => catalogItems.flatMap((it, i) => (it.category === j ? [i] : [])));

  let topPurchases = 0;
  for (const [, s] of top) topPurchases += s.purchases;
  return {
    rows,
    customers,
    invoices: invoices.size,
    itemsInData: items.size,
    firstTs,
    lastTs,
    sessions: [...lengths.values()].reduce((a, b) => a + b, 0),
    sessionLength: histogramSummary(lengths),
    items: catalogItems,
    categories,
    topShare: topPurchases / rows,
  };
}

/**
 * The file's size, for the progress line (readableTwice's copy of a pipe is a file too); 0 where it
 * has none to give: a missing file, which the reading then names as such (csvFileLines).
 */
function sizeOf(path: string): number {
  try {
    return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  } catch {
    return 0;
  }
}

/** The median of values given as value → count (the lower middle value for an even count). */
export function medianOfHistogram(h: ReadonlyMap<number, number>): number {
  return quantileOfHistogram(h, 0.5);
}

/** The smallest value whose cumulative count reaches q of the total. */
function quantileOfHistogram(h: ReadonlyMap<number, number>, q: number): number {
  const entries = [...h.entries()].sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((s, [, c]) => s + c, 0);
  const target = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [v, c] of entries) {
    seen += c;
    if (seen >= target) return v;
  }
  return entries[entries.length - 1]![0];
}

function histogramSummary(h: ReadonlyMap<number, number>): Calibration['sessionLength'] {
  let total = 0;
  let sum = 0;
  let max = 0;
  for (const [v, c] of h) {
    total += c;
    sum += v * c;
    if (v > max) max = v;
  }
  return {
    mean: sum / total,
    median: quantileOfHistogram(h, 0.5),
    p90: quantileOfHistogram(h, 0.9),
    p95: quantileOfHistogram(h, 0.95),
    p99: quantileOfHistogram(h, 0.99),
    max,
  };
}

/**
 * Spherical k-means on Ochiai co-purchase profiles (see the module comment). `together` is the
 * n × n session co-occurrence matrix with the per-item session counts on its diagonal. Returns a
 * cluster index per item. `between` is awaited between its steps (a signal let in there).
 */
export async function coPurchaseClusters(together: Float64Array, n: number, k: number, between: () => Promise<void> = async () => {}): Promise<Int32Array> {
  const profile = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < n; j++) {
      const denom = Math.sqrt(together[i * n + i]! * together[j * n + j]!);
      const s = i === j ? 1 : denom > 0 ? together[i * n + j]! / denom : 0;
      profile[i * n + j] = s;
      norm += s * s;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < n; j++) profile[i * n + j]! /= norm;
  }
  const cosine = (i: number, c: Float64Array, co: number) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += profile[i * n + j]! * c[co + j]!;
    return s;
  };
  // Farthest-point start: item 0 (the most popular), then the item least like any centre so far.
  const centres = new Float64Array(k * n);
  centres.set(profile.subarray(0, n), 0);
  const closest = new Float64Array(n).fill(-Infinity);
  for (let c = 1; c < k; c++) {
    if (c % 10 === 0) await between();
    let pick = -1;
    let lowest = Infinity;
    for (let i = 0; i < n; i++) {
      closest[i] = Math.max(closest[i]!, cosine(i, centres, (c - 1) * n));
      if (closest[i]! < lowest) {
        lowest = closest[i]!;
        pick = i;
      }
    }
    centres.set(profile.subarray(pick * n, pick * n + n), c * n);
  }
  const assignment = new Int32Array(n).fill(-1);
  for (let iteration = 0; iteration < 100; iteration++) {
    await between();
    let changed = false;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestCos = -Infinity;
      for (let c = 0; c < k; c++) {
        const v = cosine(i, centres, c * n);
        if (v > bestCos) {
          bestCos = v;
          best = c;
        }
      }
      if (assignment[i] !== best) {
        assignment[i] = best;
        changed = true;
      }
    }
    if (!changed) break;
    centres.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centres[assignment[i]! * n + j]! += profile[i * n + j]!;
    for (let c = 0; c < k; c++) {
      let norm = 0;
      for (let j = 0; j < n; j++) norm += centres[c * n + j]! ** 2;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let j = 0; j < n; j++) centres[c * n + j]! /= norm;
    }
  }
  return assignment;
}
