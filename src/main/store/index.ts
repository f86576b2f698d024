/** The run store's public API: open a Store, and the row types it hands out. */
export { Store } from './store';
export { openDatabase, BUSY_TIMEOUT_MS } from './db';
export { defaultDbPath, resolveDbPath, type ResolveDbPathOptions } from './paths';
export { migrate, schemaVersion, LATEST_VERSION, MIGRATIONS, SchemaTooNewError, NotAisleDatabaseError, type Migration } from './migrations';
export { ActiveRunError, NotFoundError, IllegalTransitionError, type StoredThing } from './errors';
export { CHUNK_EPISODES } from './downsample';
export { RUN_STATUSES } from './types';
export type {
  Checkpoint,
  CheckpointInfo,
  CheckpointKind,
  ExperimentEdit,
  ExperimentListEntry,
  ExperimentListItem,
  ExperimentNaming,
  ExperimentRow,
  FinishDetails,
  FinishStatus,
  MetricBatch,
  MetricRead,
  MetricSeries,
  MetricTotal,
  NewCheckpoint,
  NewQTableCheckpoint,
  NewWeightsCheckpoint,
  NewExperiment,
  NewPolicy,
  NewRun,
  PolicyInfo,
  PolicyOrigin,
  PolicyRow,
  ReadMetricOptions,
  RunFilter,
  RunListItem,
  RunListPage,
  RunListQuery,
  RunListSort,
  RunOrderBy,
  RunQuery,
  RunRow,
  RunStatus,
  WeightsCheckpoint,
} from './types';
