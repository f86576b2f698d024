/**
 * A labelled whole-number input whose text is kept as typed (the caller parses it with
 * wholeNumber) and marked invalid while it is not a number in [min, max]: then its own message
 * (`problem`, else "Seed: a whole number from 0 to 1,000") shows beside it, linked to it by
 * aria-describedby, so a screen reader says why, and each field that is wrong says so at once.
 */
import { useId, type CSSProperties } from 'react';
import { wholeNumber } from '../format';

export function WholeNumberField(props: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  min: number;
  max?: number;
  testId: string;
  /** What to say when the value is not allowed (default: the range). */
  problem?: string;
  className?: string;
  style?: CSSProperties;
}) {
  const { label, value, onChange, min, max = Number.MAX_SAFE_INTEGER, testId, problem, className, style } = props;
  const invalid = wholeNumber(value, min, max) === null;
  const problemId = useId();
  const count = (n: number) => n.toLocaleString('en-US');
  return (
    <>
      <label>
        {label}{' '}
        <input
          type="number"
          min={min}
          max={props.max}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? problemId : undefined}
          className={className}
          style={style}
          data-testid={testId}
        />
      </label>
      {invalid && (
        // Outside the label: inside, it would be read as part of the field's name.
        <span id={problemId} className="field-error" data-testid={`${testId}-problem`}>
          {problem ?? `${label}: a whole number from ${count(min)} to ${count(max)}.`}
        </span>
      )}
    </>
  );
}
