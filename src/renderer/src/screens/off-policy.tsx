/**
 * Off-policy: how would another policy have done on the traffic a logs CSV records? Pick the file
 * (its columns and few-valued columns' values come from logs.inspect), the columns of each role,
 * the rows to evaluate on (one logging policy's) and the target policies, and logs.evaluate gives
 * IPS, SNIPS, DM and DR with their intervals — what `aisle ope` prints, through the same engine.
 */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { CommandInput } from '../../../shared/contract';
import type { LogsEvaluation, LogsInspection } from '../../../shared/dto';
import { errorText, useCall, useClient, useEvent } from '../api';
import { MAX_SEED } from '../../../engine/experiment';
import { PROPENSITY_MEANING } from '../../../engine/ope/data';
import { listedNames, thousands } from '../../../engine/params';
import { mixedColumns } from '../../../engine/ope/logging-columns';
import { targetsWithTruth } from '../../../engine/ope/progress';
import { BlockableButton } from '../components/blockable-button';
import { FileButton } from '../components/file-button';
import { countsNotFollowing, emptyFilter, filteredValues, filtersOfRoles, loggedActions } from '../components/logs-filters';
import { LogsSimulatorPanel, type SimulatorRows } from '../components/logs-simulator';
import { useTick } from '../components/elapsed';
import { OpeColumnPickers, ROLES, roleClashText, type Roles } from '../components/ope-columns';
import { MAX_PRIOR, OpeEstimatorFields } from '../components/ope-estimator-fields';
import { logsTooLarge } from '../components/ope-logs-size';
import { OpeResults } from '../components/ope-results';
import { newestPoliciesFirst } from '../components/policy-order';
import { holdoutChoice, OpeRowsFields } from '../components/ope-rows-fields';
import { OpeCancelButton, OpeEarlierPanel, OpeEvaluationStatus, OpeProblems } from '../components/ope-status';
import { initialTargets, rowsOf, TargetPickers, targetRequests, whereText, type Targets } from '../components/ope-targets';
import { numberIn } from '../components/number-field';
import { readUtf8 } from '../files';
import { focusIsLost, useFocusAfterRender } from '../focus';
import { wholeNumber } from '../format';
import { useKeptState } from '../kept-state';
import { afterEvaluation, evaluationProblems, type SettledEvaluation, type ShownProblems } from '../ope-evaluation';
import { offPolicyEvaluation, type Asked } from '../off-policy-evaluation';

type Request = CommandInput<'logs.evaluate'>;

interface Logs {
  /** Which file this is (a new pick of the same file is a new one): results of another are stale. */
  readonly load: number;
  readonly fileName: string;
  readonly text: string;
  readonly inspection: LogsInspection;
}

interface Evaluated {
  readonly key: string;
  readonly result: LogsEvaluation;
  readonly confidence: number;
  readonly rowsText: string | null;
}

/**
 * Picks of a logs file in this tab, counted across visits to the screen (which keeps its state:
 * useKeptState) from the page's load time, so that an evaluation asked before a reload (see
 * OneEvaluation's resume) never has the key of choices made after it.
 */
let loads = Date.now();

/** The evaluation under way, kept for the page (off-policy-evaluation.ts): the app shell follows one a reload interrupted. */
const evaluation = offPolicyEvaluation;

export function OffPolicyScreen() {
  const client = useClient();
  const policies = useCall('policies.list', {});
  // A policy stored or deleted meanwhile (the Policies screen, another window, `aisle export`) is offered, or no longer.
  useEvent('policies.changed', policies.refresh);
  // A stored policy as a target: one that picks from action labels alone or by a discrete state (a table, or a network on one-hot states; one on feature vectors cannot).
  const usable = useMemo(() => newestPoliciesFirst(policies.data).filter((p) => p.kind === 'context-free' || p.kind === 'tabular' || (p.kind === 'mlp' && p.states > 0)), [policies.data]);
  const [logs, setLogs] = useKeptState<Logs | undefined>('off-policy.logs', undefined);
  const [reading, setReading] = useState(false);
  // Of 'file' until another file is picked; of an evaluation's key while the choices stay those it was asked with (or `late`: see afterEvaluation).
  const [problems, setProblems] = useKeptState<ShownProblems>('off-policy.problems', { of: 'file', lines: [] });
  const [roles, setRoles] = useKeptState<Roles>('off-policy.roles', { action: '', reward: '', propensity: '', context: '' });
  const [where, setWhere] = useKeptState<Record<string, string>>('off-policy.where', {});
  const [targets, setTargets] = useKeptState<Targets | undefined>('off-policy.targets', undefined);
  const [confidence, setConfidence] = useKeptState('off-policy.confidence', 0.95);
  const [resamples, setResamples] = useKeptState('off-policy.resamples', '1000');
  const [prior, setPrior] = useKeptState('off-policy.prior', '1');
  const [folds, setFolds] = useKeptState('off-policy.folds', 3);
  const [holdout, setHoldout] = useKeptState('off-policy.holdout', '0');
  const [seed, setSeed] = useKeptState('off-policy.seed', '0');
  // The evaluation under way (begun on this visit or an earlier one), the last one ended, not yet shown, and the last cancelled.
  const { running, settled, cancelled } = useSyncExternalStore(evaluation.subscribe, evaluation.snapshot);
  const busy = running !== null;
  useTick(busy);
  const seconds = running ? Math.max(0, Date.now() - running.started) / 1000 : 0;
  const [evaluated, setEvaluated] = useKeptState<Evaluated | undefined>('off-policy.evaluated', undefined);
  const pickButton = useRef<HTMLButtonElement>(null);
  const problemsRef = useRef<HTMLDivElement>(null);
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const focusAfterRender = useFocusAfterRender();

  const pickFile = async (file: File) => {
    setReading(true);
    setEvaluated(undefined);
    try {
      // Past what the app reads: said by its size before reading, by its characters before sending.
      const unread = logsTooLarge(file);
      if (unread !== null) throw new Error(unread);
      const text = await readUtf8(file);
      const unsent = logsTooLarge(file, text.length);
      if (unsent !== null) throw new Error(unsent);
      const reply = await client.call('logs.inspect', { text, fileName: file.name });
      if (!reply.ok) {
        setLogs(undefined);
        setProblems({ of: 'file', lines: reply.problems });
        return;
      }
      const { ok: _ok, ...inspection } = reply;
      setLogs({ load: ++loads, fileName: file.name, text, inspection });
      setProblems({ of: 'file', lines: [] });
      const r = inspection.roles;
      setRoles({ action: r.action ?? '', reward: r.reward ?? '', propensity: r.propensity ?? '', context: r.context ?? '' });
      setWhere({});
      setHoldout('0');
      setTargets(initialTargets(inspection));
    } catch (e) {
      setLogs(undefined);
      setProblems({ of: 'file', lines: [errorText(e)] });
    } finally {
      setReading(false);
      // The button was disabled while it read, which drops focus: it gets it back.
      focusAfterRender(() => (focusIsLost() ? pickButton.current : null));
    }
  };

  const columns = logs?.inspection.columns ?? [];
  // Few-valued columns, to filter rows and name other policies' rows by; not the reward or the
  // propensity (keeping only the clicked rows would make any estimate meaningless).
  const listed = columns.filter((c) => c.values !== null && c.name !== roles.reward && c.name !== roles.propensity);
  const values = useMemo(() => (logs ? filteredValues(logs.inspection, where) : new Map<string, never>()), [logs, where]);
  const mixed = mixedColumns(values, where, Object.values(roles));
  const uncounted = logs ? countsNotFollowing(logs.inspection, where, listed.map((c) => c.name)) : [];
  const actionValues = columns.find((c) => c.name === roles.action)?.values ?? null;
  // The stored policies none of whose actions the logs show, by the check logs.evaluate makes on the
  // rows the filters keep: marked in the target's list rather than refused after Evaluate (not known
  // when the actions are too many to list).
  const evaluatedActions = useMemo(() => (logs ? loggedActions(logs.inspection, where, roles.action) : null), [logs, where, roles.action]);
  const fitLogs = useCall('policies.fitLogs', evaluatedActions ? { actions: evaluatedActions } : null);
  useEvent('policies.changed', fitLogs.refresh);
  const misfits = useMemo(
    () => new Map((fitLogs.current ? (fitLogs.data ?? []) : []).flatMap((f) => (f.problem === null ? [] : [[f.policyId, f.problem] as const]))),
    [fitLogs.current, fitLogs.data],
  );
  const resamplesValue = wholeNumber(resamples, 10, 100_000);
  // `aisle ope --seed`'s range: the generator keeps a seed's low 32 bits, so 4,294,967,296 would draw seed 0's resamples.
  const seedValue = wholeNumber(seed, 0, MAX_SEED);
  // `aisle ope --prior`'s and `aisle logs mdp --prior`'s range, fractions included (2.5 pseudo-rows).
  const priorValue = numberIn(prior, 0, MAX_PRIOR);

  // The rows as chosen (columns, filter, holdout), shared by the evaluation and the simulator, and what stops either.
  const { rowsRequest, rowsBlocker } = useMemo((): { rowsRequest: SimulatorRows | null; rowsBlocker: string | null } => {
    if (!logs) return { rowsRequest: null, rowsBlocker: 'Pick a logs file first.' };
    // The propensity is the evaluation's alone (below): a simulator's fit does without, so purchase records fit too.
    const missing = ROLES.find(({ role }) => (role === 'action' || role === 'reward') && roles[role] === '');
    if (missing) return { rowsRequest: null, rowsBlocker: `Choose the ${missing.role} column.` };
    // One column in two roles (the item as its own context, say), as the evaluation and the fit refuse it.
    const clash = roleClashText(roles);
    if (clash !== null) return { rowsRequest: null, rowsBlocker: clash };
    // A filter value whose option says 0 rows under the others: said here, as the worker would say it only after reading the file.
    const empty = emptyFilter(values, where);
    if (empty) return { rowsRequest: null, rowsBlocker: `No row has ${whereText(where)}: ${whereText({ [empty.column]: empty.value })} keeps 0 rows under the other filters. Choose another value, or any.` };
    if (priorValue === null) return { rowsRequest: null, rowsBlocker: `The prior must be a number of pseudo-rows from 0 to ${thousands(MAX_PRIOR)}, such as 2.5.` };
    return {
      rowsRequest: {
        fileName: logs.fileName,
        where,
        columns: { action: roles.action, reward: roles.reward, propensity: roles.propensity === '' ? null : roles.propensity, context: roles.context === '' ? null : roles.context },
        prior: priorValue,
        ...holdoutChoice(holdout),
      },
      rowsBlocker: null,
    };
  }, [logs, roles, where, values, priorValue, holdout]);

  // The request as the choices stand (without the file's text), and what stops it being sent.
  const { request, blocker } = useMemo((): { request: Omit<Request, 'text'> | null; blocker: string | null } => {
    if (!logs || !targets) return { request: null, blocker: 'Pick a logs file first.' };
    if (!rowsRequest) return { request: null, blocker: rowsBlocker };
    if (roles.propensity === '') return { request: null, blocker: `Choose the propensity column. It holds ${PROPENSITY_MEANING} (Train on these logs, below).` };
    const chosen = targetRequests(targets, where, usable, misfits, evaluatedActions);
    if (chosen.blocker !== null) return { request: null, blocker: chosen.blocker };
    if (resamplesValue === null) return { request: null, blocker: 'Resamples must be a whole number from 10 to 100,000.' };
    if (seedValue === null) return { request: null, blocker: `The seed must be a whole number from 0 to ${thousands(MAX_SEED)}.` };
    return { request: { ...rowsRequest, targets: chosen.list, resamples: resamplesValue, confidence, seed: seedValue, folds }, blocker: null };
  }, [logs, targets, rowsRequest, rowsBlocker, roles.propensity, where, usable, misfits, evaluatedActions, resamplesValue, seedValue, folds, confidence]);
  const key = request && logs ? JSON.stringify([logs.load, request]) : null;

  const evaluate = () => {
    if (!request || !logs || !key) return;
    const asked: Asked = { key, confidence, rowsText: Object.keys(where).length > 0 ? whereText(where) : null, withTruth: targetsWithTruth(request.targets), before: problems, fileName: logs.fileName };
    // One at a time: while one runs (Evaluate disabled, Cancel beside it) nothing more starts.
    if (evaluation.start(client, { ...request, text: logs.text }, asked) === null) return;
    setProblems({ of: key, lines: [] });
  };

  /** An ended evaluation's outcome, for the choices it was asked with; focus moves to it only if this visit watched it run. */
  const show = ({ asked, outcome }: SettledEvaluation<Asked>, focus: boolean) => {
    // A call that failed (the connection lost, say) is shown as a problem of the evaluation.
    const reply = 'reply' in outcome ? outcome.reply : { ok: false as const, problems: [errorText(outcome.error)], cancelled: undefined };
    const view = afterEvaluation(asked, reply, key, problems);
    if (reply.ok) setEvaluated({ key: asked.key, result: reply.result, confidence: asked.confidence, rowsText: asked.rowsText });
    else if (view.results === 'cleared') setEvaluated(undefined);
    setProblems(view.problems);
    if (focus && view.focus !== null) focusAfterRender(() => (view.focus === 'results' ? resultsHeading.current : problemsRef.current));
  };
  // The evaluation this visit saw running: one that ended while the user was away is shown without taking focus.
  const watched = useRef<string | null>(null);
  useEffect(() => {
    if (running) watched.current = running.id;
  }, [running]);
  useEffect(() => {
    if (settled === null) return;
    const taken = evaluation.take();
    if (taken) show(taken, watched.current === taken.id);
  }, [settled]);
  // Evaluate is disabled while its evaluation runs, and Cancel leaves as it is pressed: each dropped
  // focus to <body> (a keyboard user started over from the sidebar). Focus left there goes to Cancel
  // as an evaluation starts, and back to Evaluate as one stops (an outcome then takes it, as show says);
  // without the form (the page loaded again mid-evaluation), to the heading of the panel that shows it.
  const cancelButton = useRef<HTMLButtonElement>(null);
  const evaluateRow = useRef<HTMLDivElement>(null);
  const earlierHeading = useRef<HTMLHeadingElement>(null);
  const runningId = running?.id ?? null;
  const seenRunning = useRef(runningId);
  useEffect(() => {
    if (seenRunning.current === runningId) return;
    seenRunning.current = runningId;
    const evaluateButton = evaluateRow.current?.querySelector<HTMLButtonElement>('[data-testid=ope-evaluate]');
    // Just disabled, Evaluate still holds focus until the browser lets it fall to <body> (Cancel, removed, lets it fall at once).
    if (runningId !== null && (focusIsLost() || document.activeElement === evaluateButton)) cancelButton.current?.focus();
    else if (runningId === null && focusIsLost()) (evaluateButton ?? earlierHeading.current)?.focus();
  }, [runningId]);
  // The page loaded again (a reload) while an evaluation ran: the app shell followed it again at once
  // (resumeOffPolicyEvaluation, whatever screen the page opened on); it is shown here as any under way.

  const fileProblems = problems.of === 'file' && problems.lines.length > 0 ? problems.lines : null;
  const formProblems = evaluationProblems(problems, key);
  const formShown = logs !== undefined && targets !== undefined;
  // Without the form (the page loaded again, its file not picked anew), an evaluation's word is of no choice shown.
  const cancelledShown = cancelled !== null && !busy && (cancelled.key === key || !formShown);
  const cancel = () => void evaluation.cancel(client);
  const updateTargets = (change: (t: Targets) => Targets) => setTargets((t) => (t ? change(t) : t));

  return (
    <div className="off-policy" data-testid="off-policy-screen">
      <h1 tabIndex={-1}>Off-policy</h1>
      <p className="muted description">
        How would another policy have done on the traffic your logs record? Each row is one impression: the action shown, its context, the reward
        and the logging policy’s probability of showing it (the propensity). The estimates reweight the logged rows; nothing is stored.
      </p>

      <section className="panel" aria-labelledby="ope-logs-title">
        <h2 id="ope-logs-title">Logs</h2>
        <div className="row">
          <FileButton
            label={logs ? 'Choose another logs file…' : 'Choose a logs file (CSV)…'}
            accept=".csv,text/csv"
            disabled={reading}
            inputLabel="Logs file (CSV)"
            testId="logs-pick"
            inputTestId="logs-input"
            buttonRef={pickButton}
            onFiles={(files) => void pickFile(files[0]!)}
          />
        </div>
        {reading && <p className="muted">Reading…</p>}
        {logs && (
          <p data-testid="logs-summary">
            <strong>{logs.fileName}</strong>: {rowsOf(logs.inspection.rows)}, {columns.length} columns ({listedNames(columns.map((c) => c.name))}).
          </p>
        )}
        {fileProblems && <OpeProblems lines={fileProblems} problemsRef={problemsRef} />}
      </section>

      {logs && targets && (
        <form
          className="panel ope-form"
          aria-labelledby="ope-form-title"
          onSubmit={(e) => {
            e.preventDefault();
            evaluate();
          }}
        >
          <h2 id="ope-form-title">What to evaluate</h2>
          <OpeColumnPickers
            roles={roles}
            columns={columns}
            onChange={(next) => {
              setRoles(next);
              // A filter on the column now the reward or the propensity would keep its rows unseen: it goes with the offer.
              setWhere(filtersOfRoles(where, next));
            }}
          />

          <OpeRowsFields listed={listed} where={where} onWhere={setWhere} values={values} uncounted={uncounted} mixed={mixed} holdout={holdout} onHoldout={setHoldout} />

          <TargetPickers targets={targets} onChange={updateTargets} listed={listed} where={where} counts={values} policies={usable} misfits={misfits} actionValues={actionValues} />

          <OpeEstimatorFields
            confidence={confidence}
            onConfidence={setConfidence}
            resamples={resamples}
            onResamples={setResamples}
            seed={seed}
            onSeed={setSeed}
            prior={prior}
            onPrior={setPrior}
            folds={folds}
            onFolds={setFolds}
          />

          <div className="row" ref={evaluateRow}>
            <BlockableButton type="submit" className="primary" disabled={busy} blocker={blocker} blockerTestId="ope-blocker" data-testid="ope-evaluate">
              {busy ? 'Evaluating…' : 'Evaluate'}
            </BlockableButton>
            {running && <OpeCancelButton onCancel={cancel} buttonRef={cancelButton} />}
          </div>
          <OpeEvaluationStatus running={running} seconds={seconds} cancelled={cancelledShown} />
          {formProblems?.late && (
            <p className="notice" data-testid="ope-problems-stale">
              These problems are of the choices Evaluate was pressed with: the choices above changed since.
            </p>
          )}
          {formProblems && <OpeProblems lines={formProblems.lines} problemsRef={problemsRef} />}
        </form>
      )}

      {!formShown && (running || cancelledShown || formProblems) && (
        <OpeEarlierPanel running={running} seconds={seconds} cancelled={cancelledShown} onCancel={cancel} problems={formProblems?.lines ?? null} problemsRef={problemsRef} headingRef={earlierHeading} />
      )}

      {evaluated && (
        <OpeResults result={evaluated.result} confidence={evaluated.confidence} rowsText={evaluated.rowsText} stale={evaluated.key !== key} headingRef={resultsHeading} />
      )}

      {logs && targets && <LogsSimulatorPanel request={rowsRequest} blocker={rowsBlocker} text={logs.text} fileName={logs.fileName} load={logs.load} />}
    </div>
  );
}
