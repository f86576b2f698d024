/**
 * The Off-policy form's estimator options: the intervals' level, the bootstrap's resamples and seed,
 * and the reward model's (DM, DR) prior and DR's cross-fitting folds, as `aisle ope` takes them.
 */
import { MAX_SEED } from '../../../engine/experiment';
import { NumberField } from './number-field';
import { WholeNumberField } from './whole-number-field';

const CONFIDENCES = [0.9, 0.95, 0.99] as const;
/** The largest prior, in pseudo-rows: what `aisle ope --prior` and logs.evaluate take. */
export const MAX_PRIOR = 1_000_000;

/** Each field's value and its setter (Resamples, Seed and Prior as typed: the screen checks them). */
export interface EstimatorFieldsProps {
  readonly confidence: number;
  readonly onConfidence: (level: number) => void;
  readonly resamples: string;
  readonly onResamples: (text: string) => void;
  readonly seed: string;
  readonly onSeed: (text: string) => void;
  readonly prior: string;
  readonly onPrior: (text: string) => void;
  readonly folds: number;
  readonly onFolds: (folds: number) => void;
}

export function OpeEstimatorFields(p: EstimatorFieldsProps) {
  return (
    <>
      <fieldset className="ope-group">
        <legend>Intervals</legend>
        <div className="row">
          <label>
            Level{' '}
            <select value={p.confidence} onChange={(e) => p.onConfidence(Number(e.target.value))} data-testid="ope-confidence">
              {CONFIDENCES.map((c) => (
                <option key={c} value={c}>
                  {Math.round(c * 100)} %
                </option>
              ))}
            </select>
          </label>
          <WholeNumberField label="Bootstrap resamples" min={10} max={100_000} value={p.resamples} onChange={p.onResamples} className="ope-number" testId="ope-resamples" />
          <WholeNumberField label="Seed" min={0} max={MAX_SEED} value={p.seed} onChange={p.onSeed} className="ope-number" testId="ope-seed" />
        </div>
      </fieldset>

      <fieldset className="ope-group">
        <legend>Reward model (DM, DR)</legend>
        <div className="row">
          <NumberField label="Prior, in pseudo-rows" min={0} max={MAX_PRIOR} value={p.prior} onChange={p.onPrior} className="ope-number" testId="ope-prior" />
          <label>
            DR cross-fitting{' '}
            <select value={p.folds} onChange={(e) => p.onFolds(Number(e.target.value))} data-testid="ope-folds">
              {Array.from({ length: 10 }, (_, i) => i + 1).map((k) => (
                <option key={k} value={k}>
                  {k === 1 ? 'none (fit on every row)' : `${k} folds`}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="muted small">
          Each cell&apos;s mean reward, shrunk toward its action&apos;s mean over the other contexts (itself shrunk toward the overall mean), each by the prior; DR
          corrects each row with the model fit on the other folds.
        </p>
      </fieldset>
    </>
  );
}
