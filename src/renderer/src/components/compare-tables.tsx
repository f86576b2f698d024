/**
 * Compare's numbers: final performance per group (mean and its Student's t 95 % CI, IQM and its
 * bootstrap 95 % CI) and rliable's
 * probability-of-improvement matrix. Everything is computed by the service; this only lays it out.
 * Cells carry the raw numbers in data-value so tests compare numbers, not formatted text.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { CompareResult } from '../../../shared/dto';
import {
  cellVerdict,
  familyOutOfReachText,
  fewRunsCaution,
  finalRuns,
  runsCountText,
  improvementCellWord,
  improvementHeader,
  improvementSign,
  lastEpisodesText,
  NO_VERDICT_TEXT,
  pairedDifferenceText,
  pairedText,
  pairingLines,
  pairTest,
  pairTestText,
  partialProgress,
  partialRunsText,
  probabilityTexts,
  REPEATS_TEXT,
  seedList,
  withoutFinalText,
} from '../../../shared/compare-text';
import { estimateColumns } from '../../../shared/figures';
import { href } from '../router';
import { GroupName } from './group-name';
import { PALETTE, seriesDash } from './line-chart';
import { ScrollRegion } from './scroll-region';

export function groupColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/** How a group's line is drawn on the chart (ChartSeries): its dash (none: solid) and where the dash starts. */
export interface GroupLine {
  readonly dash?: readonly number[];
  readonly dashOffset?: number;
}

/**
 * The groups' lines as Compare's chart draws them, by group: a line that lies on others whole is
 * dashed in turn with theirs (identical-curves.ts). Without them a swatch takes seriesDash's.
 */
export const GroupLines = createContext<readonly GroupLine[] | undefined>(undefined);

/**
 * A short sample of the group's line: its colour, dashed as the chart draws it (a colour's second
 * use, or its turn along a line it shares with other groups: each of their dashes starts where the
 * chart starts it, so the groups' swatches take turns as their lines do).
 */
export function Swatch({ index }: { index: number }) {
  const color = groupColor(index);
  const line = useContext(GroupLines)?.[index];
  const [on, off] = line?.dash ?? seriesDash(index);
  if (on === undefined || off === undefined) return <span className="swatch line" style={{ background: color }} aria-hidden="true" />;
  // The pattern moved back by the dash's offset: a repeating gradient repeats on both sides of its first stop.
  const start = -(line?.dashOffset ?? 0) % (on + off);
  const background = `repeating-linear-gradient(90deg, ${color} ${start}px ${start + on}px, transparent ${start + on}px ${start + on + off}px)`;
  return <span className="swatch line" style={{ background }} data-dash={`${on} ${off}`} aria-hidden="true" />;
}

export function SummaryTable({ result }: { result: CompareResult }) {
  const finals = result.groups.map((g) => g.final);
  const means = estimateColumns(finals.map((f) => ({ point: f.mean, lo: f.meanLo, hi: f.meanHi, runs: finalRuns(f) })));
  const iqms = estimateColumns(finals.map((f) => ({ point: f.iqm, lo: f.iqmLo, hi: f.iqmHi, runs: finalRuns(f) })));
  return (
    <ScrollRegion label="Final performance">
      <table data-testid="compare-summary">
        <thead>
          <tr>
            <th>Group</th>
            <th className="num">Runs</th>
            <th>Seeds</th>
            <th className="num" title={`Mean over runs of each run's mean ${result.metric} over its ${lastEpisodesText(result.finalWindow)}`}>
              Mean final
            </th>
            <th className="num" title="Student's t 95 % confidence interval of the mean over runs: mean ± t(0.975, n − 1) · s / √n">
              Mean 95 % CI (t)
            </th>
            <th className="num" title="Interquartile mean over runs: the mean of the middle 50 % (rliable)">
              IQM
            </th>
            <th className="num" title="95 % percentile bootstrap confidence interval of the IQM (rliable, 2,000 resamples): with few runs it covers less than 95 %">
              IQM 95 % CI (bootstrap)
            </th>
          </tr>
        </thead>
        <tbody>
          {result.groups.map((g, i) => {
            // A value and its interval with the decimals of their columns, as `aisle compare` and the report write them.
            const [mean, meanInterval] = means[i]!;
            const [iqm, iqmInterval] = iqms[i]!;
            return (
              <tr key={g.key} data-testid="compare-group" data-key={g.key}>
                <td>
                  <Swatch index={i} /> <span data-testid="group-label"><GroupName name={g.label} /></span>{' '}
                  <span className="muted small" title={`config hash ${g.configHash}`}>
                    {g.configHash.slice(0, 8)}
                  </span>
                </td>
                <td className="num" title={`runs ${g.runIds.join(', ')}`} data-testid="group-runs">
                  {runsCountText(g)}
                </td>
                <td>{seedList(g.seeds)}</td>
                <td className="num" data-testid="final-mean" data-value={g.final.mean}>
                  {mean}
                </td>
                <td className="num" data-testid="final-mean-ci" data-lo={g.final.meanLo ?? undefined} data-hi={g.final.meanHi ?? undefined}>
                  {meanInterval}
                </td>
                <td className="num" data-testid="final-iqm" data-value={g.final.iqm}>
                  {iqm}
                </td>
                <td className="num" data-testid="final-iqm-ci" data-lo={g.final.iqmLo ?? undefined} data-hi={g.final.iqmHi ?? undefined}>
                  {iqmInterval}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** A note about some of the compared runs: why, then a line per run (its link first). */
function RunsNote({ kind, testId, why, runs }: { kind: 'hint' | 'warning'; testId: string; why: ReactNode; runs: readonly { runId: number; rest: ReactNode }[] }) {
  if (runs.length === 0) return null;
  return (
    <div className={kind} role="note" data-testid={`${testId}s`}>
      <p>{why}</p>
      <ul>
        {runs.map((r) => (
          <li key={r.runId} data-testid={testId} data-run={r.runId}>
            <a href={href('runs', r.runId)}>run #{r.runId}</a> {r.rest}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The runs left out as repeats: one configuration and seed trains the same way every time, so a
 * second run of it is the same sample and counts once.
 */
export function RepeatedRunsNote({ result }: { result: CompareResult }) {
  const repeats = result.groups.flatMap((g) => g.repeats);
  const runs = repeats.map((r) => ({
    runId: r.runId,
    rest: (
      <>
        repeats <a href={href('runs', r.sameAs)}>run #{r.sameAs}</a> (seed {r.seed})
      </>
    ),
  }));
  return <RunsNote kind="hint" testId="repeated-run" why={REPEATS_TEXT} runs={runs} />;
}

/** Which runs the final values leave out for having no finite value of the metric in their window (withoutFinalText), if any. */
export function WithoutFinalNote({ result }: { result: CompareResult }) {
  const text = withoutFinalText(result);
  return text === undefined ? null : (
    <p className="warning" data-testid="without-final">
      {text}
    </p>
  );
}

/**
 * Which compared runs have not played all their episodes: a cancelled, interrupted or failed run's
 * curve ends early, and its final value is over its last stored episodes, earlier in training than
 * a finished run's, so the group's band and final figures mix stages of training.
 */
export function PartialRunsNote({ result }: { result: CompareResult }) {
  const partial = result.groups.flatMap((g) => g.partial);
  const why = partialRunsText(partial.length, result.finalWindow);
  return <RunsNote kind="warning" testId="partial-run" why={why} runs={partial.map((r) => ({ runId: r.runId, rest: `(seed ${r.seed}): ${partialProgress(r)}` }))} />;
}

/**
 * How to read the matrix, by the metric's direction: for one better high, the chance of ending
 * higher is the improvement; for one better low (a loss, the shop's gini), the chance of ending
 * lower; for one without direction the chance of ending higher, and no cell is green or red.
 */
export function ImprovementHint({ result }: { result: Pick<CompareResult, 'metric' | 'direction'> }) {
  const rliable = (
    <>
      rliable’s <em>probability of improvement</em> (Agarwal et al., 2021), the Mann–Whitney U statistic divided by the number of pairs
    </>
  );
  const interval = 'The interval is a 95 % stratified percentile bootstrap CI (rliable; with few runs it covers less than 95 %)';
  if (result.direction === null) {
    return (
      <p className="hint" id="improvement-hint" data-direction="none">
        Each cell is P(row &gt; column): the probability that a run of the row’s group, picked at random, ends with a higher final {result.metric} than a run of
        the column’s group (ties count ½), as in {rliable}. Its metric, {result.metric}, has no better direction, so no cell is coloured better or worse: a cell whose
        whole interval lies above ½ reads “higher”, below ½ “lower”, when the pair’s test agrees. {interval}. {NO_VERDICT_TEXT} Such a cell reads “no verdict”, and its title says why.
      </p>
    );
  }
  if (result.direction === 'lower') {
    return (
      <p className="hint" id="improvement-hint" data-direction="lower">
        A lower {result.metric} is better, so each cell is P(row &lt; column): the probability that a run of the row’s group, picked at random, ends with a lower
        final {result.metric} than a run of the column’s group (ties count ½) — {rliable}. ½ means neither is better. {interval}; an improvement is meaningful
        when the whole interval lies above ½ (green, “better”) — below ½ (red, “worse”) the column’s group is better —, and the pair’s test agrees. {NO_VERDICT_TEXT} Such a cell reads “no verdict”, and its title says why.
      </p>
    );
  }
  return (
    <p className="hint" id="improvement-hint">
      Each cell is P(row &gt; column): the probability that a run of the row’s group, picked at random, ends with a higher final {result.metric} than a
      run of the column’s group (ties count ½) — rliable’s <em>probability of improvement</em> (Agarwal et al., 2021), the Mann–Whitney U statistic
      divided by the number of pairs. ½ means neither is better. The interval is a 95 % stratified percentile bootstrap CI (rliable; with few runs it covers less than 95 %); an improvement is meaningful when the
      whole interval lies above ½ (green, “better”) — below ½ (red, “worse”) the column’s group is better —, and the pair’s test agrees. {NO_VERDICT_TEXT} Such a cell reads “no verdict”, and its title says why.
    </p>
  );
}

export function ImprovementMatrix({ result }: { result: CompareResult }) {
  const { groups, improvement } = result;
  const finalCounts = groups.map((g) => finalRuns(g.final));
  if (groups.length < 2) return <p className="muted">Pick at least two groups to see which one improves on which.</p>;
  const caution = fewRunsCaution(finalCounts);
  const outOfReach = familyOutOfReachText(result);
  return (
    <>
      {caution && (
        <p className="warning" role="note" data-testid="few-runs">
          {caution}
        </p>
      )}
      {outOfReach && (
        <p className="warning" role="note" data-testid="verdicts-out-of-reach">
          {outOfReach}
        </p>
      )}
      <ImprovementHint result={result} />
      <ScrollRegion label="Probability of improvement">
        <table className="matrix" data-testid="improvement-matrix" aria-describedby="improvement-hint">
          <thead>
            <tr>
              <th>{improvementHeader(result.direction)}</th>
              {groups.map((g, j) => (
                <th key={g.key} className="num" scope="col">
                  <Swatch index={j} /> <GroupName name={g.label} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {groups.map((row, i) => (
              <tr key={row.key}>
                <th scope="row">
                  <Swatch index={i} /> <GroupName name={row.label} />
                </th>
                {groups.map((col, j) => {
                  if (i === j) {
                    return (
                      <td key={col.key} className="num muted">
                        –
                      </td>
                    );
                  }
                  const cell = improvement[i]?.[j];
                  if (!cell) {
                    return (
                      <td key={col.key} className="num muted">
                        n/a
                      </td>
                    );
                  }
                  const reading = cellVerdict(result, i, j);
                  const { verdict, withheld } = reading;
                  const word = improvementCellWord(reading);
                  const test = verdict ? pairTest(result, i, j) : undefined;
                  // P and its interval with the same decimals, as `aisle compare` and the report write them.
                  const [probability, probabilityInterval] = probabilityTexts(improvement, i, j, finalCounts);
                  return (
                    <td
                      key={col.key}
                      className={`num ${verdict === 'better' || verdict === 'worse' ? verdict : ''}`}
                      data-testid="improvement-cell"
                      data-row={i}
                      data-col={j}
                      data-value={cell.p}
                      data-lo={cell.lo}
                      data-hi={cell.hi}
                      data-verdict={verdict ?? (withheld ? 'withheld' : 'none')}
                      data-test={cell.paired ? 'paired' : 'unpaired'}
                      title={`P(${row.label} ${improvementSign(result.direction)} ${col.label}) with its 95 % bootstrap CI: ${probability} ${probabilityInterval}${cell.paired ? `; paired by seed, mean difference ${pairedDifferenceText(cell.paired)}` : ''}${withheld ? `: ${withheld}` : verdict && test ? `: ${verdict}, ${pairTestText(test)}` : ''}`}
                    >
                      {probability} <span className="small muted">{probabilityInterval}</span>
                      {/* A pair paired by seed: its mean difference row − column and that's t interval, the mark of a paired cell, on a line of its own under P (beside it, a cell was twice as wide and squeezed the row labels). */}
                      {cell.paired && (
                        <span className="paired-delta small" data-testid="improvement-paired">
                          {' '}
                          Δ {pairedDifferenceText(cell.paired)}
                        </span>
                      )}
                      {/* The verdict in words, as the report and `aisle compare` write it: the colour alone, or a title read on hover, is not a reading. */}
                      {word && (
                        <span className="verdict-word small" data-testid="improvement-word">
                          {word}
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <PairingNote result={result} />
    </>
  );
}

/** Under the matrix: which test each pair was read with (paired by seed or unpaired, and why), and what Δ is where a pair is paired. */
function PairingNote({ result }: { result: CompareResult }) {
  // The app names groups by their labels, as its matrix does (the command and the report by letters).
  const lines = pairingLines(result, (g) => `“${result.groups[g]!.label}”`);
  if (lines.length === 0) return null;
  const anyPaired = result.improvement.some((row) => row.some((cell) => cell.paired));
  return (
    <div className="hint" data-testid="improvement-pairing">
      <ul>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {anyPaired && <p>{pairedText('untick “Pair by seed” above')}</p>}
    </div>
  );
}
