/**
 * Deleting experiments from the Experiments screen: one (its row's Delete) or the selected ones,
 * each asked first. Runs queued or running in this process are cancelled first, as the dialog
 * says; while another Aisle process trains one of the runs, the dialog says to stop it there and
 * deletes nothing. Several are deleted in one transaction: all of them, or none.
 */
import { useRef } from 'react';
import type { ExperimentSummary } from '../../../shared/dto';
import { counted } from '../../../shared/text';
import { useClient } from '../api';
import { fmt } from '../format';
import { cancelExperimentRuns } from './cancel-and-delete';
import { ConfirmDialog } from './confirm-dialog';
import { runCount } from './experiments-query';
import { notDeletedYet } from './status';

/** The most experiments the dialog names; the rest are counted. */
const NAMED = 12;

/**
 * Runs of the experiment queued or running in this process, as the list last counted them: its
 * delete cancels them first (another process's are that one's to stop).
 */
function activeHere(e: ExperimentSummary): number {
  return e.runCounts.queued + e.runCounts.running - e.elsewhere.length;
}

/** What deleting takes with the experiments: their runs, or nothing more ("Its 0 runs, their metrics…" read as a count of something). */
export function deletedRunsText(runs: number, owner: 'Its' | 'Their'): string {
  if (runs === 0) return `${owner === 'Its' ? 'It has' : 'They have'} no runs.`;
  return `${runs === 1 ? `${owner} run, its` : `${owner} ${fmt(runs)} runs, their`} metrics and checkpoints are deleted too.`;
}

export function DeleteExperimentsDialog({
  experiments,
  from,
  onClose,
  onDeleted,
  focusAfter,
}: {
  experiments: readonly ExperimentSummary[];
  /**
   * Who asks: a row's Delete, whose dialog names its one experiment in the title and says "its";
   * or the selection's Delete, whose dialog counts the experiments, lists them and says "their".
   */
  from: 'row' | 'selection';
  onClose: () => void;
  /** The experiments deleted, said as the dialog closes. */
  onDeleted: (ids: readonly number[]) => void;
  focusAfter: () => HTMLElement | null;
}) {
  const client = useClient();
  // Said to the screen as the dialog closes, not before: the selection it empties is what the dialog shows.
  const deleted = useRef<readonly number[] | null>(null);
  const cancelling = experiments.filter((e) => activeHere(e) > 0);
  const active = cancelling.reduce((n, e) => n + activeHere(e), 0);
  const runs = experiments.reduce((n, e) => n + runCount(e), 0);
  const one = from === 'row' ? experiments[0] : undefined;
  const count = counted(experiments.length, 'experiment');
  const their = one ? 'Its' : 'Their';
  return (
    <ConfirmDialog
      title={one ? `Delete experiment “${one.name}”?` : `Delete ${count}?`}
      confirmLabel={one ? (active > 0 ? 'Cancel its runs and delete' : 'Delete experiment') : active > 0 ? `Cancel their runs and delete ${count}` : `Delete ${count}`}
      // Nothing is deleted while another process trains one of their runs (all of them or none are).
      blocker={notDeletedYet(experiments.flatMap((e) => e.elsewhere))}
      onClose={() => {
        if (deleted.current) onDeleted(deleted.current);
        onClose();
      }}
      focusAfter={focusAfter}
      onConfirm={async () => {
        if (cancelling.length > 0) await cancelExperimentRuns(client, cancelling.map((e) => e.id));
        deleted.current = (await client.call('experiments.deleteMany', { ids: experiments.map((e) => e.id) })).deleted;
      }}
    >
      {!one && (
        <ul className="experiment-names" data-testid="delete-names">
          {experiments.slice(0, NAMED).map((e) => (
            <li key={e.id}>
              {e.name} <span className="muted">#{e.id}</span>
            </li>
          ))}
          {experiments.length > NAMED && <li className="muted">and {fmt(experiments.length - NAMED)} more</li>}
        </ul>
      )}
      <p>
        {active > 0 && <>{active === 1 ? `${their} queued or running run is` : `${their} ${fmt(active)} queued or running runs are`} cancelled first. </>}
        {deletedRunsText(runs, their)} This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
