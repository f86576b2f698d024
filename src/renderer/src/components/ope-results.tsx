/**
 * An off-policy evaluation's results: the logging policy's own mean reward, then per target its
 * IPS, SNIPS, DM and DR estimates with their bootstrap intervals (a table, and a small chart of
 * the intervals against the logged mean and, for another logged policy, what it really got), the
 * importance weights' diagnostics and every warning about trusting them (first, for a policy
 * learned on a simulator of these logs, that it is scored on rows it learned from). Every target's chart
 * has the same scale, so their intervals compare at a glance.
 */
import type { RefObject } from 'react';
import { holdoutText } from '../../../engine/ope/data';
import { listedName } from '../../../engine/params';
import type { LogsEvaluation } from '../../../shared/dto';
import { coversText, decimalsOfLargest } from '../../../shared/figures';
import { fmt } from '../format';
import { ScrollRegion } from './scroll-region';

type Target = LogsEvaluation['targets'][number];
type Interval = Target['estimates']['ips'];

const ESTIMATORS = ['ips', 'snips', 'dm', 'dr'] as const;
const ESTIMATOR_NAMES: Record<(typeof ESTIMATORS)[number], string> = { ips: 'IPS', snips: 'SNIPS', dm: 'DM', dr: 'DR' };
/** Rewards are often click rates of a few in a thousand: four decimals keep them apart. */
const DIGITS = 4;

type EstimateTexts = Record<(typeof ESTIMATORS)[number], { readonly point: string; readonly lo: string; readonly hi: string }>;

/**
 * A target's estimates and their intervals' ends, written with one number of decimals for the whole
 * table (decimalsOfLargest): a column reads down, and a tiny interval end reads "0.0000" rather than
 * asking for six decimals (it read "IPS 0.01 [0, 0.0301]" beside "DM 0.0119 [0.000002, 0.0373]").
 */
function estimateTexts(target: Target): EstimateTexts {
  const texts = decimalsOfLargest(
    ESTIMATORS.flatMap((k) => [target.estimates[k].point, target.estimates[k].lo, target.estimates[k].hi].map((x) => x ?? Number.NaN)),
    DIGITS,
  );
  return Object.fromEntries(ESTIMATORS.map((k, i) => [k, { point: texts[3 * i]!, lo: texts[3 * i + 1]!, hi: texts[3 * i + 2]! }])) as EstimateTexts;
}

/** A mean and its interval with the same decimals: "0.0052 (95 % interval 0.0031 … 0.0075)" reads point and ends alike. */
function meanTexts(e: Interval): { point: string; interval: string } {
  const [point, lo, hi] = decimalsOfLargest([e.point, e.lo, e.hi].map((x) => x ?? Number.NaN), DIGITS) as [string, string, string];
  return { point, interval: `${lo} … ${hi}` };
}

/** Over the browser-mode host an undefined estimate (NaN) arrives as null. */
const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export interface OpeResultsProps {
  readonly result: LogsEvaluation;
  readonly confidence: number;
  /** The rows evaluated on, in words ("policy = uniform"), or null for every row. */
  readonly rowsText: string | null;
  /** The choices changed since this evaluation. */
  readonly stale: boolean;
  /** The results' heading, which takes focus when they arrive. */
  readonly headingRef: RefObject<HTMLHeadingElement | null>;
}

export function OpeResults({ result, confidence, rowsText, stale, headingRef }: OpeResultsProps) {
  const level = `${Math.round(confidence * 1000) / 10} %`;
  // The logs' own column name, listed as messages list a file's names (an ESC, U+202E or thousands of characters quoted, escaped, cut).
  const reward = listedName(result.columns.reward);
  const scale = chartScale(result);
  const logged = meanTexts(result.logged);
  return (
    <section className="panel ope-results" aria-labelledby="ope-results-title" data-testid="ope-results">
      <h2 id="ope-results-title" ref={headingRef} tabIndex={-1}>
        Results
      </h2>
      {stale && (
        <p className="notice" data-testid="ope-stale">
          The choices above changed since these results: Evaluate again to update them.
        </p>
      )}
      <p data-testid="ope-logged">
        The logging policy{rowsText ? ` (the rows where ${rowsText})` : ''}: mean {reward} <strong>{logged.point}</strong> ({level}{' '}
        interval {logged.interval}) over{' '}
        {holdoutText(result) !== undefined
          ? `the ${result.rows.toLocaleString('en-US')} rows held out (${holdoutText(result)!}) of ${result.rowsKept.toLocaleString('en-US')} kept of ${result.rowsRead.toLocaleString('en-US')}`
          : `${result.rowsKept.toLocaleString('en-US')} of ${result.rowsRead.toLocaleString('en-US')} rows`}
        ;{' '}
        {result.actions.toLocaleString('en-US')} actions, {result.columns.context === null ? 'no context' : `${result.contexts.toLocaleString('en-US')} contexts`}.
      </p>
      {result.targets.map((target, i) => (
        <TargetResult
          key={i}
          index={i}
          target={target}
          fitWarning={result.fitWarnings.find((w) => w.spec === target.spec)?.text}
          level={level}
          logged={result.logged.point}
          loggedText={logged.point}
          rows={result.rows}
          reward={reward}
          scale={scale}
        />
      ))}
    </section>
  );
}

/** `fitWarning`: the target is a policy learned on a simulator fitted to rows scored here (see LogsEvaluation.fitWarnings). */
function TargetResult({
  target,
  index,
  fitWarning,
  level,
  logged,
  loggedText,
  rows,
  reward,
  scale,
}: {
  target: Target;
  index: number;
  fitWarning: string | undefined;
  level: string;
  logged: number;
  loggedText: string;
  rows: number;
  reward: string;
  scale: Scale;
}) {
  const { truth, diagnostics: d } = target;
  const titleId = `ope-target-${index}`;
  const texts = estimateTexts(target);
  const truthTexts = truth ? meanTexts(truth) : undefined;
  return (
    <section className="ope-target" aria-labelledby={titleId} data-testid="ope-target" data-spec={target.spec}>
      <h3 id={titleId}>{target.name}</h3>
      {fitWarning && (
        <p className="notice" role="note" data-testid="ope-fit-overlap">
          {fitWarning}
        </p>
      )}
      {truth && (
        <p data-testid="ope-truth">
          What it really got, on its own {truth.rows.toLocaleString('en-US')} rows: mean {reward} <strong>{truthTexts!.point}</strong> ({level} interval{' '}
          {truthTexts!.interval}).
        </p>
      )}
      <div className="ope-target-body">
        <ScrollRegion label={`Estimates for ${target.name}`}>
          <table className="ope-table">
            <caption>
              Estimates of its mean {reward} per logged decision, with {level} bootstrap intervals
            </caption>
            <thead>
              <tr>
                <th scope="col">Estimator</th>
                <th scope="col" className="num">
                  Value
                </th>
                <th scope="col" className="num">
                  {level} low
                </th>
                <th scope="col" className="num">
                  High
                </th>
                {truth && <th scope="col">Covers the truth</th>}
              </tr>
            </thead>
            <tbody>
              {ESTIMATORS.map((k) => {
                const e = target.estimates[k];
                return (
                  <tr key={k} data-testid="ope-row" data-estimator={k}>
                    <th scope="row">{ESTIMATOR_NAMES[k]}</th>
                    <td className="num" data-testid="ope-value" data-value={String(e.point)}>
                      {texts[k].point}
                    </td>
                    <td className="num">{texts[k].lo}</td>
                    <td className="num">{texts[k].hi}</td>
                    {truth && <td data-testid="ope-covers">{coversText(e, truth.point)}</td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollRegion>
        <IntervalChart target={target} texts={texts} logged={logged} loggedText={loggedText} truthText={truthTexts?.point} scale={scale} />
      </div>
      <p className="small" data-testid="ope-weights">
        Weights: mean {fmt(d.meanWeight, 3)}, largest {fmt(d.maxWeight, 3)}, effective sample size {fmt(d.effectiveSampleSize, 1)} of {fmt(rows)} rows;{' '}
        {fmt(100 * d.unsupportedMass, 1)} % of the target’s choices unseen in the logs.
      </p>
      {target.warnings.map((w) => (
        <p key={w} className="ope-warning" role="note" data-testid="ope-warning">
          <strong>Warning:</strong> {w}
        </p>
      ))}
    </section>
  );
}

const WIDTH = 360;
const LABEL = 52;
const ROW = 22;
const PAD = 10;

/** The charts' x range: from the lowest to the highest value any target's chart draws, with a margin. */
export type Scale = readonly [lo: number, hi: number];

export function chartScale(result: LogsEvaluation): Scale {
  const xs = [result.logged.point, ...result.targets.flatMap((t) => [t.truth?.point, ...ESTIMATORS.flatMap((k) => [t.estimates[k].lo, t.estimates[k].hi, t.estimates[k].point])])].filter(finite);
  let lo = Math.min(...xs);
  let hi = Math.max(...xs);
  if (!(hi > lo)) [lo, hi] = [lo - 0.5 * Math.abs(lo || 1), hi + 0.5 * Math.abs(hi || 1)];
  const margin = 0.05 * (hi - lo);
  // The margin does not cross 0: rates and rewards that are all ≥ 0 start the axis at 0, not at −0.0007;
  // nor does a value a hair below 0 (DR's low end at −4e-8, which its table writes 0.0000) take it
  // a whole margin below: the axis then ends at that value (Open Bandit's click rates read from −0.00052).
  const start = lo >= 0 ? Math.max(0, lo - margin) : lo > -margin ? lo : lo - margin;
  const end = hi <= 0 ? Math.min(0, hi + margin) : hi < margin ? hi : hi + margin;
  return [start, end];
}

/** The axis's end figures with one number of decimals, as the tables write theirs (decimalsOfLargest), and 0 as 0: a value a hair below 0 reads 0, not −4.41e-8. */
export function scaleTexts(scale: Scale): [string, string] {
  return decimalsOfLargest(scale, DIGITS).map((t) => (/^-?0(\.0*)?$/.test(t) ? '0' : t)) as [string, string];
}

/** One bar per estimator from its low to its high end, a dot at its value; lines for the truth and the logged mean. */
function IntervalChart({
  target,
  texts,
  logged,
  loggedText,
  truthText,
  scale: [lo, hi],
}: {
  target: Target;
  texts: EstimateTexts;
  logged: number;
  loggedText: string;
  truthText: string | undefined;
  scale: Scale;
}) {
  const truth = target.truth?.point;
  const x = (v: number) => LABEL + ((v - lo) / (hi - lo)) * (WIDTH - LABEL - PAD);
  const axis = PAD + ESTIMATORS.length * ROW;
  const height = axis + 30;
  const mark = (v: number, className: string) => <line className={className} x1={x(v)} x2={x(v)} y1={PAD - 4} y2={axis} />;
  const summary = `Intervals of ${ESTIMATORS.map((k) => `${ESTIMATOR_NAMES[k]} ${texts[k].lo} … ${texts[k].hi}`).join(', ')}; the logged mean ${loggedText}${finite(truth) && truthText !== undefined ? `; the truth ${truthText}` : ''}`;
  return (
    <figure className="ope-chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={summary} data-testid="ope-chart" data-scale={`${lo} ${hi}`}>
        {ESTIMATORS.map((k, i) => {
          const e = target.estimates[k];
          const y = PAD + i * ROW + ROW / 2;
          return (
            <g key={k}>
              <text x={0} y={y + 4} className="ope-chart-label">
                {ESTIMATOR_NAMES[k]}
              </text>
              {finite(e.lo) && finite(e.hi) && <rect className="ope-chart-bar" x={x(e.lo)} y={y - 5} width={Math.max(1, x(e.hi) - x(e.lo))} height={10} rx={2} />}
              {finite(e.point) && <circle className="ope-chart-point" cx={x(e.point)} cy={y} r={3.5} />}
            </g>
          );
        })}
        {mark(logged, 'ope-chart-logged')}
        {finite(truth) && mark(truth, 'ope-chart-truth')}
        <line className="ope-chart-axis" x1={LABEL} x2={WIDTH - PAD} y1={axis} y2={axis} />
        <text x={LABEL} y={axis + 14} className="ope-chart-tick">
          {scaleTexts([lo, hi])[0]}
        </text>
        <text x={WIDTH - PAD} y={axis + 14} className="ope-chart-tick" textAnchor="end">
          {scaleTexts([lo, hi])[1]}
        </text>
      </svg>
      <figcaption className="small muted">
        <span className="ope-key ope-key-logged" /> the logged mean
        {finite(truth) && (
          <>
            {' '}
            <span className="ope-key ope-key-truth" /> what it really got
          </>
        )}
      </figcaption>
    </figure>
  );
}
