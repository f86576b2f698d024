/**
 * An experiment's name and description edited in place (Rename on the Experiments screen and in Run
 * detail's header): Enter in the name or Save stores them, Escape or Cancel leaves them as they
 * were. What the service would refuse (a blank name, one over 200 characters) is said under its
 * field before anything is sent, by the same checks (renameProblems), and nothing is stored; what it
 * refuses all the same is placed alike; anything else (the experiment deleted meanwhile) below the fields.
 */
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ExperimentSummary } from '../../../shared/dto';
import { CallError } from '../../../shared/client';
import { useClient } from '../api';
import { focusIsLost, useFocusAfterRender } from '../focus';
import { placeProblems } from '../form/problems';
import { renameProblems } from '../../../engine/experiment-text';
import { ErrorLine } from './error-line';

/** The fields whose problems (experiments.update's lines, by path) are said under them. */
const FIELDS = ['name', 'description'] as const;

export function ExperimentRename({ experiment, onDone }: { experiment: Pick<ExperimentSummary, 'id' | 'name' | 'description'>; onDone: (saved: boolean) => void }) {
  const client = useClient();
  const id = useId();
  const [name, setName] = useState(experiment.name);
  const [description, setDescription] = useState(experiment.description ?? '');
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<Record<(typeof FIELDS)[number], readonly string[]>>({ name: [], description: [] });
  const [error, setError] = useState<unknown>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const descriptionInput = useRef<HTMLTextAreaElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);
  const focusAfterRender = useFocusAfterRender();

  /**
   * Says each field's problems under it (as alerts: Enter in the name leaves focus where it was, and a
   * field focused here is not yet described by its problem) and focuses the first field with one.
   */
  function showProblems(fields: Record<(typeof FIELDS)[number], readonly string[]>) {
    setProblems(fields);
    if (fields.name.length > 0) nameInput.current?.focus();
    else if (fields.description.length > 0) descriptionInput.current?.focus();
  }

  async function save() {
    const refused = renameProblems(name, description);
    if (refused.name.length + refused.description.length > 0) {
      setError(null);
      showProblems(refused);
      return;
    }
    setSaving(true);
    try {
      await client.call('experiments.update', { id: experiment.id, name, description });
      onDone(true);
    } catch (e) {
      setSaving(false);
      // Each field's problems under it ("name: must not be empty: …" reads "Name: must not be empty: …").
      const lines = e instanceof CallError && e.status === 400 ? (e.problems ?? []) : [];
      const { byField } = placeProblems(lines, FIELDS);
      const fields = { name: byField.get('name') ?? [], description: byField.get('description') ?? [] };
      // Anything not about a field (the experiment deleted meanwhile, a locked database) is said below them.
      setError(fields.name.length + fields.description.length === 0 ? e : null);
      showProblems(fields);
      // Save is disabled while it saves, which drops focus pressed there to <body>; refused for no
      // field (which showProblems focuses), it gets focus back once rendered enabled again, as
      // Import results does, so a keyboard user hears the line below and tries again from there.
      // Enter in a field leaves focus there, where it stays.
      if (fields.name.length + fields.description.length === 0) focusAfterRender(() => (focusIsLost() ? saveButton.current : null));
    }
  }

  const escape = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    onDone(false);
  };

  return (
    <form
      className="experiment-rename"
      data-testid="rename-form"
      aria-label={`Rename experiment ${experiment.id}`}
      onKeyDown={escape}
      onSubmit={(e) => {
        e.preventDefault();
        if (!saving) void save();
      }}
    >
      <div className="field">
        <label className="name" htmlFor={`${id}-name`}>
          Name
        </label>
        <input
          id={`${id}-name`}
          ref={nameInput}
          // Opened by Rename: the name is what is edited.
          autoFocus
          value={name}
          data-testid="rename-name"
          aria-invalid={problems.name.length > 0 ? true : undefined}
          aria-describedby={problems.name.length > 0 ? `${id}-name-problems` : undefined}
          onChange={(e) => setName(e.target.value)}
        />
        {problems.name.length > 0 && (
          <div id={`${id}-name-problems`} className="field-error" role="alert" data-testid="rename-name-problem">
            Name: {problems.name.join('\n')}
          </div>
        )}
      </div>
      <div className="field">
        <label className="name" htmlFor={`${id}-description`}>
          Description
        </label>
        <textarea
          id={`${id}-description`}
          ref={descriptionInput}
          rows={2}
          value={description}
          data-testid="rename-description"
          aria-invalid={problems.description.length > 0 ? true : undefined}
          aria-describedby={problems.description.length > 0 ? `${id}-description-problems` : `${id}-description-help`}
          onChange={(e) => setDescription(e.target.value)}
        />
        <div id={`${id}-description-help`} className="help">
          Leave it empty for no description.
        </div>
        {problems.description.length > 0 && (
          <div id={`${id}-description-problems`} className="field-error" role="alert" data-testid="rename-description-problem">
            Description: {problems.description.join('\n')}
          </div>
        )}
      </div>
      {error !== null && <ErrorLine error={error} />}
      <div className="row">
        <button ref={saveButton} type="submit" className="primary" disabled={saving} data-testid="rename-save">
          Save
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
