/**
 * The Experiments screen's selection and the buttons acting on it: compare the selected
 * experiments, delete them (asked first, see experiments-delete), or export their results. Selected experiments another
 * page or a search hides stay selected, as selected runs stay on another page of the Runs screen, and the count says so.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ExperimentSummary } from '../../../shared/dto';
import { useFollowedSomeExperiments, type ExperimentPush } from '../experiments-follow';
import { fmt } from '../format';
import { href, navigate } from '../router';
import { BlockableButton } from './blockable-button';
import { ExportResultsButton } from './experiments-results';
import { matchesSearch } from './experiments-query';
import { withMembers } from '../sets';

export type ExperimentSelection = ReturnType<typeof useExperimentSelection>;

/**
 * The selected experiments, on the page shown or not: those of the page as it shows them, the
 * others as they are read (and kept up with `events`) by their ids. One deleted, here or elsewhere,
 * leaves the selection with its row.
 */
export function useExperimentSelection(page: readonly ExperimentSummary[] | undefined, events: readonly ExperimentPush[]) {
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  // Stable, so a row (memoised) does not redraw when another row's checkbox changes.
  const toggle = useCallback(
    (ids: readonly number[], on: boolean) => setSelected((prev) => withMembers(prev, ids, on)),
    [],
  );
  const ids = useMemo(() => [...selected].sort((a, b) => a - b), [selected]);
  const read = useFollowedSomeExperiments(ids, events);
  // One selected on the page a moment ago is there before its read answers.
  const chosen = useMemo(() => {
    const byId = new Map<number, ExperimentSummary>();
    for (const e of page ?? []) if (selected.has(e.id)) byId.set(e.id, e);
    for (const e of read.data ?? []) if (selected.has(e.id) && !byId.has(e.id)) byId.set(e.id, e);
    return [...byId.values()].sort((a, b) => b.id - a.id);
  }, [page, read.data, selected]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Delete and Clear selection are gone or blocked once they have acted: the status line takes focus and says what is left.
  const selectionLine = useRef<HTMLSpanElement>(null);
  return { selected, toggle, chosen, confirmDelete, setConfirmDelete, selectionLine, clear: () => setSelected(new Set()) };
}

/** What the count adds of the selected experiments not shown: those the search hides, and those on other pages. */
export function hiddenText(chosen: readonly ExperimentSummary[], shown: readonly ExperimentSummary[], search: string): string {
  const shownIds = new Set(shown.map((e) => e.id));
  const hidden = chosen.filter((e) => !shownIds.has(e.id));
  const bySearch = hidden.filter((e) => !matchesSearch(e, search)).length;
  const elsewhere = hidden.length - bySearch;
  const parts = [...(bySearch > 0 ? [`${fmt(bySearch)} hidden by the search`] : []), ...(elsewhere > 0 ? [`${fmt(elsewhere)} on other pages`] : [])];
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

export function ExperimentsSelectionToolbar({ selection: s, shown, search }: { selection: ExperimentSelection; shown: readonly ExperimentSummary[]; search: string }) {
  const count = s.chosen.length;
  return (
    <div className="row toolbar selection" aria-label="Selected experiments">
      <span ref={s.selectionLine} tabIndex={-1} className="muted small" data-testid="selection-count">
        {count === 0 ? 'Select experiments to compare, delete or export them.' : `${fmt(count)} selected${hiddenText(s.chosen, shown, search)}`}
      </span>
      {/* The three together: a narrow window (800 px) moves them under the line whole, not Export results… alone. */}
      <div className="row selection-actions">
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
      </div>
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
