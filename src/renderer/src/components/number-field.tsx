/**
 * Labelled number inputs whose text is kept as typed (the caller parses it) and marked invalid
 * while it is not a number in [min, max]: then a message saying the range ("Prior, in pseudo-rows:
 * a number from 0 to 1,000,000, such as 2.5.") shows beside the field, linked to it by
 * aria-describedby, so a screen reader says why, and each field that is wrong says so at once.
 * NumberField takes what the matching `aisle` option takes (a decimal such as 2.5, as commander's
 * `real` parser reads it; the caller parses it with numberIn); WholeNumberField
 * (whole-number-field.tsx) a whole number.
 */
import { useId, type CSSProperties } from 'react';

/** The number `text` reads as (`aisle`'s real(): any finite decimal, 2.5 or 1e3), when in [min, max]; else null. */
export function numberIn(text: string, min: number, max: number): number | null {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && n >= min && n <= max ? n : null;
}

export const count = (n: number): string => n.toLocaleString('en-US');

/** The input both fields draw: `problem` shows beside it while `invalid`. */
export function RangeInput(props: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  min: number;
  /** The input's max attribute (none: unbounded for the browser). */
  max?: number;
  /** "any" for decimals; without it the browser takes only whole numbers as valid. */
  step?: string;
  invalid: boolean;
  problem: string;
  testId: string;
  className?: string;
  style?: CSSProperties;
}) {
  const { label, value, onChange, min, max, step, invalid, problem, testId, className, style } = props;
  const problemId = useId();
  return (
    <>
      <label>
        {label}{' '}
        <input
          type="number"
          min={min}
          max={max}
          step={step}
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
        // Outside the label: inside, it would be read as part of the field's name. An alert, as the
        // run number's problem is: its text, the field's range, is the same whatever was typed.
        <span id={problemId} className="field-error" role="alert" data-testid={`${testId}-problem`}>
          {problem}
        </span>
      )}
    </>
  );
}

export function NumberField(props: { label: string; value: string; onChange: (text: string) => void; min: number; max: number; testId: string; className?: string }) {
  const { label, min, max } = props;
  return (
    <RangeInput {...props} step="any" invalid={numberIn(props.value, min, max) === null} problem={`${label}: a number from ${count(min)} to ${count(max)}, such as 2.5.`} />
  );
}
