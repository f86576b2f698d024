/**
 * The smoothing slider of Run detail and Compare, with its "auto" switch: automatic, the weight
 * follows the curve's number of points (autoSmoothing); moving the slider picks a weight, and
 * ticking "auto" goes back.
 */
import type { Smoothing } from '../url-state';

export function SmoothingControl({ smoothing, id, label, testId, title }: { smoothing: Smoothing; id: string; label: string; testId: string; title?: string }) {
  const value = smoothing.weight.toFixed(2);
  return (
    <span className="row smoothing-control">
      <label className="row" htmlFor={id} title={title}>
        {label}
        <input
          id={id}
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={smoothing.weight}
          data-testid={testId}
          aria-valuetext={smoothing.auto ? `${value}, automatic` : value}
          onChange={(e) => smoothing.set(Number(e.target.value))}
        />
        {/* An <output> is a live region (role status): a screen reader said each weight twice as the slider moved (its value text,
            then this), and on a training run's page every step of the automatic weight as points came in. The slider says it. */}
        <output className="num-out small" aria-live="off" data-testid={`${testId}-value`}>
          {value}
        </output>
      </label>
      <label className="smoothing-auto" title="Automatic: 0.6 for short curves, more for long ones (about 1 % of the points)">
        <input type="checkbox" checked={smoothing.auto} data-testid={`${testId}-auto`} onChange={(e) => (e.target.checked ? smoothing.setAuto() : smoothing.set(smoothing.weight))} /> auto
      </label>
    </span>
  );
}
