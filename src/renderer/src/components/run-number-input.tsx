/**
 * "or run #": a run picked by its number, for run lists that hold only the newest runs (a select
 * of thousands would be unusable). Enter (or leaving the field) picks it; a run that does not
 * exist is then reported by the screen that loads it, like any other id.
 */
import { useState } from 'react';

export function RunNumberInput({ onRun, testId, label = 'or run #' }: { onRun: (id: number) => void; testId: string; label?: string }) {
  const [text, setText] = useState('');
  const pick = () => {
    const id = Number(text);
    if (text.trim() !== '' && Number.isInteger(id) && id > 0) {
      onRun(id);
      setText('');
    }
  };
  return (
    <input
      type="number"
      min={1}
      step={1}
      className="run-number"
      value={text}
      placeholder={label}
      aria-label="Run number"
      data-testid={testId}
      onChange={(e) => setText(e.target.value)}
      onBlur={pick}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          pick();
        }
      }}
    />
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
