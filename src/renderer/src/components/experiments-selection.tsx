/**
 * The Experiments screen's selection and the buttons acting on it: compare the selected
 * experiments, delete them (asked first, see experiments-delete), or export their results. Selected experiments a search
 * hides stay selected, as selected runs stay on another page of the Runs screen, and the count says so.
 */
import { useCallback, useRef, useState } from 'react';
import type { ExperimentSummary } from '../../../shared/dto';
import { fmt } from '../format';
import { href, navigate } from '../router';
import { BlockableButton } from './blockable-button';
import { ExportResultsButton } from './experiments-results';
import { withMembers } from '../sets';

export type ExperimentSelection = ReturnType<typeof useExperimentSelection>;

/** The selected experiments among those listed (one deleted, here or elsewhere, leaves the selection with its row). */
export function useExperimentSelection(experiments: readonly ExperimentSummary[] | undefined) {
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  // Stable, so a row (memoised) does not redraw when another row's checkbox changes.
  const toggle = useCallback(
    (ids: readonly number[], on: boolean) => setSelected((prev) => withMembers(prev, ids, on)),
    [],
  );
  const chosen = (experiments ?? []).filter((e) => selected.has(e.id));
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Delete and Clear selection are gone or blocked once they have acted: the status line takes focus and says what is left.
  const selectionLine = useRef<HTMLSpanElement>(null);
  return { selected, toggle, chosen, confirmDelete, setConfirmDelete, selectionLine, clear: () => setSelected(new Set()) };
}

export function ExperimentsSelectionToolbar({ selection: s, shown }: { selection: ExperimentSelection; shown: readonly ExperimentSummary[] }) {
  const count = s.chosen.length;
  const shownIds = new Set(shown.map((e) => e.id));
  const hidden = s.chosen.filter((e) => !shownIds.has(e.id)).length;
  return (
    <div className="row toolbar selection" aria-label="Selected experiments">
      <span ref={s.selectionLine} tabIndex={-1} className="muted small" data-testid="selection-count">
        {count === 0 ? 'Select experiments to compare, delete or export them.' : `${fmt(count)} selected${hidden > 0 ? ` (${fmt(hidden)} hidden by the search)` : ''}`}
      </span>
      <BlockableButton
        blocker={count === 0 ? 'Select experiments to compare them.' : null}
        blockerTestId="compare-selected-blocker"
        popup
        data-testid="compare-selected"
        onClick={() => navigate(href('compare', { experiments: s.chosen.map((e) => e.id).sort((a, b) => a - b) }))}
      >
        Compare selected
      </BlockableButton>
      <BlockableButton
        className="danger"
        blocker={count === 0 ? 'Select experiments to delete them.' : null}
        blockerTestId="delete-selected-blocker"
        popup
        data-testid="delete-selected"
        onClick={() => s.setConfirmDelete(true)}
      >
        Delete selected
      </BlockableButton>
      <ExportResultsButton chosen={s.chosen} />
      {count > 0 && (
        <button
          type="button"
          className="link"
          onClick={() => {
            s.clear();
            s.selectionLine.current?.focus();
          }}
        >
          Clear selection
        </button>
      )}
    </div>
  );
}
