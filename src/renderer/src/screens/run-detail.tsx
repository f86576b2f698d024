/**
 * One run: its status (live), a learning curve for every per-episode metric with smoothing and, on
 * request, a min–max band (all on one episode axis), its config and environment fingerprint, the metric
 * summary, and on tabular MDPs the exact value of its greedy policy beside the optimum and the
 * random policy.
 */
import { useCallback, useRef, useState } from 'react';
import type { RunDetail } from '../../../shared/dto';
import { inlineFileText } from '../../../shared/inline-files';
import { useCall, useClient, useEvent, useThrottled } from '../api';
import { BlockableButton } from '../components/blockable-button';
import { ConfirmDialog } from '../components/confirm-dialog';
import { DatabaseWaitNotice } from '../components/database-wait';
import { Elapsed } from '../components/elapsed';
import { episodeAxis } from '../components/episode-axis';
import { ErrorLine } from '../components/error-line';
import { GreedyGap, SCORE_CAPTION } from '../components/greedy-gap';
import { bucketPoints, MetricChart } from '../components/metric-chart';
import { SmoothingControl } from '../components/smoothing-control';
import { saveText } from '../components/policy-files';
import { ElsewhereMark, isActive, ProgressBar, StatusBadge } from '../components/status';
import { ValueTable } from '../components/value-table';
import { fmt } from '../format';
import { notCancelledHere, scoreText } from '../../../shared/text';
import { href } from '../router';
import { withMember } from '../sets';
import { useUrlSmoothing, writeQuery } from '../url-state';

export function RunDetailScreen({ runId, query }: { runId: number; query: URLSearchParams }) {
  // A fresh screen per run: nothing live from the previous run's page carries over.
  return <RunDetailView key={runId} runId={runId} query={query} />;
}

function RunDetailView({ runId, query }: { runId: number; query: URLSearchParams }) {
  const client = useClient();
  const valid = Number.isInteger(runId) && runId > 0;
  const run = useCall('runs.get', valid ? { id: runId } : null);
  // Progress arrives up to ~10 times a second: the count redraws at 4 Hz, the curves at most every
  // 700 ms, the summary every 2 s.
  const [done, setDone] = useState<number | null>(null);
  const latest = useRef<number | null>(null);
  const showDone = useThrottled(() => setDone(latest.current), 250);
  const [tick, setTick] = useState(0);
  const bumpCharts = useThrottled(() => setTick((t) => t + 1), 700);
  const refreshRun = useThrottled(run.refresh, 2000);
  useEvent('run.progress', (p) => {
    if (p.runId !== runId) return;
    latest.current = p.episodesDone;
    showDone();
    bumpCharts();
    refreshRun();
  });
  useEvent('run.status', (p) => {
    if (p.runId !== runId) return;
    run.refresh();
    setTick((t) => t + 1);
  });
  // Its experiment renamed (here, or by `aisle rename`): the header names it anew.
  useEvent('experiments.changed', (p) => p.experimentId === run.data?.experimentId && run.refresh());
  // The view lives in the URL (as Compare's does), so a reload, Back or a shared link keeps it.
  // Automatic smoothing follows the number of points the charts draw.
  const smoothing = useUrlSmoothing(query, bucketPoints(Math.max(run.data?.episodesDone ?? 0, done ?? 0)));
  // The min–max band is off unless asked for: it spans each bucket's extremes, so on noisy returns
  // it filled the chart and set the y axis by the outliers (0–60 for returns about 5), and on 0/1
  // rewards it was a wall from 0 to 1 over a signal near 0.01.
  const band = query.get('band') === 'on';
  const setBand = (on: boolean) => writeQuery({ band: on ? 'on' : null }, 'replace');
  // Each chart's y axis fits its curve after the first episodes (a cliff's −2,500 at the start
  // flattened the rest) unless the full range is asked for.
  const fullY = query.get('y') === 'full';
  // One run's charts share the episode axis (episodeAxis) and, so that their plot areas start at
  // one x too, the width of the widest chart's y axis: each reports what its own labels need.
  const [yWidths, setYWidths] = useState<Readonly<Record<string, number>>>({});
  const reportYWidth = useCallback((metric: string, width: number) => setYWidths((all) => (all[metric] === width ? all : { ...all, [metric]: width })), []);
  // The metrics of one value, which take low charts: grouped after the full ones (see chartGrid).
  const [constants, setConstants] = useState<ReadonlySet<string>>(new Set());
  const reportConstant = useCallback((metric: string, constant: boolean) => setConstants((all) => withMember(all, metric, constant)), []);
  const [cancelError, setCancelError] = useState<unknown>(null);
  // Cancelling a run that has played episodes throws away the rest of its training: asked first.
  const [confirmCancel, setConfirmCancel] = useState(false);
  // Cancel leaves the page once the run stops: the heading, whose badge then reads "cancelled",
  // takes focus from it rather than <body>.
  const heading = useRef<HTMLHeadingElement>(null);
  // Metrics CSV: every stored episode of every metric, saved (desktop) or downloaded (browser).
  const [csvBusy, setCsvBusy] = useState(false);
  const [csvError, setCsvError] = useState<unknown>(null);
  const [csvSaved, setCsvSaved] = useState<string | null>(null);
  const downloadCsv = async (id: number) => {
    setCsvBusy(true);
    setCsvError(null);
    setCsvSaved(null);
    try {
      const csv = await client.call('runs.metricsCsv', { id });
      const saved = await saveText(client, { title: 'Save metrics', defaultName: csv.fileName, text: csv.text, type: 'text/csv' });
      if (saved.saved) setCsvSaved(`${csv.episodes.toLocaleString('en-US')} episodes × ${csv.metrics.length} metrics saved to ${saved.where}.`);
    } catch (e) {
      setCsvError(e);
    } finally {
      setCsvBusy(false);
    }
  };

  const cancelRun = async (id: number) => {
    const { elsewhere } = await client.call('runs.cancel', { ids: [id] });
    if (elsewhere) throw new Error(elsewhere.message); // another process trains it: where to stop it
    heading.current?.focus();
    run.refresh();
  };

  if (!valid) {
    // The address's id did not parse (it reads as NaN here): say what a run address holds.
    return (
      <p className="error" data-testid="bad-run-address" data-arrival-focus tabIndex={-1}>
        This address names no run: a run's address ends in its number (#/runs/12). Open one from <a href={href('runs')}>Runs</a>.
      </p>
    );
  }
  // With no heading to take focus on arrival (see focus.ts), the message takes it.
  if (run.error && !run.data) {
    return (
      <div data-arrival-focus tabIndex={-1}>
        <ErrorLine error={run.error} prefix={`Run ${runId}: `} />
      </div>
    );
  }
  const r = run.data;
  if (!r) return <p className="muted">Loading run {runId}…</p>;
  const active = isActive(r.status);
  const episodesDone = Math.max(r.episodesDone, done ?? 0);
  const axis = episodeAxis(r);

  return (
    <div className="run-detail-screen" data-testid="run-detail">
      <div className="row">
        <h1 ref={heading} tabIndex={-1} data-testid="run-title">
          Run {r.id} <StatusBadge status={r.status} />
        </h1>
        <ElsewhereMark runs={r.elsewhere ? [r] : []} />
        <span className="spacer" />
        {active && (
          <BlockableButton
            data-testid="cancel-run"
            // Another process trains it: only that one can cancel it, as the button's reason says.
            blocker={r.elsewhere ? notCancelledHere([r]) : null}
            blockerTestId="cancel-run-blocker"
            popup
            onClick={() => {
              setCancelError(null);
              if (episodesDone > 0) setConfirmCancel(true);
              else void cancelRun(r.id).catch(setCancelError);
            }}
          >
            Cancel run
          </BlockableButton>
        )}
        {/* Only a run with a Q-table snapshot has one to show: not one whose snapshots are network weights (PPO, DQN on vectors), nor one that kept none (queued, or stopped before its first). */}
        {r.checkpoints.some((c) => c.kind === 'qtable') && (
          <a className="button" href={href('qtables', { a: r.id })}>
            Q-table
          </a>
        )}
        <a className="button" href={href('policies', { export: r.id })}>
          Export policy
        </a>
        <button type="button" data-testid="metrics-csv" disabled={csvBusy || r.metrics.length === 0} onClick={() => void downloadCsv(r.id)}>
          {csvBusy ? 'Exporting…' : 'Metrics CSV'}
        </button>
        <a className="button" href={href('experiments', 'new', { from: r.experimentId })}>
          Run again
        </a>
      </div>
      {cancelError !== null && <ErrorLine error={cancelError} />}
      {confirmCancel && (
        <ConfirmDialog
          title={`Cancel run ${r.id}?`}
          confirmLabel="Cancel run"
          keepLabel="Keep training"
          onClose={() => setConfirmCancel(false)}
          focusAfter={() => heading.current}
          onConfirm={() => cancelRun(r.id)}
        >
          <p>
            It has played {fmt(episodesDone)} of {fmt(r.episodesTotal)} episodes. It stops now and cannot be resumed; what it stored (its curves, checkpoints and
            summary) is kept.
          </p>
        </ConfirmDialog>
      )}
      {csvError !== null && <ErrorLine error={csvError} prefix="Metrics CSV: " />}
      {csvSaved && (
        <p className="notice" role="status" data-testid="metrics-csv-saved">
          {csvSaved}
        </p>
      )}
      {run.error && <ErrorLine error={run.error} prefix="Could not refresh: " />}
      <DatabaseWaitNotice runId={r.id} />
      {r.error && (
        <div className="error" role="alert" data-testid="run-error">
          {r.error}
        </div>
      )}
      <dl className="kv header-kv panel">
        <dt>experiment</dt>
        <dd>
          <a href={href('runs', { experiment: r.experimentId })}>{r.experimentName}</a> <span className="muted">#{r.experimentId}</span>
          {r.experimentDescription && (
            <p className="muted small description" data-testid="run-experiment-description">
              {r.experimentDescription}
            </p>
          )}
        </dd>
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
        <dt>elapsed</dt>
        <dd>
          <Elapsed startedAt={r.startedAt} finishedAt={r.finishedAt} active={active} />
        </dd>
      </dl>

      {r.greedy && <GreedyPanel greedy={r.greedy} />}

      <section aria-label="Learning curves">
        <div className="row chart-controls">
          <h2>Learning curves</h2>
          <span className="spacer" />
          <SmoothingControl smoothing={smoothing} id="smoothing" label="smoothing" testId="smoothing" />
          <label className="check">
            <input type="checkbox" checked={band} data-testid="band" onChange={(e) => setBand(e.target.checked)} /> min–max band
          </label>
          <label className="check" title="Fit each y axis to every value, the first episodes' too; off, it fits the curve after its first tenth when that shows it at least twice as tall">
            <input type="checkbox" checked={fullY} data-testid="full-y" onChange={(e) => writeQuery({ y: e.target.checked ? 'full' : null }, 'replace')} /> full y range
          </label>
        </div>
        {r.metrics.length === 0 && <p className="muted">{active ? 'No episodes yet: the curves appear once the run starts.' : 'This run recorded no metrics.'}</p>}
        {r.metrics.length > 0 && axis.stoppedNote && (
          <p className="muted small curves-note" data-testid="curves-stopped">
            {axis.stoppedNote}
          </p>
        )}
        <div className="chart-grid" data-testid="chart-grid">
          {chartGrid(chartOrder(r.metrics), constants).map((cell) =>
            cell.kind === 'heading' ? (
              <h3 key="constants-heading" className="constants-heading">
                Metrics of one value
              </h3>
            ) : (
              <MetricChart
                key={cell.metric}
                className={cell.kind}
                runId={r.id}
                metric={cell.metric}
                refreshKey={tick}
                smoothing={smoothing.weight}
                band={band}
                fullY={fullY}
                xMin={axis.min}
                xMax={axis.max}
                yAxisWidth={Math.max(0, ...Object.values(yWidths))}
                onYAxisWidth={(width) => reportYWidth(cell.metric, width)}
                onConstant={(constant) => reportConstant(cell.metric, constant)}
              />
            ),
          )}
        </div>
      </section>

      <div className="grid2">
        <SummaryPanel run={r} />
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
 * The charts in reading order: the return first, then the episode length, then the environment's
 * metrics, then the agent's training ones (train/…); the store lists them by name, which put a
 * shop run's return tenth.
 */
export function chartOrder(metrics: readonly string[]): string[] {
  const rank = (m: string) => (m === 'return' ? 0 : m === 'length' ? 1 : m.startsWith('train/') ? 3 : 2);
  return [...metrics].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export type ChartCell = { kind: 'full' | 'wide' | 'low'; metric: string } | { kind: 'heading' };

/**
 * Run detail's chart grid: the full charts two to a row, the last one across the row when they are
 * odd in number, then, under their own heading, the low charts of one-value metrics three to a row.
 * Side by side, a low chart beside a full one left a hole the height of the full one. One list of
 * keyed siblings, so a chart that turns out constant moves without being remade (or refetched).
 */
export function chartGrid(ordered: readonly string[], constants: ReadonlySet<string>): ChartCell[] {
  const full = ordered.filter((m) => !constants.has(m));
  const low = ordered.filter((m) => constants.has(m));
  return [
    ...full.map((metric, i): ChartCell => ({ kind: full.length % 2 === 1 && i === full.length - 1 ? 'wide' : 'full', metric })),
    ...(low.length > 0 ? [{ kind: 'heading' } as const] : []),
    ...low.map((metric): ChartCell => ({ kind: 'low', metric })),
  ];
}

function GreedyPanel({ greedy: g }: { greedy: NonNullable<RunDetail['greedy']> }) {
  return (
    <section className="panel" aria-label="Greedy policy" data-testid="greedy-panel">
      <h2>Greedy policy, evaluated exactly</h2>
      <GreedyGap returns={g} score={g.normalizedScore} testId="greedy-gap" />
      <table className="compact">
        <thead>
          <tr>
            <th className="num">gap (optimal − greedy)</th>
            <th className="num">greedy return</th>
            <th className="num">optimal return</th>
            <th className="num">random policy</th>
            <th className="num">normalised score</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td className="num" data-testid="optimality-gap">
              {fmt(g.optimalityGap)}
            </td>
            <td className="num" data-testid="greedy-return">
              {fmt(g.expectedReturn)}
            </td>
            <td className="num" data-testid="optimal-return">
              {fmt(g.optimalReturn)}
            </td>
            <td className="num">{fmt(g.randomReturn)}</td>
            <td className="num" data-testid="normalized-score">
              {g.normalizedScore === null ? '– (optimal ≈ random)' : scoreText(g.normalizedScore)}
            </td>
          </tr>
        </tbody>
      </table>
      <p className="muted small" data-testid="greedy-caption">
        {g.gamma !== undefined && g.horizon !== undefined && (
          <>
            {g.gamma < 1
              ? `Expected returns discounted by γ = ${g.gamma} over ${atMostSteps(g.horizon)}, from the start states: the return curve below is undiscounted, so the two differ. `
              : `Expected returns over ${atMostSteps(g.horizon)}, from the start states. `}
          </>
        )}
        {SCORE_CAPTION}
      </p>
    </section>
  );
}

/** "at most 200 steps", "1 step" (a one-step horizon has no "at most" about it). */
function atMostSteps(horizon: number): string {
  return horizon === 1 ? '1 step' : `at most ${horizon.toLocaleString('en-US')} steps`;
}

function SummaryPanel({ run }: { run: RunDetail }) {
  const entries = Object.entries(run.summary);
  // A metric stored at some episodes only (a DQN's loss once learning starts) is summarised over those.
  const partial = entries.some(([, s]) => s.values < run.episodesDone);
  return (
    <section className="panel" aria-label="Summary" data-testid="summary">
      <h2>Summary</h2>
      {run.summarySoFar && entries.length > 0 && (
        <p className="muted small" data-testid="summary-so-far">
          {isActive(run.status)
            ? `So far: over the ${fmt(run.episodesDone)} episodes played of ${fmt(run.episodesTotal)}.`
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
            {entries.map(([name, s]) => (
              <tr key={name} data-testid={`summary-${name}`}>
                <td>{name}</td>
                <td className="num">{fmt(s.mean)}</td>
                <td className="num">{fmt(s.last100)}</td>
                {partial && <td className="num">{s.values < run.episodesDone ? `${fmt(s.values)} of ${fmt(run.episodesDone)}` : 'all'}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {partial && <p className="muted small">A metric with a value at some episodes only is averaged over those.</p>}
    </section>
  );
}

/** The fingerprint's parameters as JSON, an inline file (a shop catalog) as its one-line summary. */
function fingerprintParams(params: unknown): string {
  return JSON.stringify(params, (key, value: unknown) => {
    const file = key === '' ? null : inlineFileText(value);
    return file ? `<${file}>` : value;
  });
}
