/**
 * A labelled whole-number input whose text is kept as typed (the caller parses it with
 * wholeNumber) and marked invalid while it is not a number in [min, max].
 */
import type { CSSProperties } from 'react';
import { wholeNumber } from '../format';

export function WholeNumberField(props: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  min: number;
  max?: number;
  testId: string;
  className?: string;
  style?: CSSProperties;
}) {
  const { label, value, onChange, min, max, testId, className, style } = props;
  const invalid = wholeNumber(value, min, max ?? Number.MAX_SAFE_INTEGER) === null;
  return (
    <label>
      {label}{' '}
      <input
        type="number"
        min={min}
        max={max}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid ? true : undefined}
        className={className}
        style={style}
        data-testid={testId}
      />
    </label>
  );
}
