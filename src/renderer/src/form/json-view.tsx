/**
 * New experiment's JSON view: the draft as an `aisle.experiment/v1` file to edit as text, and, on
 * the form, the banner that says the JSON view holds text that does not parse (the form then shows
 * the last experiment that did).
 */
import { SweepNote } from './sweep-section';

interface JsonViewProps {
  readonly text: string;
  /** Why the text does not parse, while it does not. */
  readonly error: string | null;
  readonly onText: (text: string) => void;
  /** The sweep set in the form, in a line (null without one): no part of the file, yet launched. */
  readonly sweep: string | null;
  readonly onEditSweep: () => void;
}

export function JsonView({ text, error, onText, sweep, onEditSweep }: JsonViewProps) {
  return (
    <section className="panel" aria-label="JSON view">
      {sweep !== null && <SweepNote summary={sweep} onEdit={onEditSweep} />}
      <label htmlFor="json-view" className="muted small">
        The experiment as an <code>aisle.experiment/v1</code> file: edits here update the form.
      </label>
      <textarea
        id="json-view"
        data-testid="json-view"
        className="json-view"
        rows={24}
        spellCheck={false}
        value={text}
        aria-invalid={error !== null}
        aria-describedby={error ? 'json-view-error' : undefined}
        onChange={(e) => onText(e.target.value)}
      />
      {error && (
        <div className="field-error" id="json-view-error" data-testid="json-error">
          {error}
        </div>
      )}
    </section>
  );
}

/** On the form, while the JSON view's text does not parse: back to it, or discard its edits. */
export function JsonPending({ error, onBack, onDiscard }: { error: string; onBack: () => void; onDiscard: () => void }) {
  return (
    <div className="error" role="alert" data-testid="json-pending">
      <p>
        The JSON view holds text that does not parse ({error}), so the form shows the last experiment that did. Launch waits until the JSON view parses again or its
        edits are discarded; an edit in the form discards them too.
      </p>
      <div className="row">
        <button type="button" onClick={onBack} data-testid="json-pending-back">
          Back to the JSON view
        </button>
        <button type="button" onClick={onDiscard} data-testid="json-pending-discard">
          Discard the JSON edits
        </button>
      </div>
    </div>
  );
}
