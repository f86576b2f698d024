/**
 * The Runs screen's selection and what it does to the selected runs: compare them, cancel them
 * (asked first when they have played episodes) or delete them (cancelling them first), with the
 * lines that say what a cancel left undone and the two confirmation dialogs.
 */
import { useRef, useState } from 'react';
import type { Client } from '../../../shared/client';
import type { RunStatus, RunSummary } from '../../../shared/dto';
import { counted, notCancelledHere, plural } from '../../../shared/text';
import { useClient, useEvent } from '../api';
import { fmt } from '../format';
import { href, navigate } from '../router';
import { BlockableButton } from './blockable-button';
import { cancelAndDelete, cancelRuns } from './cancel-and-delete';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorLine } from './error-line';
import { isActive, notDeletedYet } from './status';
import { StatusLine } from './status-line';
import { withMembers } from '../sets';

export type RunSelection = ReturnType<typeof useRunSelection>;

/**
 * The selected runs of the rows shown (`live`: their progress pushed since the page was read), and
 * the state of the actions on them. `refresh` reads the page again once they have acted.
 */
export function useRunSelection(rows: readonly RunSummary[], live: ReadonlyMap<number, number>, refresh: () => void) {
  const client = useClient();
  // Selection survives paging and refetches; each run's status and whose it is, as last seen on a
  // page, decide whether Cancel applies: runs another process trains are that process's to cancel.
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const seen = useRef(new Map<number, { status: RunStatus; elsewhere: boolean }>());
  for (const r of rows) seen.current.set(r.id, { status: r.status, elsewhere: r.elsewhere });
  // Episodes played, as last seen: cancelling a run that has played some is asked first.
  const played = useRef(new Map<number, number>());
  for (const r of rows) played.current.set(r.id, Math.max(r.episodesDone, live.get(r.id) ?? 0));
  const toggle = (ids: readonly number[], on: boolean) => setSelected((prev) => withMembers(prev, ids, on));
  const selectedIds = [...selected].sort((a, b) => a - b);
  // Runs deleted elsewhere (another window, `aisle delete`: the list hears experiments.changed)
  // leave the selection, which counted them "not on this page" and would have Delete name them.
  useEvent('experiments.changed', () => {
    if (selectedIds.length > 0) void deletedOf(client, selectedIds).then((gone) => gone.length > 0 && toggle(gone, false));
  });
  // Selected runs the page does not show (another page, or left out by the filters): the count says
  // so, as the Experiments screen's does, since Delete acts on them too.
  const shown = new Set(rows.map((r) => r.id));
  const hidden = selectedIds.filter((id) => !shown.has(id)).length;
  // Runs this screen asked to cancel: their rows may leave a filtered page (running, queued) before
  // their new status is read there, and "Cancel N" must not stay enabled for them.
  const [cancelAsked, setCancelAsked] = useState<ReadonlySet<number>>(new Set());
  const activeSelected = selectedIds.flatMap((id) => {
    const run = seen.current.get(id);
    return run && isActive(run.status) ? [{ id, ...run }] : [];
  });
  const cancellable = activeSelected.filter((r) => !cancelAsked.has(r.id) && !r.elsewhere).map((r) => r.id);
  // Selected runs another process trains: Cancel says so (and leaves them to it), Delete waits for them.
  const selectedElsewhere = activeSelected.filter((r) => r.elsewhere);
  const notHere = selectedElsewhere.length > 0 ? notCancelledHere(selectedElsewhere) : undefined;
  const [actionError, setActionError] = useState<unknown>(null);
  // What the last cancel left to another process (`aisle run`, another window) that trains it.
  const [notCancelled, setNotCancelled] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // The runs the cancel dialog asks about, fixed when it opens (cancelling them changes `cancellable`).
  const [confirmCancel, setConfirmCancel] = useState<{ ids: readonly number[]; count: number; progressed: readonly number[]; notHere: string | undefined } | null>(null);
  // Cancel and Delete are blocked by their own success (nothing left to cancel, nothing selected):
  // the selection's status line takes focus instead, and says what is left selected rather than why
  // the button pressed cannot act again.
  const selectionLine = useRef<HTMLSpanElement>(null);
  const cancel = async (ids: readonly number[]) => {
    const { cancelled, elsewhere } = await cancelRuns(client, ids);
    setNotCancelled(elsewhere && `${cancelled.length > 0 ? `Cancelled ${idsText(cancelled)}. ` : ''}Not cancelled: ${elsewhere.message}.`);
    selectionLine.current?.focus();
    setCancelAsked((prev) => new Set([...prev, ...ids]));
    refresh();
  };
  // The selected runs still queued or running as last seen (`activeSelected`): Delete cancels them
  // first (the statuses follow every change of status, so the dialog says what holds when it is
  // confirmed), or waits for another process to stop those it trains.
  const deleteCancels = activeSelected.filter((r) => !r.elsewhere);
  // A run not seen on a page (selected on another) may have played episodes: asked as if it had.
  const progressed = cancellable.filter((id) => (played.current.get(id) ?? 1) > 0);
  // Compare draws stored episodes: a run with none (queued, or stopped before its first) made the
  // whole comparison fail, naming one such run at a time. Left out, the others are compared.
  const comparable = selectedIds.filter((id) => (played.current.get(id) ?? 1) > 0);
  const deleteSelected = async () => {
    const r = await cancelAndDelete(client, selectedIds);
    toggle(r.deleted, false);
    refresh();
  };
  return {
    selected,
    setSelected,
    toggle,
    selectedIds,
    hidden,
    cancellable,
    selectedElsewhere,
    notHere,
    actionError,
    setActionError,
    notCancelled,
    setNotCancelled,
    confirmDelete,
    setConfirmDelete,
    confirmCancel,
    setConfirmCancel,
    selectionLine,
    cancel,
    deleteCancels,
    progressed,
    comparable,
    deleteSelected,
  };
}

/** The buttons acting on the selected runs, and the lines saying how their last action went. */
export function SelectionToolbar({ selection: s }: { selection: RunSelection }) {
  const { selected, hidden, cancellable, notHere, progressed, comparable } = s;
  const withoutEpisodes = selected.size - comparable.length;
  return (
    <>
      <div className="row toolbar selection" aria-label="Selected runs">
        <span ref={s.selectionLine} tabIndex={-1} className="muted small" data-testid="selection-count">
          {selected.size ? `${fmt(selected.size)} selected${hidden > 0 ? ` (${fmt(hidden)} not on this page)` : ''}` : 'Select runs to compare, cancel or delete them.'}
        </span>
        <BlockableButton
          blocker={
            selected.size === 0
              ? 'Select runs to compare them.'
              : comparable.length === 0
                ? selected.size === 1
                  ? 'The selected run has no stored episodes to compare (it is queued, or stopped before its first).'
                  : 'None of the selected runs has stored episodes to compare (queued, or stopped before their first).'
                : null
          }
          blockerTestId="compare-selected-blocker"
          popup
          title={comparable.length > 0 && withoutEpisodes > 0 ? `Compares ${plural(comparable.length, 'run')}: ${plural(withoutEpisodes, 'selected run')} without stored episodes left out` : undefined}
          data-testid="compare-selected"
          onClick={() => navigate(href('compare', { runs: comparable }))}
        >
          Compare selected
        </BlockableButton>
        <BlockableButton
          // Nothing this process can cancel: no selected run is queued or running, or another process trains them (only it can cancel them).
          blocker={cancellable.length === 0 ? (notHere ?? 'Select running or queued runs to cancel them.') : null}
          blockerTestId="cancel-selected-blocker"
          popup
          data-testid="cancel-selected"
          onClick={() => {
            s.setActionError(null);
            s.setNotCancelled(null);
            // Those another process trains are asked too: the answer says where to stop them, as it finds them now.
            const ids = [...cancellable, ...s.selectedElsewhere.map((r) => r.id)];
            if (progressed.length > 0) s.setConfirmCancel({ ids, count: cancellable.length, progressed, notHere });
            else s.cancel(ids).catch(s.setActionError);
          }}
        >
          {cancellable.length ? runWords(cancellable.length).cancel : 'Cancel runs'}
        </BlockableButton>
        <BlockableButton
          className="danger"
          blocker={selected.size === 0 ? 'Select runs to delete them.' : null}
          blockerTestId="delete-selected-blocker"
          popup
          data-testid="delete-selected"
          onClick={() => s.setConfirmDelete(true)}
        >
          Delete
        </BlockableButton>
        {selected.size > 0 && (
          <button type="button" className="link" onClick={() => s.setSelected(new Set())}>
            Clear selection
          </button>
        )}
      </div>
      {s.actionError !== null && <ErrorLine error={s.actionError} testId="runs-action-error" />}
      <StatusLine text={s.notCancelled} className="notice" testId="not-cancelled" />
    </>
  );
}

/** Cancel's dialog (when a run has played episodes) and Delete's. */
export function SelectionDialogs({ selection: s }: { selection: RunSelection }) {
  const { confirmCancel, selectedIds, deleteCancels } = s;
  return (
    <>
      {confirmCancel && (
        <ConfirmDialog
          title={`${runWords(confirmCancel.count).cancel}?`}
          confirmLabel={runWords(confirmCancel.count).cancel}
          keepLabel="Keep training"
          onClose={() => s.setConfirmCancel(null)}
          focusAfter={() => s.selectionLine.current}
          onConfirm={() => s.cancel(confirmCancel.ids)}
        >
          <p>
            {confirmCancel.progressed.length === 1 ? `Run ${confirmCancel.progressed[0]} has` : `Runs ${idList(confirmCancel.progressed)} have`}{' '}
            played episodes. Cancelled runs stop now; what they stored (curves, checkpoints, summary) is kept, and a run that stops between two episodes can be resumed from there (Pause on a run's page always can be).
          </p>
          {confirmCancel.notHere && <p data-testid="cancel-not-here">{confirmCancel.notHere}</p>}
        </ConfirmDialog>
      )}
      {s.confirmDelete && (
        <ConfirmDialog
          title={`${runWords(selectedIds.length).delete}?`}
          confirmLabel={deleteCancels.length > 0 ? runWords(selectedIds.length).cancelAndDelete : runWords(selectedIds.length).delete}
          // Nothing is deleted while another process trains one of them (all or none are).
          blocker={notDeletedYet(s.selectedElsewhere)}
          onClose={() => s.setConfirmDelete(false)}
          focusAfter={() => s.selectionLine.current}
          onConfirm={s.deleteSelected}
        >
          <p>
            {selectedIds.length === 1 ? 'Run' : 'Runs'} {idList(selectedIds)}, with {selectedIds.length === 1 ? 'its' : 'their'} metrics and checkpoints.{' '}
            {deleteCancels.length > 0 &&
              (deleteCancels.length === 1
                ? `Run ${deleteCancels[0]!.id} is ${deleteCancels[0]!.status}: it is cancelled first. `
                : `Runs ${idList(deleteCancels.map((r) => r.id))} are queued or running: they are cancelled first. `)}
            This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** The most ids runs.stored takes at once (the contract's limit). */
const ASKED_AT_ONCE = 1000;

/**
 * Those of `ids` no longer stored. Not said when the question fails (the server gone): the
 * selection stays as it was, and the next change asks again.
 */
async function deletedOf(client: Pick<Client, 'call'>, ids: readonly number[]): Promise<number[]> {
  const stored = new Set<number>();
  try {
    for (let i = 0; i < ids.length; i += ASKED_AT_ONCE) for (const id of await client.call('runs.stored', { ids: ids.slice(i, i + ASKED_AT_ONCE) })) stored.add(id);
  } catch {
    return [];
  }
  return ids.filter((id) => !stored.has(id));
}

/** What Cancel and Delete say of `n` selected runs, grouped as the selection line counts them: "Cancel 1,000 runs". */
export function runWords(n: number): { cancel: string; delete: string; cancelAndDelete: string } {
  const runs = counted(n, 'run');
  return { cancel: `Cancel ${runs}`, delete: `Delete ${runs}`, cancelAndDelete: `Cancel and delete ${runs}` };
}

/** "run 3" or "runs 3, 4", up to 12 ids. */
function idsText(ids: readonly number[]): string {
  return `${ids.length === 1 ? 'run' : 'runs'} ${idList(ids)}`;
}

/** Up to 12 run ids, then how many more. */
function idList(ids: readonly number[]): string {
  return `${ids.slice(0, 12).join(', ')}${ids.length > 12 ? ` and ${ids.length - 12} more` : ''}`;
}
