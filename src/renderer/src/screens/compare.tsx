/**
 * Compare: runs grouped by config (seeds of one configuration form a group), their learning curves
 * with a band across seeds, final performance with rliable's IQM and probability of improvement,
 * a parameter study for a sweep, and a diff of the groups' configs. The whole view lives in the URL
 * (runs, experiments, metric, band, smooth, window, y, study, pair) so it can be shared or bookmarked;
 * only smoothing and the y axis's focus are computed here. Save report and Save chart write it up
 * (compare-save.tsx).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { MAX_METRIC, type EventPayloads } from '../../../shared/contract';
import type { BandKind, CompareResult } from '../../../shared/dto';
import { errorText, useCall, useEvent } from '../api';
import { useFollowedRead } from '../followed-read';
import { useFollowedSomeExperiments } from '../experiments-follow';
import { ComparePicker, usePickerList } from '../components/compare-picker';
import { ConfigDiff } from '../components/compare-config-diff';
import { useCompareSave } from '../components/compare-save';
import { smoothedGroupCurve } from '../components/compare-smoothing';
import { groupColor, GroupLines, ImprovementMatrix, PartialRunsNote, RepeatedRunsNote, SummaryTable, WithoutFinalNote } from '../components/compare-tables';
import { environmentsText, evaluationSplitsText, fewRunsIntervalsText, finalRuns, finalWindowNote, hasFewRuns, lastEpisodesText, legendLabel, metricWithDirection, trainingLengthsText } from '../../../shared/compare-text';
import { fmt, plural } from '../../../shared/text';
import { LineChart, seriesDash, type ChartSeries } from '../components/line-chart';
import { ParameterStudyPanel, studyValueKey } from '../components/parameter-study';
import { parameterStudy } from '../../../shared/parameter-study';
import { sliceStudy } from '../../../shared/slice-study';
import { SliceStudyPanel } from '../components/parameter-study-slices';
import { markText, sharedMarks } from '../components/episode-marks';
import { SmoothingControl } from '../components/smoothing-control';
import { focusedYRange, focusNote } from '../components/y-range';
import { coincidenceTolerance, identicalCurvesText, sharedStretchesText, withSharedLines } from '../components/identical-curves';
import { idList } from '../router';
import { UnreadAddress } from '../components/unread-address';
import { withoutEpisodesText } from '../components/run-ids';
import { FULL_Y_VALUE_KEY, liveQuery, readsWhole, SMOOTH_VALUE_KEY, useUrlSmoothing, writeQuery, type ValueKey } from '../url-state';

const BANDS: readonly { value: BandKind; label: string; caption: string }[] = [
  {
    value: 'ci95',
    label: '95 % t band of the mean',
    // Student's t interval of the mean across seeds at each point (curveBand 'ci95'), the table's
    // mean interval along the curve: 95 % for roughly normal scores at any number of seeds.
    caption:
      'shaded: 95 % t band of the mean across seeds at each point (mean ± t(0.975, n − 1) · s / √n, as the final mean’s interval, kept within the metric’s range where it has one; ' +
      'none where the seeds are all equal; it assumes roughly normal scores across seeds)',
  },
  { value: 'minmax', label: 'min – max', caption: 'shaded: lowest to highest seed' },
];

const DEFAULT_WINDOW = 100;
const MAX_WINDOW = 1_000_000;
/** Values read from the address (window=0, band=zzz, smooth=5, y=zzz, pair=no read as the default): named, as the ids are, rather than silently the default. */
export const COMPARE_VALUE_KEYS: Readonly<Record<string, ValueKey>> = {
  band: {
    reads: (raw) => BANDS.some((b) => b.value === raw),
    what: ['a band', 'bands'],
    takes: 'ci95 (the 95 % t band of the mean) or minmax (lowest to highest seed), such as band=minmax; the 95 % t band is drawn instead',
  },
  smooth: SMOOTH_VALUE_KEY,
  y: FULL_Y_VALUE_KEY,
  // The Pair by seed box writes pair=off; anything else (pair=no, pair=0) is paired, as with no pair.
  pair: {
    reads: (raw) => raw === 'off',
    what: ['a pairing', 'pairings'],
    takes: 'off (every pair of groups compared unpaired, by Mann–Whitney), such as pair=off; groups on one environment config and the same seeds are paired by seed instead',
  },
  window: {
    reads: (raw) => readsWhole(raw, 1, MAX_WINDOW),
    what: ['a final window', 'final windows'],
    takes: `a whole number of episodes from 1 to ${fmt(MAX_WINDOW)}, such as window=50; the last ${DEFAULT_WINDOW} are used instead`,
  },
};
/**
 * The final window the address asks for, or the default when it does not read (window=0, or
 * window=50.4, which was rounded to 50 unsaid): what the line names is what the screen uses.
 */
export function finalWindowOf(query: URLSearchParams): number {
  const raw = query.get('window');
  return raw !== null && COMPARE_VALUE_KEYS.window!.reads(raw) ? Number(raw) : DEFAULT_WINDOW;
}
/**
 * What typing the final window `typed` (valid) writes to an address whose window is `raw`: the
 * window, or null for the default (the key dropped); nothing (null) when the address already reads
 * so. An address whose window is not read (window=0, named) gets the default written too, so the
 * line naming it goes.
 */
export function finalWindowPatch(raw: string | null, typed: number): { window: number | null } | null {
  const now = raw === null || raw === '' ? DEFAULT_WINDOW : COMPARE_VALUE_KEYS.window!.reads(raw) ? Number(raw) : null;
  return now === typed ? null : { window: typed === DEFAULT_WINDOW ? null : typed };
}
/**
 * Compare's metric= as the comparison's answer reads it: a metric every compared run records
 * (CompareResult.metrics). Another (metric=zzz, a DQN's loss beside a Q-learning run) was asked for
 * as it was and answered 400, a failed request in the browser's console: the screen asks for return
 * instead of it (unrecordedMetric) and names it with the metrics it takes.
 */
export function metricValueKey(metrics: readonly string[]): ValueKey {
  const example = metrics.find((m) => m !== 'return') ?? 'return';
  return {
    reads: (raw) => metrics.includes(raw),
    what: ['a metric every compared run records', 'metrics every compared run records'],
    takes:
      metrics.length === 1
        ? `${example}, the one metric they all record, such as metric=${example}; it is shown instead`
        : `one of ${metrics.join(', ')}, such as metric=${example}; return is shown instead`,
  };
}

/** How long after the comparison's last answer a training run's progress reads it again (its status, at once). */
export const COMPARE_PACE_MS = 1500;
const ID_KEYS = { runs: { noun: 'run', list: true }, experiments: { noun: 'experiment', list: true } };

/**
 * What a push asks of the comparison: a read at once ('now') for a compared run that stopped (it
 * ended: its final figures), one at the pace ('later') for a compared run queued or started (no
 * episodes of its own yet: its progress follows) and for the progress of a run that may be
 * compared (run.progress does not name the experiment: any run's while a compared one trains, as a
 * run picked by its number), or none (another experiment's runs change nothing here). A started
 * run read the comparison at once too: a sweep of quick runs read it back to back, two reads a run.
 */
export function compareRefresh(
  push: { readonly status: EventPayloads['run.status'] } | { readonly progress: EventPayloads['run.progress'] },
  view: { readonly comparedExperiments: readonly number[]; readonly runIds: readonly number[]; readonly live: boolean },
): 'now' | 'later' | null {
  if ('status' in push) {
    if (!view.comparedExperiments.includes(push.status.experimentId) && !view.runIds.includes(push.status.runId)) return null;
    return push.status.status === 'queued' || push.status.status === 'running' ? 'later' : 'now';
  }
  return view.live || view.runIds.includes(push.progress.runId) ? 'later' : null;
}

/** A run.status push reads its experiment again; on experiments.changed the screen reads them all itself (heard(), below). */
const RUN_STATUS = ['run.status'] as const;

/**
 * The groups' lines as the chart draws them at smoothing `smooth`, each known by its group's key
 * (ChartSeries.key): the label drawn counts its seeds and partial runs, which change as runs train,
 * and a group hidden from the legend came back when one of its runs finished.
 */
export function groupSeries(result: Pick<CompareResult, 'groups' | 'band' | 'metricRange'>, smooth: number): ChartSeries[] {
  return result.groups.map((g, i): ChartSeries => {
    const seeds = ` (${plural(g.runIds.length, 'seed')}${g.partial.length > 0 ? `, ${g.partial.length} partial` : ''})`;
    return {
      label: g.label + seeds,
      legend: legendLabel(g.label) + seeds,
      key: g.key,
      x: g.x,
      // Each seed's curve smoothed, then the band across them: the smoothed line's own interval.
      // One seed, or seeds all equal, have no spread: no band.
      ...smoothedGroupCurve(g, smooth, result.band, result.metricRange),
      color: groupColor(i),
      dash: seriesDash(i),
    };
  });
}

/**
 * The metric the comparison asks for: the address's, or return. One longer than the contract takes
 * (a pasted or cut link) is no metric a run records: asked as such, compare.runs refused it with a
 * 400 and the comparison failed; asked as return, the line above the picker names it as metric=zzz is.
 */
export function askedMetric(raw: string | null): string {
  return raw !== null && raw !== '' && raw.length <= MAX_METRIC ? raw : 'return';
}

export function CompareScreen({ query }: { query: URLSearchParams }) {
  const runIds = idList(query.get('runs'));
  const experimentIds = idList(query.get('experiments'));
  const metric = askedMetric(query.get('metric'));
  const band: BandKind = query.get('band') === 'minmax' ? 'minmax' : 'ci95';
  const finalWindow = finalWindowOf(query);
  // The y axis fits the curves after their first episodes unless the full range is asked for (see focusedYRange).
  const fullY = query.get('y') === 'full';
  // The setting on the parameter study's x axis, when the user swapped it (absent: the study's own choice).
  const studyX = query.get('study');
  // Pairs of groups on one environment config and the same seeds are compared paired by seed unless
  // the user turned it off (`pair=off`): a choice of design, made before reading the values.
  const pairBySeed = query.get('pair') !== 'off';

  // What the user typed in the Final window box (null: nothing since the address last changed, and
  // the box shows what it reads). Only typing writes: window=0 stays, named, until a window is typed.
  const rawWindow = query.get('window');
  const [typedWindow, setTypedWindow] = useState<string | null>(null);
  useEffect(() => setTypedWindow(null), [rawWindow]);
  const windowDraft = typedWindow ?? String(finalWindow);
  const windowValue = Number(windowDraft);
  // Typed as the address reads it: a whole number of episodes in range.
  const windowValid = readsWhole(windowDraft, 1, MAX_WINDOW);
  useEffect(() => {
    const patch = typedWindow !== null && windowValid ? finalWindowPatch(rawWindow, windowValue) : null;
    if (patch === null) return;
    const t = setTimeout(() => writeQuery(patch, 'replace', 'compare'), 500);
    return () => clearTimeout(t);
  }, [typedWindow, windowValid, windowValue, rawWindow]);

  // The picker's page of experiments (its rows, filter and pages: usePickerList), and the chosen
  // experiments read by their ids (whether stored, their names, their runs), each following the
  // run.status pushes of its experiments (reading those alone) and each change to an experiment
  // (below, the chosen ones again), never showing a read asked before one. Every experiment was read
  // for both: 3.9 MB at 6,400 experiments, at every experiment changed.
  const list = usePickerList();
  const experiments = useFollowedSomeExperiments(experimentIds, RUN_STATUS);
  const chosen = experimentIds.length > 0 ? experiments.data : [];
  // An experiment in the address that is not stored (deleted in another window, a stale link) is
  // left out of the comparison, its chip saying "not found", rather than failing the whole of it.
  const storedIds = experiments.current && !experiments.error ? new Set(experiments.data!.map((e) => e.id)) : undefined;
  const compared = storedIds ? experimentIds.filter((id) => storedIds.has(id)) : experimentIds;
  const missingExperiments = storedIds ? experimentIds.filter((id) => !storedIds.has(id)) : [];
  // So is a run picked by its number that is not stored (deleted elsewhere, a stale link): it is asked
  // about first, and the comparison waits for the answer (or goes on with every id if it failed).
  const storedRuns = useCall('runs.stored', runIds.length > 0 ? { ids: runIds } : null);
  const runsKnown = storedRuns.current && !storedRuns.error ? new Set(storedRuns.data) : undefined;
  const comparedRuns = runsKnown ? runIds.filter((id) => runsKnown.has(id)) : runIds;
  const missingRuns = runsKnown ? runIds.filter((id) => !runsKnown.has(id)) : [];
  const runsAsked = runIds.length === 0 || runsKnown !== undefined || storedRuns.error !== undefined;
  // The comparison waits for the list too, as for the runs: asked before it, an experiment in the
  // address that is no longer stored failed the read (a 404 the browser logged in its console).
  const experimentsAsked = experimentIds.length === 0 || storedIds !== undefined || experiments.error !== undefined;
  const selected = comparedRuns.length > 0 || compared.length > 0;
  // A run with no stored episodes (queued, or stopped before its first) is left out by the service
  // and named in its answer, rather than failing the whole comparison one such run at a time.
  // It follows the compared runs as the picker does (useFollowedRead): read at once when one of them
  // changes status, never showing an answer asked before its push, so a run's final figures come
  // with the read after its completed push. A training run's progress only puts a read off to
  // COMPARE_PACE_MS after the last answer (one read at a time): a comparison of many long runs is
  // read for every compared store's episodes, and is not read back to back while they train.
  // Asked onlyStored: a run or experiment deleted while the read is under way (another window,
  // `aisle delete`) is left out of its answer rather than answering 404, a failed resource in the
  // browser mode's console; the delete's experiments.changed has its chip say "not found" (below).
  const compare = useFollowedRead(
    'compare.runs',
    selected && runsAsked && experimentsAsked
      ? { runIds: comparedRuns, experimentIds: compared, metric, band, finalWindow, withoutEpisodes: 'leaveOut', unrecordedMetric: 'return', onlyStored: true, ...(pairBySeed ? {} : { unpaired: true }) }
      : null,
    [],
    COMPARE_PACE_MS,
  );

  const live = compared.some((id) => {
    const e = chosen?.find((x) => x.id === id);
    return e !== undefined && e.runCounts.running + e.runCounts.queued > 0;
  });
  // A compared experiment changed (renamed: the legend names it anew; deleted: it leaves the
  // comparison): the list is read first, then the comparison, which asked before the list knew of
  // a deletion would fail for the experiment it no longer has. `compareAfterList` is the change the
  // list's answer must have been asked after (see FollowedAnswer.asked).
  const compareAfterList = useRef<number | null>(null);
  // Another selection's read counts its changes from its own start, and the comparison of the new
  // selection waits for that read anyway (experimentsAsked).
  const selectionKey = experimentIds.join(',');
  useEffect(() => void (compareAfterList.current = null), [selectionKey]);
  useEvent('experiments.changed', (p) => {
    const change = experiments.heard();
    // A run picked by number may be the one deleted, though its experiment is not compared and it
    // is in no group (one without stored episodes): asked again, it is said "not found" in its chip.
    if (runIds.length > 0) storedRuns.refresh();
    if (experimentIds.includes(p.experimentId) || compare.data?.groups.some((g) => g.experimentIds.includes(p.experimentId))) compareAfterList.current = change;
  });
  const heardCompare = compare.heard;
  useEffect(() => {
    // No experiment chosen: no read of them to wait for (runs picked by number, in the group changed).
    if (compareAfterList.current === null || (selectionKey !== '' && experiments.asked < compareAfterList.current) || storedRuns.loading) return;
    compareAfterList.current = null;
    heardCompare();
  }, [experiments.asked, selectionKey, storedRuns.data, storedRuns.loading, heardCompare]);
  const view = { comparedExperiments: compared, runIds, live };
  useEvent('run.status', (p) => {
    const wanted = compareRefresh({ status: p }, view);
    if (wanted === 'now') compare.heard();
    else if (wanted === 'later') compare.later();
  });
  useEvent('run.progress', (p) => compareRefresh({ progress: p }, view) === 'later' && compare.later());

  // A failed read keeps the last good answer in useFollowedRead; here it belongs to another selection
  // (or window, or metric), so it is not shown under the error.
  const result = compare.error ? undefined : compare.data;
  // Those still in the address (an answer for an earlier selection may name one since removed).
  const withoutEpisodes = (result?.withoutEpisodes ?? []).filter((r) => runIds.includes(r.runId));
  const leftOutIds = new Set(withoutEpisodes.map((r) => r.runId));
  // Only such runs picked: nothing to draw, which the line above says; no other message.
  const nothingLeft = result !== undefined && result.groups.length === 0 && withoutEpisodes.length > 0;
  const smoothing = useUrlSmoothing(query, Math.max(0, ...(result?.groups ?? []).map((g) => g.x.length)));
  const smooth = smoothing.weight;
  const drawn = useMemo(() => (result ? groupSeries(result, smooth) : []), [result, smooth]);
  const focus = useMemo(() => (fullY ? null : focusedYRange(drawn)), [drawn, fullY]);
  // Groups whose curves lie on one another (identical, or closer than the axis shown can draw apart),
  // whole or along a stretch (a shorter run's on a longer's first episodes): drawn in turns there,
  // and named under the chart.
  const { series, coincident, stretches } = useMemo(() => withSharedLines(drawn, coincidenceTolerance(drawn, focus)), [drawn, focus]);
  // The tables' swatches show each group's line as drawn: dashed in turn where it lies on others whole.
  const lines = useMemo(() => series.map(({ dash, dashOffset }) => ({ dash, dashOffset })), [series]);
  const sharedText = [identicalCurvesText(coincident, drawn.map((s) => s.legend ?? s.label)), sharedStretchesText(stretches, drawn.map((s) => s.legend ?? s.label))]
    .filter((t) => t !== undefined)
    .join(' ');
  const marked = useMemo(() => sharedMarks(result?.groups ?? []), [result]);
  const study = useMemo(() => (result ? parameterStudy(result, studyX) : null), [result, studyX]);
  // A random search's groups are no grid: a panel per setting instead (the address's x means nothing to it).
  const slice = useMemo(() => (result && !study ? sliceStudy(result) : null), [result, study]);
  // study= and metric= are read against the comparison's answer (the settings its sweep varies, the
  // metrics its runs record): named once it is in. An answer of no runs knows no metrics: none named.
  const valueKeys = useMemo(
    () =>
      result && compare.current
        ? { ...COMPARE_VALUE_KEYS, study: studyValueKey(study), ...(result.metrics.length > 0 ? { metric: metricValueKey(result.metrics) } : {}) }
        : COMPARE_VALUE_KEYS,
    [result, compare.current, study],
  );
  // The metric shown: the answer's (return, for a metric= its runs do not all record), or the one
  // asked while its answer loads.
  const shownMetric = result && compare.current ? result.metric : metric;
  // The shown metric and `return` (every run records it) stay pickable when a reply failed.
  const metrics = [...new Set([shownMetric, 'return', ...(result?.metrics ?? [])])];
  const chartBox = useRef<HTMLDivElement>(null);
  // While a changed selection (or metric, band, window) loads, the last answer stays drawn, but it
  // is the previous input's: saved then, it would go out under the new selection's name and
  // numbers. A refresh of the same input (runs still training) keeps its answer current, and
  // saving on.
  const saveable = compare.current ? result : undefined;
  const saving = useCompareSave({
    result: saveable,
    blocker: !selected
      ? 'Pick experiments or runs to compare first.'
      : compare.error
        ? 'The comparison failed (its error is below): nothing to save.'
        : !saveable
          ? 'The comparison is still loading.'
          : saveable.groups.length === 0
            ? nothingLeft
              ? 'None of the picked runs has stored episodes: nothing to save.'
              : `None of the selected runs has recorded “${shownMetric}”: nothing to save.`
            : null,
    experimentIds: compared, // what the comparison answers, not a deleted experiment's id
    runIds: comparedRuns.filter((id) => !leftOutIds.has(id)), // as `aisle compare --runs` would compare them
    studyX,
    experiments: chosen,
    chart: () => chartBox.current?.querySelector('canvas') ?? null,
  });

  return (
    <div className="compare" data-testid="compare-screen">
      <div className="row">
        <h1>Compare</h1>
        <span className="spacer" />
        {/* The comparison waits for the chosen experiments' read: loading all the same. */}
        {(compare.loading || !experimentsAsked) && selected && <span className="muted small">Loading…</span>}
        {saving.buttons}
      </div>
      {saving.status}
      <UnreadAddress query={query} keys={ID_KEYS} values={valueKeys} />
      {withoutEpisodes.length > 0 && (
        <p className="error" role="alert" data-testid="compare-without-episodes">
          Left out of this address: {withoutEpisodesText(withoutEpisodes)}
          {nothingLeft ? ': nothing is left to compare; add runs that have trained, or pick experiments.' : '.'}
          {withoutEpisodes.some((r) => r.status === 'queued' || r.status === 'running') && ' A queued or running one joins the comparison with its first stored episode.'}
        </p>
      )}

      <section className="panel" aria-labelledby="compare-pick">
        <h2 id="compare-pick">What to compare</h2>
        {(list.answer.error ?? experiments.error) && (
          <p className="error" data-testid="compare-experiments-error">
            {errorText(list.answer.error ?? experiments.error)}
          </p>
        )}
        <ComparePicker
          list={list}
          chosen={chosen}
          missingExperimentIds={missingExperiments}
          failed={list.answer.error !== undefined}
          experimentIds={experimentIds}
          runIds={runIds}
          missingRunIds={missingRuns}
          onChange={(update) => {
            // From the live URL, not this render's props: a second click may come before the first re-rendered.
            const live = liveQuery();
            const next = update({ experimentIds: idList(live.get('experiments')), runIds: idList(live.get('runs')) });
            writeQuery({ experiments: next.experimentIds, runs: next.runIds }, 'push');
          }}
        />
      </section>

      {!selected ? (
        <p className="empty" data-testid="compare-empty">
          Pick one or more experiments above (or add run ids) to compare their learning curves. Runs that share a configuration and differ only in their
          seed form one group: one line with a band across seeds.
        </p>
      ) : (
        <GroupLines.Provider value={lines}>
          <section className="panel">
            <div className="row controls">
              <label>
                Metric{' '}
                <select value={shownMetric} onChange={(e) => writeQuery({ metric: e.target.value === 'return' ? null : e.target.value })} data-testid="compare-metric">
                  {metrics.map((m) => (
                    <option key={m} value={m}>
                      {metricWithDirection(m, result?.metricDirections[m])}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Band{' '}
                <select value={band} onChange={(e) => writeQuery({ band: e.target.value === 'ci95' ? null : e.target.value })} data-testid="compare-band">
                  {BANDS.map((b) => (
                    <option key={b.value} value={b.value}>
                      {b.label}
                    </option>
                  ))}
                </select>
                {result?.groups.some((g) => g.runIds.length < 2) && (
                  <span className="muted small" data-testid="compare-band-one-seed">
                    {' '}
                    none for a group of one seed
                  </span>
                )}
              </label>
              <SmoothingControl
                smoothing={smoothing}
                id="compare-smooth"
                label="Smoothing"
                testId="compare-smooth"
                title="TensorBoard's debiased exponential moving average of the group mean lines; 0 shows them raw"
              />
              <label title="Final performance of a run: the mean of the metric over its last N episodes">
                Final window{' '}
                <input
                  type="number"
                  min={1}
                  max={MAX_WINDOW}
                  step={1}
                  value={windowDraft}
                  onChange={(e) => setTypedWindow(e.target.value)}
                  aria-invalid={windowValid ? undefined : true}
                  // Named by its label's words alone: the help in the label, its description, was read into its name as well.
                  aria-label="Final window"
                  aria-describedby="compare-window-help"
                  style={{ width: 90 }}
                  data-testid="compare-window"
                />{' '}
                <span id="compare-window-help" className={windowValid ? 'muted small' : 'field-error'}>
                  {windowValid ? 'last episodes' : 'a whole number from 1 to 1,000,000'}
                </span>
              </label>
              <label title="Fit the y axis to every value, the first episodes' too; off, it fits the curves after their first tenth when that shows them at least twice as tall">
                <input type="checkbox" checked={fullY} onChange={(e) => writeQuery({ y: e.target.checked ? 'full' : null })} data-testid="compare-full-y" /> Full y range
              </label>
              <label title="Compare two groups run on one environment config and the same seeds (one run each, 6 seeds or more) seed by seed: the Wilcoxon signed-rank test of each seed's difference, which cancels what the seed did to both (common random numbers). Off, every pair is compared unpaired (Mann–Whitney).">
                <input type="checkbox" checked={pairBySeed} onChange={(e) => writeQuery({ pair: e.target.checked ? null : 'off' })} data-testid="compare-paired" /> Pair by seed
              </label>
            </div>
            {compare.error && (
              <p className="error" role="alert" data-testid="compare-error">
                {errorText(compare.error)}
              </p>
            )}
            {/* Nothing left once the runs and experiments deleted meanwhile are left out: their chips say so. */}
            {result && result.groups.length === 0 && !nothingLeft && !result.notStored && (
              <p className="empty" data-testid="compare-nothing-yet">
                None of the selected runs has recorded “{shownMetric}” yet (queued, or stopped before their first episode); a queued or running one joins the comparison with its first stored episode.
              </p>
            )}
            {result && environmentsText(result) && (
              <p className="warning" role="note" data-testid="compare-environments" data-kind={result.environments!.kind}>
                {environmentsText(result)}
              </p>
            )}
            {result &&
              evaluationSplitsText(result).map((text) => (
                <p key={text} className="warning" role="note" data-testid="compare-evaluation-split">
                  {text}
                </p>
              ))}
            {result && trainingLengthsText(result) && (
              <p className="warning" role="note" data-testid="compare-training-lengths">
                {trainingLengthsText(result)}
              </p>
            )}
            {result && result.groups.length > 0 && (
              <div ref={chartBox} data-testid="compare-chart" data-groups={series.length} data-band={result.band} data-bands={series.filter((s) => s.lo && s.hi).length}>
                {/* The axis from episode 0, as Run detail's: left to fit the data, chart.js fits it to the points inside the y range, which a short run's first tenth (fitted out of it) left out. */}
                <LineChart series={series} yLabel={result.metric} height={320} testId="compare-canvas" xMin={0} yMin={focus?.min} yMax={focus?.max} yBounds={result.metricRange} marks={marked.marks} />
                <p className="muted small chart-caption">
                  Lines: mean across seeds{smooth > 0 ? `, smoothed (EMA ${smooth.toFixed(2)}${smoothing.auto ? ', automatic' : ''})` : ''}; {BANDS.find((b) => b.value === result.band)!.caption}
                  {smooth > 0 ? ', taken across the seeds’ curves smoothed as the lines are' : ''}.
                  {marked.marks.length > 0 && <span data-testid="compare-marks"> Dashed vertical line: {marked.marks.map(markText).join('; ')}.</span>}
                </p>
                {marked.note && (
                  <p className="muted small chart-caption" role="note" data-testid="compare-marks-note">
                    {marked.note}
                  </p>
                )}
                {sharedText !== '' && (
                  <p className="muted small chart-caption" role="note" data-testid="compare-identical">
                    {sharedText}
                  </p>
                )}
                {focus && (
                  <p className="muted small chart-caption" data-testid="compare-y-focus">
                    {focusNote(focus)}
                  </p>
                )}
              </div>
            )}
            {!result && !compare.error && <p className="muted">Loading the runs…</p>}
          </section>

          {result && result.groups.length > 0 && (
            <>
              <section className="panel">
                <h2>Final performance</h2>
                <p className="hint">
                  A run’s final performance is its mean {result.metric} over its {lastEpisodesText(result.finalWindow)}
                  {finalWindowNote(result) ? <span data-testid="final-window-note"> ({finalWindowNote(result)})</span> : null}. IQM: the interquartile mean across runs
                  (the mean of the middle half, robust to an outlying seed), with a 95 % percentile bootstrap CI (rliable, 2,000 resamples). The mean’s 95 % CI is
                  Student’s t: mean ± t(0.975, n − 1) · s / √n.
                  {hasFewRuns(result.groups.map((g) => finalRuns(g.final))) && (
                    <span data-testid="few-runs-ci"> {fewRunsIntervalsText(result.direction)}</span>
                  )}
                </p>
                <SummaryTable result={result} />
                <WithoutFinalNote result={result} />
                <PartialRunsNote result={result} />
                <RepeatedRunsNote result={result} />
              </section>
              {study && (
                // The default x (the setting with the most values) is left out of the address, as the other options' defaults are.
                <ParameterStudyPanel result={result} study={study} onChooseX={(path) => writeQuery({ study: path === study.xChoices[0] ? null : path })} />
              )}
              {slice && <SliceStudyPanel result={result} study={slice} />}
              <section className="panel">
                <h2>Probability of improvement</h2>
                {result.environments?.kind === 'tasks' && (
                  <p className="warning" role="note">
                    These groups run on different environments: where two groups’ environments differ, a run’s chance to end above another’s compares tasks, not agents, and their cell gets no verdict.
                  </p>
                )}
                <ImprovementMatrix result={result} />
              </section>
              <section className="panel">
                <h2>Configuration</h2>
                <ConfigDiff groups={result.groups} differences={result.differences} />
              </section>
            </>
          )}
        </GroupLines.Provider>
      )}
    </div>
  );
}
