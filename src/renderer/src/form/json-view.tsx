/**
 * New experiment's JSON view: the draft as an `aisle.experiment/v1` file to edit as text, and, on
 * the form, the banner that says the JSON view holds text that does not parse (the form then shows
 * the last experiment that did).
 */
import { SweepNote } from './sweep-section';
import { measureFile } from './held-files';
import { inlineFileText } from './schema';

interface JsonViewProps {
  readonly text: string;
  /** Why the text does not parse, while it does not. */
  readonly error: string | null;
  readonly onText: (text: string) => void;
  /** The sweep set in the form, in a line (null without one): no part of the file, yet launched. */
  readonly sweep: string | null;
  readonly onEditSweep: () => void;
  /** The large inline files the text holds aside as a line each (see toJsonText), or in full while `wholeFiles`. */
  readonly heldFiles: readonly Record<string, unknown>[];
  readonly wholeFiles: boolean;
  readonly onWholeFiles: (whole: boolean) => void;
}

/** "MDP: walk, 20,000 states × 4 actions, 3.8 MB of JSON": a held file, and how much the JSON view would write out for it. */
function heldText(file: Record<string, unknown>): string {
  return `${inlineFileText(file) ?? 'an inline file'}, ${(measureFile(file).chars / 1e6).toFixed(1)} MB of JSON`;
}

export function JsonView({ text, error, onText, sweep, onEditSweep, heldFiles, wholeFiles, onWholeFiles }: JsonViewProps) {
  return (
    <section className="panel" aria-label="JSON view">
      {sweep !== null && <SweepNote summary={sweep} onEdit={onEditSweep} />}
      <label htmlFor="json-view" className="muted small">
        The experiment as an <code>aisle.experiment/v1</code> file: edits here update the form.
      </label>
      {heldFiles.length > 0 && (
        // Text that does not parse would be lost to the switch: it waits until the text parses.
        <label className="small row" title={error !== null ? 'Fix or discard the text that does not parse first' : undefined}>
          <input type="checkbox" data-testid="json-whole-files" checked={wholeFiles} disabled={error !== null} onChange={(e) => onWholeFiles(e.target.checked)} />
          Show files in full ({heldFiles.map(heldText).join('; ')}; editing it here reads it anew at each keystroke)
        </label>
      )}
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
