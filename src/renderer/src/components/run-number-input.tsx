/**
 * "or run #": a run picked by its number, for run lists that hold only the newest runs (a select
 * of thousands would be unusable). Enter (or leaving the field) picks it; a run that does not
 * exist is then reported by the screen that loads it, like any other id. Text that is no run's
 * number (0, -3, 1.5) is said under the box, where it was left unread with nothing said.
 */
import { useId, useState } from 'react';
import { readRunNumber } from './run-ids';

export function RunNumberInput({ onRun, testId, label = 'or run #' }: { onRun: (id: number) => void; testId: string; label?: string }) {
  const [text, setText] = useState('');
  const [badInput, setBadInput] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const problemId = useId();
  const pick = () => {
    const read = readRunNumber(text, badInput);
    setProblem(read !== null && 'problem' in read ? read.problem : null);
    if (read !== null && 'id' in read) {
      onRun(read.id);
      setText('');
    }
  };
  return (
    <>
      <input
        type="number"
        min={1}
        step={1}
        className="run-number"
        value={text}
        placeholder={label}
        aria-label="Run number"
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          setBadInput(e.target.validity.badInput);
          setProblem(null);
        }}
        onBlur={pick}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            pick();
          }
        }}
      />
      {problem && (
        <span id={problemId} className="field-error run-number-problem" role="alert" data-testid={`${testId}-problem`}>
          {problem}
        </span>
      )}
    </>
  );
}

/** A note under a run list that holds only the newest `shown` of `total` runs. */
export function NewestRunsNote({ shown, total }: { shown: number; total: number }) {
  if (total <= shown) return null;
  return (
    <p className="muted small" data-testid="newest-runs-note">
      The list holds the {shown.toLocaleString('en-US')} newest of {total.toLocaleString('en-US')} runs: type a run’s number for an older one.
    </p>
  );
}
