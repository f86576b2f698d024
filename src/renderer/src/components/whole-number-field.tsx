/**
 * A labelled whole-number input whose text is kept as typed (the caller parses it with
 * wholeNumber) and marked invalid while it is not a number in [min, max]: then its own message
 * (`problem`, else "Seed: a whole number from 0 to 1,000") shows beside it (see RangeInput,
 * number-field.tsx).
 */
import type { CSSProperties } from 'react';
import { wholeNumber } from '../format';
import { count, RangeInput } from './number-field';

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
  const { label, value, min, max = Number.MAX_SAFE_INTEGER, problem } = props;
  return (
    <RangeInput
      {...props}
      max={props.max}
      invalid={wholeNumber(value, min, max) === null}
      problem={problem ?? `${label}: a whole number from ${count(min)} to ${count(max)}.`}
    />
  );
}
