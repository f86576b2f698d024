/**
 * Policies: export a run's learned policy as an `aisle.policy/v1` file, import policy files (their
 * problems shown inline, one per line, naming the field), the stored policies, and evaluating one
 * on an experiment's environment; a context-free policy's ranking opens under its row.
 * `#/policies?export=<runId>` preselects the run to export; `page=` is the page of the stored
 * policies shown, a hundred at a time and newest first, as Runs and Experiments page and order theirs.
 */
import { Fragment, useEffect, useId, useMemo, useRef, useState } from 'react';
import { CallError } from '../../../shared/client';
import { BlockableButton } from '../components/blockable-button';
import { ConfirmDialog } from '../components/confirm-dialog';
import type { PolicySummary } from '../../../shared/dto';
import { checkpointNote, neverUpdatedNote, policyNameProblem } from '../../../engine/policy/format';
import { policyTooLarge, problemLines } from '../components/policy-import-size';
import { errorText, useCall, useClient, useEvent } from '../api';
import { RUN_CHANGES, useFollowedRead } from '../followed-read';
import type { CommandInput } from '../../../shared/contract';
import { openPolicyFiles, saveText } from '../components/policy-files';
import { PolicyEvaluate } from '../components/policy-evaluate';
import { PolicyRanking } from '../components/policy-ranking';
import { newestPoliciesFirst } from '../components/policy-order';
import { PolicyRuntimeSave } from '../components/policy-runtime-save';
import { ActionNotice, useActionNotice } from '../components/action-notice';
import { NewestRunsNote, RunNumberInput } from '../components/run-number-input';
import { Created } from '../components/created';
import { FileButton } from '../components/file-button';
import { policyFileName, policySizeText, runPickerLabel } from '../../../shared/text';
import { readUtf8 } from '../files';
import { focusIsLost, useFocusAfterRender } from '../focus';
import { href } from '../router';
import { liveQuery, queryId, writeQuery } from '../url-state';
import { UnreadAddress } from '../components/unread-address';
import { PAGE_VALUE_KEY, PastEndLine, pageOf, pagesOf, queryPage, usePageWithin } from '../components/list-page';
import { Pager } from '../components/pager';
import { usePageTop } from '../components/page-top';
import { fmt } from '../format';
import { useRunRead, useStoredRun } from '../stored-runs';

/** "policy #2 (“greedy cliff”, tabular, 48 × 4)": the policy a dialog or a notice is about (`word` "Policy" to start a sentence). */
function policyText(p: PolicySummary | undefined, id: number, word = 'policy'): string {
  if (!p) return `${word} #${id}`;
  return `${word} #${id} (${p.name ? `“${p.name}”, ` : ''}${p.kind}, ${policySizeText(p)})`;
}

interface ImportOutcome {
  readonly fileName: string;
  /** Imported; the same file as a stored policy (not stored again); or refused, with its problems. */
  readonly kind: 'imported' | 'already stored' | 'refused';
  readonly lines: readonly string[];
  /** Stored (now or before) but worth saying, as `aisle policies import` warns: its settings edited since export. */
  readonly warnings?: readonly string[];
}

/**
 * The runs the export picker lists. Stopped runs too (cancelled, interrupted): what they learned up
 * to their last checkpoint exports, and the option says where they stopped. Only runs that stored a
 * Q-table or a network: a baseline's, or a run stopped before its first checkpoint, has nothing to
 * export (chosen by its number, it is said at once: see `nothing` in ExportPanel).
 */
export const EXPORTABLE_RUNS: CommandInput<'runs.list'> = { status: ['completed', 'cancelled', 'interrupted', 'paused'], stored: 'any', limit: 500 };

/**
 * The export picker's prompt, true to EXPORTABLE_RUNS: it offers stopped runs too (it said "pick a
 * completed run…" above paused, cancelled and interrupted runs), as the line shown when it offers none says.
 */
export const EXPORT_RUN_PROMPT = 'pick a finished or stopped run…';

function ExportPanel({ initialRunId, onExported }: { initialRunId: number | undefined; onExported: (policyId: number) => void }) {
  const client = useClient();
  // Runs end, are deleted or imported while the screen is open: the picker follows at each push, as
  // the Experiments list does, never showing a read asked before one (useFollowedRead). The run
  // chosen stays chosen; one deleted meanwhile leaves the list and is said below, as a number that
  // is no run is.
  const runs = useFollowedRead('runs.list', EXPORTABLE_RUNS, RUN_CHANGES);
  const [runId, setRunId] = useState(initialRunId);
  useEffect(() => setRunId(initialRunId), [initialRunId]);
  const [name, setName] = useState('');
  // The button is disabled while it works: the notice that tells how the export went takes focus (action-notice.tsx).
  const { busy, notice, noticeRef, run } = useActionNotice();

  const tableRuns = runs.data?.runs ?? [];
  // A run the list does not hold (older than its newest, typed, or from the address) is looked up at
  // once: one that does not exist is said now, naming where it came from, and is not offered.
  const unlisted = runId !== undefined && runs.data !== undefined && !tableRuns.some((r) => r.id === runId) ? runId : undefined;
  // Asked about first: a number that is no run is said without a read that fails (a 404 in the console).
  // Its read asks onlyStored: one under way when the run is deleted answers that it is gone (`gone`).
  const stored = useStoredRun(unlisted);
  const unlistedRun = useRunRead('runs.get', unlisted !== undefined && stored.readable ? { id: unlisted } : null);
  const gone = unlisted !== undefined && unlistedRun.gone === unlisted;
  const missing = unlisted !== undefined && (stored.missing || gone) ? unlisted : undefined;
  const chosen = missing === undefined ? runId : undefined;
  // useCall keeps the previous answer while the next loads: only this run's is about the run chosen.
  const unlistedDetail = unlistedRun.data?.id === unlisted ? unlistedRun.data : undefined;
  const chosenDetail = tableRuns.find((r) => r.id === chosen) ?? (unlistedDetail?.id === chosen ? unlistedDetail : undefined);
  // The last run chosen here that was listed or read: missing since, it was deleted while the page
  // was open (another window, `aisle delete`), and is said so rather than as a number that is no run.
  const seenChosen = useRef<number | undefined>(undefined);
  if (chosenDetail !== undefined) seenChosen.current = chosenDetail.id;
  const deleted = missing !== undefined && (missing === seenChosen.current || (gone && stored.seen));
  // A run that exists but ended without a Q-table or network (a baseline's, one stopped before its
  // first checkpoint) is said at once, with why, rather than when Export is pressed.
  const nothing = unlistedDetail?.nothingToExport;
  const nothingId = useId();
  // A name the policy file refuses (a control character pasted in) is said under the field as it is
  // typed, and Export waits: the service refuses it too, and stored it before.
  const nameProblem = name.trim() ? policyNameProblem(name.trim()) : undefined;
  const nameProblemId = useId();
  const nameInput = useRef<HTMLInputElement>(null);

  const exportPolicy = async () => {
    if (nameProblem !== undefined) {
      nameInput.current?.focus();
      return;
    }
    if (chosen === undefined || nothing !== undefined) return;
    await run(async () => {
      const exported = await client.call('policies.export', { runId: chosen, ...(name.trim() ? { name: name.trim() } : {}) });
      onExported(exported.policyId);
      const saved = await saveText(client, { title: 'Export policy', defaultName: exported.fileName, text: exported.text });
      // A running or stopped run's policy is a checkpoint before its end, and states training never
      // updated are served their first action, a tie-break: say so.
      const notes = [checkpointNote(exported.policy.provenance), exported.neverUpdated && neverUpdatedNote(exported.neverUpdated)].filter((n) => n !== undefined);
      // Exported before (or brought by a results file): the stored one, said so as Import says it of a file stored before.
      const stored = exported.alreadyStored ? `already stored as policy #${exported.policyId}: not stored again` : `stored as policy #${exported.policyId}`;
      const text = saved.saved
        ? `Exported run ${chosen} to ${saved.where}; ${stored}.`
        : `Not saved to a file; the policy is ${exported.alreadyStored ? 'already stored' : 'stored'} as #${exported.policyId} (save it from the list).`;
      return [text, ...notes.map((n) => `Note: ${n}.`)].join(' ');
    });
  };

  return (
    <section className="panel" aria-labelledby="policy-export-title">
      <h2 id="policy-export-title">Export a run’s policy</h2>
      <form
        className="row controls"
        onSubmit={(e) => {
          e.preventDefault();
          void exportPolicy();
        }}
      >
        <label>
          Run{' '}
          <select value={chosen ?? ''} onChange={(e) => setRunId(e.target.value ? Number(e.target.value) : undefined)} title={chosenDetail ? runPickerLabel(chosenDetail, Infinity) : undefined} data-testid="export-run">
            <option value="">{EXPORT_RUN_PROMPT}</option>
            {chosen !== undefined && !tableRuns.some((r) => r.id === chosen) && (
              <option value={chosen}>
                {unlistedDetail ? runPickerLabel(unlistedDetail) : `run ${chosen}`}
              </option>
            )}
            {tableRuns.map((r) => (
              <option key={r.id} value={r.id}>
                {runPickerLabel(r)}
                {r.status !== 'completed' ? ` · ${r.status} at episode ${r.episodesDone.toLocaleString('en-US')} of ${r.episodesTotal.toLocaleString('en-US')}` : ''}
              </option>
            ))}
          </select>
        </label>
        <RunNumberInput onRun={setRunId} testId="export-run-number" />
        <label>
          Name{' '}
          <input
            ref={nameInput}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="optional"
            maxLength={500}
            aria-invalid={nameProblem !== undefined ? true : undefined}
            aria-describedby={nameProblem !== undefined ? nameProblemId : undefined}
            data-testid="export-name"
          />
        </label>
        <BlockableButton type="submit" className="primary" disabled={chosen === undefined || busy} blocker={nothing} blockerShownAt={nothingId} data-testid="export-button">
          {busy ? 'Exporting…' : client.door === 'electron' ? 'Export…' : 'Export and download'}
        </BlockableButton>
      </form>
      {nameProblem !== undefined && (
        <p id={nameProblemId} className="field-error" role="alert" data-testid="export-name-problem">
          Name: {nameProblem}
        </p>
      )}
      {nothing !== undefined && (
        <p id={nothingId} className="error" role="alert" data-testid="export-run-nothing">
          {nothing}
        </p>
      )}
      <p className="hint">
        An <code>aisle.policy/v1</code> file: the action labels; what the run learned — a Q-table and the greedy action per state, a
        context-free bandit’s one value per action (the same ranking for everyone), or the network of a DQN, PPO or LinUCB run; the
        environment’s fingerprint and the run’s provenance. Your own service answers with it through Aisle’s policy runtime, one
        JavaScript file with no dependencies, saved from here: <code>loadPolicy(text).act(state)</code> (how to use it: “Serving a
        policy” in Aisle’s README).
      </p>
      <PolicyRuntimeSave />
      {missing !== undefined && (
        <p className="error" role="alert" data-testid="export-run-missing">
          {deleted
            ? `Run ${missing} was deleted while this page was open (in another window, or with aisle delete): pick a run from the list, or type another run’s number.`
            : missing === initialRunId
            ? `Left out of this address: export=${missing} (there is no run ${missing}: pick a run from the list, or type another run’s number).`
            : `There is no run ${missing}: pick a run from the list, or type another run’s number.`}
        </p>
      )}
      {runs.error && <p className="error">{errorText(runs.error)}</p>}
      {runs.data && <NewestRunsNote shown={runs.data.runs.length} total={runs.data.total} />}
      {runs.data && tableRuns.length === 0 && (
        <p className="muted">
          No finished or stopped runs of a tabular, bandit or deep agent yet: <a href={href('experiments')}>run an experiment</a> first.
        </p>
      )}
      <ActionNotice notice={notice} noticeRef={noticeRef} testId="export-notice" />
    </section>
  );
}

function ImportPanel({ onImported }: { onImported: (policyId: number) => void }) {
  const client = useClient();
  const pickButton = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<ImportOutcome[]>([]);
  // The button is disabled while it imports, which drops focus to <body>: it gets it back once
  // enabled (the outcome is announced by its status or alert role).
  const focusAfterRender = useFocusAfterRender();

  const importFiles = async (files: { name: string; text: () => Promise<string> }[]) => {
    setBusy(true);
    const results: ImportOutcome[] = [];
    // The last file stored (or found already stored): the one to evaluate next.
    let last: number | undefined;
    for (const file of files) {
      try {
        const text = await file.text();
        const tooLarge = policyTooLarge(file.name, text.length);
        if (tooLarge !== null) {
          results.push({ fileName: file.name, kind: 'refused', lines: [tooLarge] });
          continue;
        }
        const reply = await client.call('policies.import', { text, fileName: file.name });
        if (reply.ok) last = reply.policy.id;
        if (!reply.ok) results.push({ fileName: file.name, kind: 'refused', lines: problemLines(file.name, reply.problems) });
        else if (reply.alreadyStored) results.push({ fileName: file.name, kind: 'already stored', lines: [`already stored as ${policyText(reply.policy, reply.policy.id)}: not imported again`], warnings: reply.warnings });
        else results.push({ fileName: file.name, kind: 'imported', lines: [`imported as policy #${reply.policy.id} (${reply.policy.kind}, ${policySizeText(reply.policy)})`], warnings: reply.warnings });
      } catch (e) {
        results.push({ fileName: file.name, kind: 'refused', lines: problemLines(file.name, e instanceof CallError && e.problems?.length ? e.problems : [errorText(e)]) });
      }
    }
    setOutcomes(results);
    setBusy(false);
    focusAfterRender(() => (focusIsLost() ? pickButton.current : null));
    if (last !== undefined) onImported(last);
  };


  const openNative = async () => {
    try {
      const picked = await openPolicyFiles();
      if (picked.length) await importFiles(picked.map((f) => ({ name: f.name, text: async () => f.text })));
    } catch (e) {
      setOutcomes([{ fileName: 'policy file', kind: 'refused', lines: [errorText(e)] }]);
    }
  };

  return (
    <section className="panel" aria-labelledby="policy-import-title">
      <h2 id="policy-import-title">Import a policy file</h2>
      <div className="row">
        {client.door === 'electron' ? (
          <button ref={pickButton} type="button" onClick={() => void openNative()} disabled={busy} data-testid="policy-import-button">
            Import…
          </button>
        ) : (
          <FileButton
            label="Import…"
            accept=".json,application/json"
            multiple
            disabled={busy}
            inputLabel="Policy files to import"
            testId="policy-import-button"
            inputTestId="policy-import-file"
            buttonRef={pickButton}
            onFiles={(files) => void importFiles(files.map((f) => ({ name: f.name, text: () => readUtf8(f) })))}
          />
        )}
        {busy && <span className="muted small">Importing…</span>}
      </div>
      {outcomes.map((o, i) =>
        o.kind !== 'refused' ? (
          <Fragment key={i}>
            <p className="notice" role="status" data-testid={o.kind === 'imported' ? 'policy-import-ok' : 'policy-import-same'}>
              {o.fileName}: {o.lines[0]}
            </p>
            {/* In the words `aisle policies import` and Evaluate warn with: the file is stored, but its settings may not be the environment it was trained on. */}
            {o.warnings?.map((w) => (
              <p key={w} className="warning" role="alert" data-testid="policy-import-warning">
                {o.fileName}: {w}
              </p>
            ))}
          </Fragment>
        ) : (
          <div key={i} className="error" role="alert" data-testid="policy-import-problems">
            {o.fileName} was not imported:
            <ul className="problems">
              {o.lines.map((line, j) => (
                <li key={j}>{line}</li>
              ))}
            </ul>
          </div>
        ),
      )}
    </section>
  );
}

const ID_KEYS = { export: { noun: 'run' } };
const VALUE_KEYS = { page: PAGE_VALUE_KEY };

/**
 * Rows of the stored policies drawn at once: 1,000 policies drawn whole made a page thousands of rows
 * long, each with three buttons (see the README's Policies). The list itself is read whole, as it was:
 * it holds no policy's file (policies.list reads the summaries alone, 0.2 KB a policy), and Evaluate's
 * picker and the newest policy chosen for it need every one.
 */
export const POLICIES_PAGE_SIZE = 100;

export function PoliciesScreen({ query }: { query: URLSearchParams }) {
  const client = useClient();
  const list = useCall('policies.list', {});
  // Stored or deleted elsewhere too: another window, `aisle export`, `aisle policies import|delete`.
  useEvent('policies.changed', list.refresh);
  const [evaluating, setEvaluating] = useState<number>();
  const [confirmDelete, setConfirmDelete] = useState<number>();
  const [rowError, setRowError] = useState<{ id: number; text: string }>();
  const [deleted, setDeleted] = useState<number>();
  // The context-free policy whose ranking is open under its row.
  const [ranking, setRanking] = useState<number>();
  const deletedRef = useRef<HTMLParagraphElement>(null);
  const evaluateRef = useRef<HTMLElement>(null);
  const policies = useMemo(() => newestPoliciesFirst(list.data), [list.data]);
  const page = queryPage(query);
  const pages = pagesOf(policies.length, POLICIES_PAGE_SIZE);
  // A page past the end (the address's, or after deletes here or elsewhere): the last one instead.
  const pastEnd = usePageWithin(page, pages, list.data !== undefined, 'policies');
  const first = (page - 1) * POLICIES_PAGE_SIZE;
  const shown = useMemo(() => policies.slice(first, first + POLICIES_PAGE_SIZE), [policies, first]);
  const table = useRef<HTMLDivElement>(null);
  usePageTop(table, page);

  // A policy just exported or imported here is the one to evaluate next: chosen once the list,
  // read again, holds it (Evaluate had stayed on an older policy, which was evaluated unnoticed).
  const [wanted, setWanted] = useState<number>();
  const take = (id: number) => {
    setWanted(id);
    list.refresh();
  };
  // Pick the newest policy (the highest id) for evaluation until the user chooses one.
  useEffect(() => {
    if (wanted !== undefined && policies.some((p) => p.id === wanted)) {
      setEvaluating(wanted);
      setWanted(undefined);
      // Its row is shown too, marked as the one to evaluate: on the first page for a new policy, on
      // its own page for a file stored before (imported again, or a run's exported again).
      const on = pageOf(policies.findIndex((p) => p.id === wanted), POLICIES_PAGE_SIZE);
      writeQuery({ page: on > 1 ? on : undefined }, 'replace', 'policies');
      return;
    }
    if (evaluating === undefined || !policies.some((p) => p.id === evaluating)) setEvaluating(policies[0]?.id);
  }, [policies, evaluating, wanted]);

  const save = async (id: number) => {
    setRowError(undefined);
    try {
      const policy = await client.call('policies.get', { id });
      await saveText(client, { title: 'Save policy', defaultName: policyFileName(policy.name, `policy-${id}`), text: policy.text });
    } catch (e) {
      setRowError({ id, text: errorText(e) });
    }
  };

  /** Rejects with the service's error, which the dialog shows. */
  const remove = async (id: number) => {
    setRowError(undefined);
    await client.call('policies.delete', { id });
    setDeleted(id);
    list.refresh();
  };

  return (
    <div className="policies" data-testid="policies-screen">
      <h1 tabIndex={-1}>
        Policies
      </h1>
      <UnreadAddress query={query} keys={ID_KEYS} values={VALUE_KEYS} />
      <PastEndLine text={pastEnd} />
      <ExportPanel initialRunId={queryId(query, 'export')} onExported={take} />
      <ImportPanel onImported={take} />

      <section className="panel" aria-labelledby="policy-list-title">
        <h2 id="policy-list-title">Stored policies</h2>
        {list.error && <p className="error">{errorText(list.error)}</p>}
        {list.data && policies.length === 0 && <p className="empty">No policies yet: export one from a run above, or import a policy file.</p>}
        {!list.data && !list.error && <p className="muted">Loading…</p>}
        {deleted !== undefined && (
          // Where focus goes once the deleted policy's row (and its Delete button) is gone.
          <p ref={deletedRef} tabIndex={-1} className="notice" role="status" data-testid="policy-deleted">
            Deleted policy #{deleted}.
          </p>
        )}
        {policies.length > 0 && (
          <div className="table-scroll" ref={table}>
            <table data-testid="policy-list">
              <thead>
                <tr>
                  <th className="num">#</th>
                  <th>Name</th>
                  <th>Origin</th>
                  <th>Environment</th>
                  <th>Kind</th>
                  <th className="num">States × actions</th>
                  <th>Created</th>
                  <th aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {shown.map((p) => (
                  <Fragment key={p.id}>
                    <tr data-testid="policy-row" data-id={p.id} data-origin={p.origin} className={p.id === evaluating ? 'selected' : undefined}>
                      <td className="num">{p.id}</td>
                      <td className="policy-name">{p.name !== null ? <span title={p.name}>{p.name}</span> : <span className="muted">unnamed</span>}</td>
                      <td>
                        {/* As `aisle policies` says it: the run, imported, or its run deleted (the row stays). */}
                        {p.origin === 'import' ? (
                          'imported'
                        ) : p.runId !== null ? (
                          <>
                            exported from <a href={href('runs', p.runId)}>run {p.runId}</a>
                          </>
                        ) : (
                          'run deleted'
                        )}
                      </td>
                      <td>{p.envId}</td>
                      <td>
                        <span data-testid="policy-kind">{p.kind}</span>
                        {p.kind === 'context-free' && (
                          // Under the kind, not beside the row's other buttons: the table stays as wide.
                          <button
                            type="button"
                            className="kind-toggle"
                            aria-expanded={ranking === p.id}
                            aria-controls={ranking === p.id ? `policy-ranking-${p.id}` : undefined}
                            onClick={() => setRanking(ranking === p.id ? undefined : p.id)}
                            data-testid="policy-ranking-button"
                          >
                            Ranking
                          </button>
                        )}
                      </td>
                      <td className="num">{policySizeText(p)}</td>
                      <td className="created">
                        <Created at={p.createdAt} />
                      </td>
                      <td className="row-actions">
                        <button
                          type="button"
                          onClick={() => {
                            setEvaluating(p.id);
                            evaluateRef.current?.scrollIntoView({ block: 'nearest' });
                          }}
                          aria-label={`Evaluate policy ${p.id}, ${p.name}`}
                        >
                          Evaluate
                        </button>
                        {/* Named to a screen reader with their policy, as the Experiments table's actions: every row's read "Evaluate, Save, Delete" alike. */}
                        <button type="button" onClick={() => void save(p.id)} aria-label={`Save policy ${p.id}, ${p.name}`}>
                          Save
                        </button>
                        <button type="button" className="danger" onClick={() => setConfirmDelete(p.id)} data-testid="delete-policy" aria-label={`Delete policy ${p.id}, ${p.name}…`}>
                          Delete…
                        </button>
                        {rowError?.id === p.id && <div className="error">{rowError.text}</div>}
                      </td>
                    </tr>
                    {ranking === p.id && (
                      <tr id={`policy-ranking-${p.id}`}>
                        <td colSpan={8}>
                          <PolicyRanking policyId={p.id} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {pages > 1 && (
          <Pager
            page={page}
            pages={pages}
            totalTestId="policies-range"
            shown={`${fmt(first + 1)}–${fmt(first + shown.length)} of ${fmt(policies.length)} policies`}
            // From the live address, not this render's page: a second click may land before the first re-rendered (as on Runs).
            onStep={(step) => {
              const to = queryPage(liveQuery()) + step;
              writeQuery({ page: to > 1 ? to : undefined }, 'push');
            }}
          />
        )}
      </section>
      {confirmDelete !== undefined && (
        <ConfirmDialog
          title={`Delete policy #${confirmDelete}?`}
          confirmLabel={`Delete #${confirmDelete}`}
          onClose={() => setConfirmDelete(undefined)}
          onConfirm={() => remove(confirmDelete)}
          focusAfter={() => deletedRef.current}
        >
          <p>
            {policyText(policies.find((p) => p.id === confirmDelete), confirmDelete, 'Policy')} is removed from the stored policies. Files exported from it are not
            touched. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}

      <section className="panel" aria-labelledby="policy-eval-title" ref={evaluateRef}>
        <h2 id="policy-eval-title">Evaluate a policy</h2>
        {policies.length === 0 ? (
          <p className="muted">Export or import a policy to evaluate it on an experiment’s environment.</p>
        ) : (
          <PolicyEvaluate policies={policies} policyId={evaluating} onPolicy={setEvaluating} />
        )}
      </section>
    </div>
  );
}
