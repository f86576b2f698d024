/**
 * A labelled number input that takes what the matching `aisle` option takes (a decimal such as 2.5,
 * as commander's `real` parser reads it), its text kept as typed (the caller parses it with
 * numberIn) and marked invalid while it is not a number in [min, max]: then "Prior, in pseudo-rows:
 * a number from 0 to 1,000,000." shows beside it, linked by aria-describedby, as WholeNumberField
 * says its own range.
 */
import { useId } from 'react';

/** The number `text` reads as (`aisle`'s real(): any finite decimal, 2.5 or 1e3), when in [min, max]; else null. */
export function numberIn(text: string, min: number, max: number): number | null {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && n >= min && n <= max ? n : null;
}

export function NumberField(props: { label: string; value: string; onChange: (text: string) => void; min: number; max: number; testId: string; className?: string }) {
  const { label, value, onChange, min, max, testId, className } = props;
  const invalid = numberIn(value, min, max) === null;
  const problemId = useId();
  const count = (n: number) => n.toLocaleString('en-US');
  return (
    <>
      <label>
        {label}{' '}
        <input
          type="number"
          min={min}
          max={max}
          // Any decimal: without it the browser takes only whole numbers as valid.
          step="any"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? problemId : undefined}
          className={className}
          data-testid={testId}
        />
      </label>
      {invalid && (
        <span id={problemId} className="field-error" data-testid={`${testId}-problem`}>
          {`${label}: a number from ${count(min)} to ${count(max)}, such as 2.5.`}
        </span>
      )}
    </>
  );
}
