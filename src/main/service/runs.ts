/** Runs: the paged list, one run's detail, cancelling, deleting, and downsampled metric series. */
import type { GreedyReport } from '../../engine/mdp/solve';
import { envEpisodeMarks, envMetricRanges } from '../../engine/registry';
import type { MetricSummary } from '../../engine/train';
import type { Handlers, RunNotStored } from '../../shared/contract';
import { ContractFailure, toContractError } from '../../shared/dispatch';
import type { CheckpointSummary, GreedyScore, RunDetail, RunMetricSummary, RunStatus, RunSummary, Series } from '../../shared/dto';
import { whyNotCancelled } from '../../shared/text';
import type { JobPool } from '../jobs/pool';
import { RESUMABLE_FROM, type CheckpointInfo, type RunListItem, type Store } from '../store';
import { nothingToExport } from '../policy-export';
import { storedSummary } from '../stored-summary';
import { csvPieces, metricTable, metricWindows, TooManyValuesError, type MetricTable } from '../metrics-csv';
import { listedEnvConfig, runFingerprint, type RunConfig } from './configs';
import { recoverDeadOwners, type ServiceContext } from './context';
import { noQTableReason } from './no-qtable';

type RunHandlers = Pick<Handlers, 'runs.list' | 'runs.get' | 'runs.cancel' | 'runs.delete' | 'runs.stored' | 'runs.metrics' | 'runs.metricsCsv'>;

/**
 * The most values runs.metricsCsv writes (~100 MB of CSV): it holds the CSV as one string and
 * answers it as one message (the app's export of a 1M-episode run of 5 metrics, 43 MB, this way
 * took the server from 76 to 390 MB). The app itself no longer calls it: it saves through
 * metricsCsv's pieces (the desktop app's main writes the file; the browser mode's host streams it).
 * A larger run is exported with `aisle metrics`.
 */
export const MAX_CSV_VALUES = 10_000_000;

/**
 * The most values the app's Metrics CSV writes (the desktop app's save, the browser mode's
 * streamed download). The server holds a window of episodes and one piece of CSV at a time
 * (metricWindows, csvPieces), so its memory no longer grows with the run (measured in the browser
 * mode: 1M episodes of 5 metrics, 78 to 150 MB; 10M, the old cap, 78 to 175 MB, where reading the
 * columns whole took ~8 bytes a value plus ~50 MB). What is left is a bound on the file: ~9 bytes
 * a value, ~1.8 GB of CSV here (40M episodes of 5 metrics), which a spreadsheet cannot open and the
 * browser mode's page keeps as one Blob until saved where the browser cannot stream it into a
 * file (Firefox, Safari: no showSaveFilePicker; Chromium streams it, 8e441c2e). A larger run is exported with `aisle metrics`.
 */
export const MAX_STREAMED_CSV_VALUES = 200_000_000;

/** A run's metrics CSV, not yet written: its pieces are made as they are read. */
export interface MetricsCsv {
  readonly fileName: string;
  readonly episodes: number;
  readonly metrics: readonly string[];
  readonly pieces: Iterable<string>;
}

/**
 * Every stored episode of every metric of run `id` as CSV pieces (csvPieces), its values read from
 * `store` a window of episodes at a time as the pieces are made: runs.metricsCsv's and the host's
 * streamed download's. Throws ContractFailure 409 for a run without metrics, or of more values than
 * `maxValues` (naming `aisle metrics`, which has no limit), NotFoundError for an unknown run.
 */
export function metricsCsv(store: Store, id: number, maxValues: number): MetricsCsv {
  const table = csvTable(store, id, maxValues);
  const metrics = table.series.map((s) => s.name);
  return { fileName: `run-${id}-metrics.csv`, episodes: table.to - table.from, metrics, pieces: csvPieces(metrics, metricWindows(store, table)) };
}

/**
 * metricsCsv for the app's Metrics CSV (the desktop app's save, the browser mode's download), whose
 * pieces are written with awaits between them (the file, the client): its values are read in one
 * snapshot held from its first piece to its last, on a connection of its own (Store.openSnapshot),
 * so a run deleted meanwhile (by another process, or this one's Delete) is written whole, as it
 * was when the writing began, where a window read after the delete ended the file half-way with a
 * 404. The snapshot begins with the first piece, not here: a save dialog left open holds none. A
 * run deleted before then is a 404 before any byte. The snapshot ends with the pieces (their last,
 * a failure, or the writer giving up and returning the iterator); the database's log grows by what
 * is written meanwhile, and is checkpointed after.
 */
export function streamedMetricsCsv(store: Store, id: number, maxValues: number): MetricsCsv {
  const table = csvTable(store, id, maxValues);
  const metrics = table.series.map((s) => s.name);
  return { fileName: `run-${id}-metrics.csv`, episodes: table.to - table.from, metrics, pieces: snapshotPieces(store, table, metrics) };
}

function* snapshotPieces(store: Store, table: MetricTable, metrics: readonly string[]): Generator<string> {
  const reader = store.openSnapshot();
  try {
    const from = reader ?? store;
    from.getRun(table.runId); // gone since its table was read: 404 now, before the header
    yield* csvPieces(metrics, metricWindows(from, table));
  } finally {
    reader?.close();
  }
}

/** The table of every stored metric of run `id`, refused as metricsCsv says. */
function csvTable(store: Store, id: number, maxValues: number): MetricTable {
  let table: MetricTable;
  try {
    table = metricTable(store, id, { maxValues }); // 404 for an unknown run
  } catch (e) {
    if (e instanceof TooManyValuesError) {
      throw new ContractFailure(`${e.message} (the most the app exports at once): export it with \`aisle metrics ${id} -o run-${id}-metrics.csv\``, 409);
    }
    throw e instanceof RangeError ? new ContractFailure(e.message, 409) : e; // no metrics yet
  }
  return table;
}

/** Run detail's fixed part (the config as listed, and its fingerprint), kept for this many runs. */
const CACHED_RUN_CONFIGS = 32;

type FixedDetail = Pick<RunDetail, 'config' | 'fingerprint' | 'episodeMarks' | 'metricRanges'>;

export function runHandlers(ctx: ServiceContext): RunHandlers {
  const { store, lab } = ctx;
  // A live run's detail is read every 2 s; its config never changes and can be tens of MB (an
  // inline MDP), so it is parsed once per run, not on every read. Keyed by id and config hash
  // (ids are reused after a database is swapped for another).
  const fixedDetails = new Map<string, FixedDetail>();
  const fixedDetail = (id: number, configHash: string): FixedDetail => {
    const key = `${id}:${configHash}`;
    let fixed = fixedDetails.get(key);
    if (fixed) fixedDetails.delete(key); // most recently used last
    else {
      const config = store.getRunConfig(id) as RunConfig;
      fixed = {
        config: { env: listedEnvConfig(config.env), agent: config.agent, episodes: config.episodes, seed: config.seed },
        fingerprint: runFingerprint({ configHash, config }),
        episodeMarks: envEpisodeMarks(config.env),
        metricRanges: envMetricRanges(config.env.id),
      };
      if (fixedDetails.size >= CACHED_RUN_CONFIGS) fixedDetails.delete(fixedDetails.keys().next().value!);
    }
    fixedDetails.set(key, fixed);
    return fixed;
  };
  return {
    // In one snapshot (Store.snapshot): the page's total, its rows and a running run's stored returns
    // are of one moment, where a run another process deleted between them was counted in the
    // total and missing from the rows.
    'runs.list': ({ experimentId, status, search, stored, sort, descending, offset, limit }) =>
      store.snapshot(() => {
        const page = store.listRunItems({
          ...(experimentId !== undefined ? { experimentId } : {}),
          ...(status !== undefined ? { status } : {}),
          ...(search !== undefined ? { search } : {}),
          ...(stored !== undefined ? { stored } : {}),
          sort,
          descending,
          offset,
          limit,
        });
        // A running run has no summary yet: its last 100 stored returns stand in (the last chunk or
        // two of one series, and only for the page's rows). A run that stopped without a summary has
        // them stored when it ends; one that stopped before that was done (an older database) is read.
        const runs = page.runs.map((r) => (r.status !== 'queued' && r.returnLast100 === null ? { ...r, returnLast100: store.storedReturnLast100(r.id) } : r));
        const elsewhere = trainedElsewhere(ctx);
        return { total: page.total, runs: runs.map((r) => toRunSummary(r, elsewhere(r))) };
      }),

    'runs.get': ({ id, onlyStored }) =>
      storedRead(store, id, onlyStored, () => {
        const item = store.getRunItem(id);
        const run = store.getRunState(id);
        const { config, fingerprint, episodeMarks, metricRanges } = fixedDetail(id, run.configHash);
        const metrics = store.metricNames(id);
        const own = (run.summary ?? {}) as Record<string, MetricSummary>;
        // The run's own summary when it wrote one (float64, as training computed it), with the stored
        // values' count; else the episodes stored so far. Their tails are read only where needed: a
        // finished run whose last chunk was damaged on disk still opens (its charts say the damage).
        const soFar = Object.keys(own).length === 0;
        // Its own keys only: `own.constructor` of a plain object is Object, which stood in for a
        // metric named `constructor` that the summary lacked (its mean lost); no prototype in
        // `summary`, so a metric named `__proto__` is a key.
        const ownOf = (name: string) => (Object.hasOwn(own, name) ? own[name] : undefined);
        const stored = storedSummary(store, id, (name) => soFar || !ownOf(name));
        const summary = Object.create(null) as Record<string, RunMetricSummary>;
        for (const [name, s] of Object.entries(stored)) {
          const kept = soFar ? undefined : ownOf(name);
          summary[name] = kept ? { ...kept, values: s.values } : s;
        }
        const detail: RunDetail = {
          ...toRunSummary(item, trainedElsewhere(ctx)(item)),
          config,
          appVersion: run.appVersion,
          summary,
          summarySoFar: soFar && metrics.length > 0,
          greedy: (run.greedy ?? null) as GreedyReport | null,
          metrics,
          checkpoints: store.listCheckpoints(id).map(toCheckpointSummary),
          fingerprint,
          episodeMarks,
          metricRanges,
          resumableAt: RESUMABLE_FROM.includes(item.status) ? (store.resumableAt(id) ?? (item.episodesDone === 0 ? 0 : null)) : null,
        };
        const description = store.experimentDescription(item.experimentId);
        // Every checkpoint is a Q-table or a network, which a policy file exports from.
        const ended = detail.status !== 'queued' && detail.status !== 'running';
        const nothing = ended && detail.checkpoints.length === 0 ? nothingToExport(id, detail.status, detail.episodesDone, detail.agentId) : undefined;
        const noQTable = noQTableReason(id, detail.status, detail.agentId, detail.checkpoints.map((c) => c.kind));
        return { ...detail, ...(description ? { experimentDescription: description } : {}), ...(nothing !== undefined ? { nothingToExport: nothing } : {}), ...(noQTable !== undefined ? { noQTable } : {}) };
      }),

    'runs.cancel': ({ ids }) => {
      recoverDeadOwners(ctx); // a run left running by a process that died is interrupted, not another's to cancel
      const runs = ids.map((id) => store.getRunItem(id)); // every id is known before anything changes
      // A run another process trains is that process's to cancel: left alone, and named in the
      // answer with where to stop it; the others asked are cancelled all the same.
      const elsewhere = runs.filter(trainedElsewhere(ctx));
      const cancelled: number[] = [];
      for (const run of runs) {
        if (elsewhere.includes(run)) continue;
        if (lab.pool.cancel(run.id)) cancelled.push(run.id);
        else if (run.status === 'queued' && !store.otherSessionsAlive()) {
          // Queued in the database, in no queue of this process, and no other process is open:
          // left by one that crashed, and nothing will ever run it.
          // A resumed one keeps the state it was to continue from.
          store.finishRun(run.id, 'cancelled', { summary: {}, error: 'cancelled: it was queued by a process that is gone', state: 'kept' });
          ctx.emit('run.status', { runId: run.id, experimentId: run.experimentId, status: 'cancelled' });
          cancelled.push(run.id);
        }
        // Finished runs need nothing.
      }
      return { cancelled, elsewhere: elsewhere.length > 0 ? { runIds: elsewhere.map((r) => r.id), message: whyNotCancelled(elsewhere) } : null };
    },

    'runs.delete': ({ ids }) => {
      recoverDeadOwners(ctx);
      const runs = runsToDelete(store, lab.pool, ids);
      const unlinksPolicies = exportedFromAny(store, runs); // policies outlive their run, without it
      store.deleteRuns(runs.map((r) => r.id)); // one transaction: a lock taken between two runs leaves none half-deleted
      ctx.forgetDeleted({ runIds: runs.map((r) => r.id) });
      for (const experimentId of new Set(runs.map((r) => r.experimentId))) ctx.emit('experiments.changed', { experimentId });
      if (unlinksPolicies) ctx.emit('policies.changed', {});
      return { deleted: runs.map((r) => r.id) };
    },

    'runs.stored': ({ ids }) => store.storedRunIds(ids),

    // A curve read under way when its run is deleted (another window, `aisle delete`) answered 404,
    // which the browser mode's page logged in the console as a failed resource; asked with
    // onlyStored, it leaves the run out instead (asked in the same call: no second request per read).
    // In one snapshot (Store.snapshot): a run found stored is read as it was, where another process's
    // delete between the question and the run's read answered 404 all the same.
    'runs.metrics': ({ runIds, metric, maxPoints, from, to, onlyStored }) =>
      store.snapshot(() => {
        const stored = onlyStored === true ? new Set(store.storedRunIds(runIds)) : undefined;
        return runIds.filter((runId) => stored?.has(runId) ?? true).map((runId): Series => {
          const names = store.metricNames(runId); // 404 for an unknown run
          if (names.length === 0) return { runId, metric, total: 0, values: 0, downsampled: false, x: [], mean: [], min: [], max: [] };
          const read = store.readMetric(runId, metric, { maxPoints, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
          return {
            runId,
            metric,
            total: read.total,
            values: read.values,
            downsampled: read.downsampled,
            x: Array.from(read.episodes),
            mean: Array.from(read.mean),
            min: Array.from(read.min),
            max: Array.from(read.max),
          };
        });
      }),

    // Read whole in one snapshot (Store.snapshot): a run another process deletes meanwhile is
    // exported as it was, where a delete after its first statement (before a window of its values)
    // answered 404. (The app's streamed save awaits the file between windows: it holds a snapshot
    // on a connection of its own, streamedMetricsCsv.)
    'runs.metricsCsv': ({ id }) =>
      store.snapshot(() => {
        const csv = metricsCsv(store, id, MAX_CSV_VALUES);
        return { fileName: csv.fileName, text: [...csv.pieces].join(''), episodes: csv.episodes, metrics: csv.metrics };
      }),
  };
}

/**
 * A read of run `runId` (runs.get, qtables.get: see OnlyStoredRead). Asked with onlyStored, a read
 * that fails with 404 as its run is not stored (deleted meanwhile: another window, `aisle delete`)
 * answers RunNotStored instead. Whether the run is stored is asked only then, so a read of a stored
 * run costs no more. The read and that question see one snapshot (Store.snapshot): a run another
 * process deletes while the read is under way is read whole, as it was, or found gone by its first
 * statement (a later statement found it gone, which answered 404 without the flag for a run the
 * first had read). Any other failure (an unknown checkpoint of a stored run) is thrown as before.
 */
export function storedRead<T>(store: Pick<Store, 'storedRunIds' | 'snapshot'>, runId: number, onlyStored: boolean | undefined, read: () => T): T | RunNotStored {
  return store.snapshot(() => {
    try {
      return read();
    } catch (e) {
      if (onlyStored === true && toContractError(e).status === 404 && store.storedRunIds([runId]).length === 0) return { runNotStored: runId };
      throw e;
    }
  });
}

type ActiveRun = Pick<RunListItem, 'id' | 'status'>;

/** What a process's own training tells of a run: its job pool's, or IDLE_POOL in one that trains nothing. */
export type PoolState = Pick<JobPool, 'isActive' | 'isStopping'>;

/** The pool of a process that trains nothing (`aisle delete`): every active run is another process's. */
export const IDLE_POOL: PoolState = { isActive: () => false, isStopping: () => false };

/**
 * The runs `ids` name (each once), as runs.delete and `aisle delete run` delete them: every id known
 * before anything changes (NotFoundError names the first unknown one), and none deleted while one
 * of them is queued or running (409, with {@link whyNotDeleted}'s reason).
 */
export function runsToDelete(store: Store, pool: PoolState, ids: readonly number[]): RunListItem[] {
  // A run named twice is deleted once: its second delete, in the same transaction, would find it gone.
  const runs = [...new Set(ids)].map((id) => store.getRunItem(id));
  const active = runs.filter((r) => r.status === 'queued' || r.status === 'running' || pool.isActive(r.id));
  if (active.length > 0) throw new ContractFailure(whyNotDeleted(active, pool, () => store.otherSessionsAlive()), 409);
  return runs;
}

/**
 * Why active runs cannot be deleted yet, and what ends it: cancelling those this process runs (or a
 * queued one a process that is gone left behind), waiting for a cancelled one to stop, or stopping
 * one another process runs (`aisle run`, another window), which this one cannot cancel. The Runs
 * and Experiments screens cancel and wait while that can help, and show this when it cannot.
 */
export function whyNotDeleted(active: readonly ActiveRun[], pool: PoolState, otherSessionsAlive: () => boolean): string {
  const groups = new Map<string, ActiveRun[]>();
  for (const r of active) {
    const why = pool.isStopping(r.id) ? 'stopping' : runsElsewhere(r, pool, otherSessionsAlive) ? 'elsewhere' : 'cancel';
    groups.set(why, [...(groups.get(why) ?? []), r]);
  }
  return [...groups]
    .map(([why, runs]) => {
      const list = runs.map((r) => `run ${r.id} is ${r.status}`).join(', ');
      const them = runs.length > 1 ? 'them' : 'it';
      if (why === 'stopping') return `${list}: cancelled, ${runs.length > 1 ? 'they stop' : 'it stops'} after the current episode`;
      if (why === 'cancel') return `${list}: cancel ${them} first`;
      return `${list} in another process (\`aisle run\`, or another window of the app): stop ${them} there first`;
    })
    .join('; ');
}

/**
 * Whether another process (`aisle run`, another window) trains or queued a run, so that only it
 * can cancel the run: what runs.cancel leaves to it, and what the lists say. A process that died
 * leaves its runs running only until the service's next look (four times a second, and before
 * a cancel), which marks them interrupted. The sessions and the pool are read at most once per answer.
 */
export function trainedElsewhere({ store, lab }: ServiceContext): (r: ActiveRun) => boolean {
  let others: boolean | undefined;
  const otherSessionsAlive = () => (others ??= store.otherSessionsAlive());
  // The pool's runs, once: an experiment of 1,000 queued runs would otherwise scan its queue 1,000 times.
  let mine: Set<number> | undefined;
  const pool = { isActive: (runId: number) => (mine ??= lab.pool.activeRunIds()).has(runId) };
  return (r) => (r.status === 'queued' || r.status === 'running') && runsElsewhere(r, pool, otherSessionsAlive);
}

/**
 * Whether another process (`aisle run`, another window) runs or queued this active run: it is in
 * no queue of this process, and is not a queued run that a process that is gone left behind.
 */
function runsElsewhere(r: ActiveRun, pool: Pick<JobPool, 'isActive'>, otherSessionsAlive: () => boolean): boolean {
  return !pool.isActive(r.id) && !(r.status === 'queued' && !otherSessionsAlive());
}

export function toRunSummary(r: RunListItem, elsewhere: boolean): RunSummary {
  return {
    id: r.id,
    experimentId: r.experimentId,
    experimentName: r.experimentName,
    envId: r.envId,
    agentId: r.agentId,
    seed: r.seed,
    status: r.status as RunStatus,
    episodesDone: r.episodesDone,
    episodesTotal: r.episodesTotal,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    activeMs: r.activeMs,
    activeAt: r.activeAt,
    configHash: r.configHash,
    returnLast100: r.returnLast100,
    ...greedyScore(r),
    error: r.error,
    elsewhere,
  };
}

/** The run's greedy score for the pickers: its exact greedy return, else its greedy evaluations' last-100 mean (GreedyScore). */
function greedyScore(r: RunListItem): { greedyScore?: GreedyScore } {
  if (r.greedyReturn !== null) return { greedyScore: { value: r.greedyReturn, source: 'exact', ...(r.greedyGamma !== null && r.greedyGamma < 1 ? { gamma: r.greedyGamma } : {}) } };
  if (r.evaluationReturn !== null) return { greedyScore: { value: r.evaluationReturn, source: 'evaluation' } };
  return {};
}

export function toCheckpointSummary(c: CheckpointInfo): CheckpointSummary {
  const [states = 0, actions = 0] = c.shape;
  return { id: c.id, episode: c.episode, kind: c.kind, states, actions };
}

/** Whether a policy was exported from one of the runs: deleting them unlinks it (a policy outlives its run), so the Policies screen refreshes. */
export function exportedFromAny(store: Store, runs: readonly { readonly id: number }[]): boolean {
  return runs.some((r) => store.listPolicies(r.id).length > 0);
}
