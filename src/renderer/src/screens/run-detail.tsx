/**
 * One run: its status (live), a learning curve for every per-episode metric with smoothing and, on
 * request, a min–max band (all on one episode axis), its config and environment fingerprint, the metric
 * summary, and on tabular MDPs the exact value of its greedy policy beside the optimum and the
 * random policy.
 */
import { Fragment, useEffect, useRef, type ReactNode } from 'react';
import type { RunDetail } from '../../../shared/dto';
import { inlineFileText } from '../../../shared/inline-files';
import { useEvent, useThrottled } from '../api';
import { RunDeleted, useCurveSnapshot } from '../curve-snapshot';
import { DatabaseWaitNotice } from '../components/database-wait';
import { TrainingTime } from '../components/elapsed';
import { ErrorLine } from '../components/error-line';
import { bucketPoints } from '../components/metric-chart';
import { LearningCurves } from '../components/run-charts';
import { GreedyPanel } from '../components/run-greedy-panel';
import { MetricsCsvError, RunExperiment, RunHeader, useMetricsCsvExport } from '../components/run-header';
import { StatusLine } from '../components/status-line';
import { isActive, ProgressBar } from '../components/status';
import { ValueTable } from '../components/value-table';
import { fmt } from '../format';
import { sameDecimals } from '../../../shared/figures';
import { beyondIds, href, idOf } from '../router';
import { useRunRead, useStoredRun } from '../stored-runs';
import { FULL_Y_VALUE_KEY, SMOOTH_VALUE_KEY, useUrlSmoothing, type ValueKey } from '../url-state';
import { UnreadAddress } from '../components/unread-address';

/** Run detail of the run the address names by `address`, the path's part after runs (#/runs/12). */
export function RunDetailScreen({ address, query }: { address: string; query: URLSearchParams }) {
  // A fresh screen per run: nothing live from the previous run's page carries over.
  const runId = idOf(address) ?? Number.NaN;
  return <RunDetailView key={address} runId={runId} address={address} query={query} />;
}

const NO_METRICS: readonly string[] = [];
/**
 * Values read from the address (smooth=5 read as automatic, band=zzz as no band, y=zzz as the fitted
 * axis; see LearningCurves): named rather than silently the default.
 */
export const RUN_DETAIL_VALUE_KEYS: Readonly<Record<string, ValueKey>> = {
  smooth: SMOOTH_VALUE_KEY,
  // Compare's band=minmax or band=ci95 is not this one: a run's band is each bucket's lowest to highest value, on or off.
  band: {
    reads: (raw) => raw === 'on',
    what: ['a band setting', 'band settings'],
    takes: 'on (the min–max band: each bucket of episodes’ lowest to highest value), such as band=on; no band is drawn instead',
  },
  y: FULL_Y_VALUE_KEY,
};

/** A run number that no stored run has, said with the way back to the list. */
function RunMissing({ shown }: { shown: string }) {
  return (
    <p className="error" data-testid="run-missing" data-arrival-focus tabIndex={-1}>
      Run {shown} does not exist (deleted, or never stored in this database): the Runs screen lists the runs there are. <a href={href('runs')}>Back to Runs</a>
    </p>
  );
}

function RunDetailView({ runId, address, query }: { runId: number; address: string; query: URLSearchParams }) {
  const valid = !Number.isNaN(runId);
  // A run number that is no run is asked about first, and said below without a failed read.
  const stored = useStoredRun(valid ? runId : undefined);
  // Asked onlyStored: a read under way when the run is deleted answers that it is gone (`gone`)
  // rather than 404, a failed resource in the browser mode's console.
  const run = useRunRead('runs.get', stored.readable ? { id: runId } : null);
  // Its later reads too: a run deleted while its page is open (another window, `aisle delete`) is
  // learned from a refresh's answer, in the same request (it asked runs.stored first, two requests
  // every 2 s while the run trained, before runs.get took onlyStored).
  const gone = run.gone === runId;
  const refresh = run.refresh;
  const csv = useMetricsCsvExport();
  // Progress arrives up to ~10 times a second. The curves and the count of episodes shown beside them
  // (the progress bar, the episodes field, the charts' axis) are one snapshot, taken at most every
  // 700 ms: every curve read up to the episodes played when it was taken, all shown at once (see
  // curve-snapshot.ts). The run's record, with its summary, is read every 2 s.
  const curves = useCurveSnapshot(runId, run.data?.metrics ?? NO_METRICS);
  const latest = useRef(0);
  const record = useRef(run.data);
  record.current = run.data;
  /** Where a new snapshot reads up to: the episodes played while the run trains, every one once it has stopped. */
  const snapshotEnd = () => {
    const r = record.current;
    return r && !isActive(r.status) ? null : Math.max(r?.episodesDone ?? 0, latest.current);
  };
  const takeSnapshot = useThrottled(() => curves.advance(snapshotEnd()), 700);
  const refreshRun = useThrottled(refresh, 2000);
  useEvent('run.progress', (p) => {
    if (p.runId !== runId) return;
    latest.current = Math.max(latest.current, p.episodesDone);
    takeSnapshot();
    refreshRun();
  });
  useEvent('run.status', (p) => p.runId === runId && refresh());
  // The first snapshot once the record is read, and one at each status it reads (a stopped run's curves are read whole).
  const status = run.data?.status;
  useEffect(() => {
    if (status !== undefined) curves.advance(snapshotEnd());
  }, [status]); // a new snapshot per status read, not per render
  // Its experiment renamed (here, or by `aisle rename`): the header names it anew.
  useEvent('experiments.changed', (p) => p.experimentId === run.data?.experimentId && refresh());
  // The summary as of the latest record the snapshot has caught up with: read every 2 s, the record
  // can be over more episodes than the snapshot shows, for up to one snapshot.
  const summarised = useRef(run.data);
  if (run.data && !(typeof curves.episodes === 'number' && run.data.episodesDone > curves.episodes)) summarised.current = run.data;
  // The one count of episodes played that the screen shows: the snapshot's while the run trains
  // (and until the curves of a run just stopped are read whole), else the record's.
  const episodesShown = typeof curves.episodes === 'number' ? curves.episodes : run.data?.episodesDone;
  // The view lives in the URL (as Compare's does), so a reload, Back or a shared link keeps it.
  // Automatic smoothing follows the number of points the charts draw.
  const smoothing = useUrlSmoothing(query, bucketPoints(episodesShown ?? 0));

  // Digits past 2^53 name no run (see idOf): said as for a run number not stored, not asked about.
  if (!valid && beyondIds(address)) return <RunMissing shown={address.trim()} />;
  if (!valid) {
    // The address's id did not parse (it reads as NaN here): say what a run address holds.
    return (
      <p className="error" data-testid="bad-run-address" data-arrival-focus tabIndex={-1}>
        This address names no run: a run's address ends in its number (#/runs/12). Open one from <a href={href('runs')}>Runs</a>.
      </p>
    );
  }
  // With no heading to take focus on arrival (see focus.ts), the message takes it.
  // (Known missing, the run is never read: no record, and no answer that it is gone.)
  if (stored.missing) return <RunMissing shown={String(runId)} />;
  if (run.error && !run.data) {
    return (
      <div data-arrival-focus tabIndex={-1}>
        <ErrorLine error={run.error} prefix={`Run ${runId}: `} />
      </div>
    );
  }
  // Deleted while open (another window, `aisle delete`): its page goes, rather than offering its
  // buttons under a line saying it could not be refreshed.
  // A Metrics CSV under way goes on to its end, read from the snapshot it began in (the run as it
  // was): that it was saved is said under it, as why it failed, when it did. Learned from a curve
  // read's answer (see RunDeleted), or from a read of the record answering that the run is gone
  // (asked onlyStored, that read no longer answers 404 for it).
  const curveFoundItGone = [...curves.curves.values()].some((c) => c.error instanceof RunDeleted);
  if (curveFoundItGone || gone) {
    return (
      <>
        <div className="error" role="alert" data-testid="run-deleted">
          Run {runId} was deleted while this page was open (in another window, or with <code>aisle delete</code>): what it stored is gone, and the policies exported from it stay on{' '}
          <a href={href('policies')}>Policies</a>. <a href={href('runs')}>Back to Runs</a>
        </div>
        <MetricsCsvError csv={csv} />
        <StatusLine text={csv.saved} className="notice" testId="metrics-csv-saved" />
      </>
    );
  }
  const r = run.data;
  if (!r) return <p className="muted">Loading run {runId}…</p>;
  const active = isActive(r.status);
  const episodesDone = episodesShown ?? r.episodesDone;

  return (
    <div className="run-detail-screen" data-testid="run-detail">
      <RunHeader run={r} active={active} episodesDone={episodesDone} onCancelled={refresh} csv={csv} />
      {run.error && <ErrorLine error={run.error} prefix="Could not refresh: " />}
      <UnreadAddress query={query} values={RUN_DETAIL_VALUE_KEYS} />
      <DatabaseWaitNotice runId={r.id} />
      {r.error && (
        <div className="error" role="alert" data-testid="run-error">
          {r.error}
        </div>
      )}
      <dl className="kv header-kv panel">
        <RunExperiment run={r} onRenamed={refresh} />
        <dt>agent · environment</dt>
        <dd>
          {r.agentId} · {r.envId}
        </dd>
        <dt>seed</dt>
        <dd>{r.seed}</dd>
        <dt>episodes</dt>
        <dd className="row">
          <ProgressBar done={episodesDone} total={r.episodesTotal} label={`Run ${r.id} progress`} />
          <span data-testid="episodes-done">
            {fmt(episodesDone)} / {fmt(r.episodesTotal)}
          </span>
        </dd>
        <dt>training time</dt>
        <dd data-testid="run-elapsed" title="Its time training, pauses left out">
          <TrainingTime run={r} active={active} />
        </dd>
      </dl>

      {r.greedy && <GreedyPanel greedy={r.greedy} />}

      {/* The curves' axis is the snapshot's, not the record's (read every 2 s). */}
      <LearningCurves run={{ ...r, episodesDone }} active={active} query={query} smoothing={smoothing} curves={curves} />

      <div className="grid2">
        <SummaryPanel run={summarised.current ?? r} played={episodesDone} />
        <section className="panel" aria-label="Fingerprint" data-testid="fingerprint">
          <h2>Fingerprint</h2>
          <dl className="kv">
            <dt>environment</dt>
            <dd>{r.fingerprint.id}</dd>
            <dt>parameters</dt>
            <dd className="mono">{fingerprintParams(r.fingerprint.params)}</dd>
            {r.fingerprint.mdpHash && (
              <>
                <dt>MDP hash</dt>
                <dd className="mono">{r.fingerprint.mdpHash}</dd>
              </>
            )}
            <dt>environment hash</dt>
            <dd className="mono">{r.fingerprint.hash}</dd>
            <dt>config hash</dt>
            <dd className="mono">{r.configHash}</dd>
            <dt>app version</dt>
            <dd>{r.appVersion}</dd>
          </dl>
        </section>
      </div>
      <div className="grid2">
        <section className="panel" aria-label="Environment configuration">
          <h2>Environment</h2>
          <ValueTable values={r.config.env} />
        </section>
        <section className="panel" aria-label="Agent configuration">
          <h2>Agent</h2>
          <ValueTable values={r.config.agent} />
        </section>
      </div>
    </div>
  );
}

/**
 * The metrics' summary, as the run record read it: while the run trains that record is read every
 * 2 s, so it can be over fewer episodes than the `played` the rest of the screen shows, and then
 * its line names both ("over the first 9,216 of the 471,040 episodes played"), never an older count
 * as the episodes played.
 */
function SummaryPanel({ run, played }: { run: RunDetail; played: number }) {
  const entries = Object.entries(run.summary);
  // A metric stored at some episodes only (a DQN's loss once learning starts) is summarised over those.
  const partial = entries.some(([, s]) => s.values < run.episodesDone);
  return (
    <section className="panel" aria-label="Summary" data-testid="summary">
      <h2>Summary</h2>
      {run.summarySoFar && entries.length > 0 && (
        <p className="muted small" data-testid="summary-so-far">
          {isActive(run.status)
            ? `So far: over the ${played > run.episodesDone ? `first ${fmt(run.episodesDone)} of the ` : ''}${fmt(played)} episodes played of ${fmt(run.episodesTotal)}.`
            : `Over the ${fmt(run.episodesDone)} episodes stored: the run stopped before it could summarise itself.`}
        </p>
      )}
      {entries.length === 0 ? (
        <p className="muted">{isActive(run.status) ? 'No episodes recorded yet.' : 'This run recorded no metrics.'}</p>
      ) : (
        <table className="compact">
          <thead>
            <tr>
              <th>metric</th>
              <th className="num">mean</th>
              <th className="num">last 100</th>
              {partial && <th className="num">episodes with a value</th>}
            </tr>
          </thead>
          <tbody>
            {entries.map(([name, s]) => {
              // The mean and the last 100's with the same decimals, as `aisle show` writes them: -0.101 beside -0.020, not -0.02.
              const [mean, last100] = sameDecimals([s.mean, s.last100]);
              return (
                <tr key={name} data-testid={`summary-${name}`}>
                  <td className="metric-name">{breakableName(name)}</td>
                  <td className="num">{mean}</td>
                  <td className="num">{last100}</td>
                  {partial && <td className="num">{s.values < run.episodesDone ? `${fmt(s.values)} of ${fmt(run.episodesDone)}` : 'all'}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {partial && <p className="muted small">A metric with a value at some episodes only is averaged over those.</p>}
    </section>
  );
}

/**
 * A metric's name with a line break allowed after each "/" (eval/greedy_return_std): in a half-width
 * Summary panel the names give way rather than push the table's last column behind a side-scroll.
 */
function breakableName(name: string): ReactNode {
  const parts = name.split('/');
  return parts.map((part, i) => (
    <Fragment key={i}>
      {part}
      {i < parts.length - 1 && (
        <>
          /<wbr />
        </>
      )}
    </Fragment>
  ));
}

/** The fingerprint's parameters as JSON, an inline file (a shop catalog) as its one-line summary. */
function fingerprintParams(params: unknown): string {
  return JSON.stringify(params, (key, value: unknown) => {
    const file = key === '' ? null : inlineFileText(value);
    return file ? `<${file}>` : value;
  });
}
