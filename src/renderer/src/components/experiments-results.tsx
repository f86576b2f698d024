/**
 * The Experiments screen's results files (`aisle results` in the app): the selected experiments
 * exported with their runs, metrics, checkpoints and policies to one .aisle-results file, saved as
 * the Policies screen saves a file (the native dialog, or a download in a browser), and such a file
 * imported with new ids. What happened, or why not, is said under the buttons.
 */
import { useEffect, useRef, useState } from 'react';
import { MAX_RESULTS_FILE_BYTES, type ExperimentSummary, type ImportedExperiment } from '../../../shared/dto';
import { errorText, useClient } from '../api';
import { pastLimit, shellWord } from '../../../shared/text';
import { fmt } from '../format';
import { focusIsLost, useFocusAfterRender } from '../focus';
import { BlockableButton } from './blockable-button';
import { FileButton } from './file-button';
import { base64Of, saveBlob } from './policy-files';

type Outcome = { kind: 'ok'; lines: readonly string[] } | { kind: 'error'; lines: readonly string[] };

/**
 * What an export or import did. Its success is said from a status on the page before it (one that
 * comes with its text is not reliably read, and the button keeps focus); a refusal is an alert.
 */
function OutcomeLines({ outcome, testId }: { outcome: Outcome | null; testId: string }) {
  const lines = outcome?.lines.map((line) => <p key={line}>{line}</p>);
  return (
    <>
      <div role="status">
        {outcome?.kind === 'ok' && (
          <div className="notice" data-testid={`${testId}-ok`}>
            {lines}
          </div>
        )}
      </div>
      {outcome?.kind === 'error' && (
        <div className="error" role="alert" data-testid={`${testId}-error`}>
          {lines}
        </div>
      )}
    </>
  );
}

/**
 * Export and Import sit apart on the screen, each with its outcome under it: one starting clears
 * the other's, so that "Saved 1 experiment …" does not stand beside a later import's errors as if
 * it were about them.
 */
const resultsActions = new EventTarget();
type ResultsAction = 'export' | 'import';

function startAction(action: ResultsAction): void {
  resultsActions.dispatchEvent(new CustomEvent<ResultsAction>('start', { detail: action }));
}

/** Clears an action's outcome (its state setter, stable) when the other action starts. */
function useClearedByOther(own: ResultsAction, setOutcome: (outcome: null) => void): void {
  useEffect(() => {
    const listener = (e: Event) => (e as CustomEvent<ResultsAction>).detail !== own && setOutcome(null);
    resultsActions.addEventListener('start', listener);
    return () => resultsActions.removeEventListener('start', listener);
  }, [own, setOutcome]);
}

const counted = (n: number, noun: string, nouns = `${noun}s`) => `${fmt(n)} ${n === 1 ? noun : nouns}`;

/**
 * Why the app will not import `file`, or null. Said before its bytes are read and sent: a file
 * past the contract's limit (one the app itself exported from long runs) was read and uploaded
 * for seconds, then refused with the transport's "request body is larger than 83886080 bytes".
 */
export function tooLargeToImport(file: { name: string; size: number }): string | null {
  if (file.size <= MAX_RESULTS_FILE_BYTES) return null;
  const said = pastLimit(file.size, MAX_RESULTS_FILE_BYTES);
  return `${file.name}: is ${said.size} MB, more than the ${said.limit} MB the app imports: import it in a terminal with \`aisle results import ${shellWord(file.name)}\`, which reads larger files`;
}

/** "Export results…" for the selected experiments, and what came of it. */
export function ExportResultsButton({ chosen }: { chosen: readonly ExperimentSummary[] }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  useClearedByOther('export', setOutcome);
  const exportChosen = async () => {
    setBusy(true);
    setOutcome(null);
    startAction('export');
    try {
      const reply = await client.call('experiments.exportResults', { ids: chosen.map((e) => e.id).sort((a, b) => a - b) });
      const bytes = Uint8Array.from(atob(reply.base64), (c) => c.charCodeAt(0));
      const saved = await saveBlob(client, { title: 'Export results', defaultName: reply.fileName, blob: new Blob([bytes], { type: 'application/vnd.sqlite3' }) });
      if (saved.saved) {
        const runs = reply.experiments.reduce((n, e) => n + e.runs, 0);
        setOutcome({ kind: 'ok', lines: [`Saved ${counted(reply.experiments.length, 'experiment')} with ${counted(runs, 'run')} to ${saved.where}.`] });
      }
    } catch (e) {
      setOutcome({ kind: 'error', lines: errorText(e).split('\n') });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <BlockableButton
        blocker={chosen.length === 0 ? 'Select experiments to export their results.' : busy ? 'Exporting…' : null}
        blockerTestId="export-results-blocker"
        popup
        data-testid="export-results"
        onClick={() => void exportChosen()}
      >
        Export results…
      </BlockableButton>
      <OutcomeLines outcome={outcome} testId="export-results" />
    </>
  );
}

function importedLine(e: ImportedExperiment): string {
  const name = `“${e.name}”`;
  if (e.alreadyImported) return `${name} is already here as experiment #${e.id}: not imported again.`;
  // A policy whose very file was here already is not a new one: said apart, as `aisle results import` does.
  const stored = e.policies.filter((p) => p.alreadyStored).length;
  const policies = `${counted(e.policies.length, 'policy', 'policies')}${stored > 0 ? ` (${stored} already stored)` : ''}`;
  // Named apart from an experiment here of the same name, as `aisle results import` says.
  const renamed = e.renamed === undefined ? '' : ` “${e.renamed}” (an experiment here is named ${name})`;
  return `${name} imported as experiment #${e.id}${renamed}, with ${counted(e.runs.length, 'run')}, ${counted(e.checkpoints, 'checkpoint')} and ${policies}.`;
}

/** "Import results…": a picked .aisle-results file read into the database; the outcome shows where `outcomeAt` renders it. */
export function useResultsImport(onImported: () => void) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const focusAfterRender = useFocusAfterRender();
  useClearedByOther('import', setOutcome);
  const importFile = async (file: File) => {
    startAction('import');
    const tooLarge = tooLargeToImport(file);
    if (tooLarge !== null) {
      setOutcome({ kind: 'error', lines: [tooLarge] });
      button.current?.focus();
      return;
    }
    setBusy(true);
    setOutcome(null);
    try {
      const base64 = base64Of(new Uint8Array(await file.arrayBuffer()));
      const reply = await client.call('experiments.importResults', { base64, fileName: file.name });
      // Refused (not a results file, damaged…): said as an error, one line each, as a failed call's is.
      if (!reply.ok) return setOutcome({ kind: 'error', lines: [...reply.problems] });
      setOutcome({ kind: 'ok', lines: reply.experiments.map(importedLine) });
      if (reply.experiments.some((e) => !e.alreadyImported)) onImported();
    } catch (e) {
      setOutcome({ kind: 'error', lines: errorText(e).split('\n') });
    } finally {
      setBusy(false);
      // Once rendered enabled again: focused here, the button was still disabled (busy), which
      // ignored it, and focus stayed on <body>, where the import had dropped it. Only where focus is
      // lost: one the user has put elsewhere meanwhile (typing in the search box through a long
      // import) stays there, where a Space would press this button and open the file chooser.
      focusAfterRender(() => (focusIsLost() ? button.current : null));
    }
  };
  return {
    button: (
      <FileButton
        label={busy ? 'Importing…' : 'Import results…'}
        accept=".aisle-results"
        disabled={busy}
        inputLabel="Results file to import"
        testId="import-results"
        inputTestId="import-results-file"
        buttonRef={button}
        onFiles={(files) => void importFile(files[0]!)}
      />
    ),
    outcome: <OutcomeLines outcome={outcome} testId="import-results" />,
  };
}
