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
import { holdoutText, PROPENSITY_MEANING, type HoldoutChoice } from '../../../engine/ope/data';
import { thousands } from '../../../engine/params';
import { mixedColumns, mixedColumnsText } from '../../../engine/ope/logging-columns';
import { targetsWithTruth } from '../../../engine/ope/progress';
import { BlockableButton } from '../components/blockable-button';
import { FileButton } from '../components/file-button';
import { countsNotFollowing, emptyFilter, filteredValues, filtersOfRoles, loggedActions } from '../components/logs-filters';
import { LogsSimulatorPanel, type SimulatorRows } from '../components/logs-simulator';
import { useTick } from '../components/elapsed';
import { OpeProgress } from '../components/ope-progress';
import { OpeResults } from '../components/ope-results';
import { initialTargets, rowsOf, TargetPickers, targetRequests, ValueOptions, whereText, type Targets } from '../components/ope-targets';
import { NumberField, numberIn } from '../components/number-field';
import { WholeNumberField } from '../components/whole-number-field';
import { readUtf8 } from '../files';
import { focusIsLost, useFocusAfterRender } from '../focus';
import { wholeNumber } from '../format';
import { useKeptState } from '../kept-state';
import { afterEvaluation, evaluationProblems, OneEvaluation, sessionNote, type SettledEvaluation, type ShownProblems } from '../ope-evaluation';

type Request = CommandInput<'logs.evaluate'>;
type Role = keyof LogsInspection['roles'];
const ROLES: readonly { role: Role; label: string }[] = [
  { role: 'action', label: 'Action' },
  { role: 'reward', label: 'Reward' },
  { role: 'propensity', label: 'Propensity' },
  { role: 'context', label: 'Context' },
];
const CONFIDENCES = [0.9, 0.95, 0.99] as const;
/** The largest prior, in pseudo-rows: what `aisle ope --prior` and logs.evaluate take. */
const MAX_PRIOR = 1_000_000;
/**
 * The holdouts offered, by their option's value: "0" none, "k" 1 kept row in k (each by a seeded
 * draw), "last:p" the last p % of the kept rows (the newest, in logs written in time order).
 */
const HOLDOUTS = ['0', '2', '3', '4', '5', '10', 'last:10', 'last:20', 'last:30'] as const;

function holdoutChoice(value: string): HoldoutChoice {
  if (value.startsWith('last:')) return { holdoutLast: Number(value.slice(5)) };
  return value === '0' ? {} : { holdout: Number(value) };
}

function holdoutLabel(value: string): string {
  const choice = holdoutChoice(value);
  if (choice.holdoutLast !== undefined) return `${holdoutText(choice)!} (the newest, in logs written in time order): evaluate on those, fit a simulator on the earlier rows`;
  return choice.holdout !== undefined ? `${holdoutText(choice)!}, at random: evaluate on those, fit a simulator on the rest` : 'none: every row kept';
}

/** The first column chosen for two roles (in the order the form lists them), or null. */
export function roleClash(roles: Readonly<Record<Role, string>>): { column: string; first: Role; second: Role } | null {
  const seen = new Map<string, Role>();
  for (const { role } of ROLES) {
    const column = roles[role];
    if (column === '') continue;
    const first = seen.get(column);
    if (first !== undefined) return { column, first, second: role };
    seen.set(column, role);
  }
  return null;
}

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

/** What an evaluation was asked with: its outcome is shown by it, whenever it comes. */
interface Asked {
  /** The choices' key then: its results are marked stale once the choices differ. */
  readonly key: string;
  readonly confidence: number;
  readonly rowsText: string | null;
  /** Which of its targets have their truth resampled too (the `logs` ones): the progress line counts it apart. */
  readonly withTruth: readonly boolean[];
  /** The problems shown before Evaluate, shown again if it is cancelled. */
  readonly before: ShownProblems;
  /** The logs file's name, said of an evaluation followed again after a reload (the file is picked anew). */
  readonly fileName: string;
}

/**
 * The evaluation under way, outside the screen: one left running (Resamples 100,000 take a minute)
 * is found on return with its progress and Cancel, and its results shown when it ends.
 */
const evaluation = new OneEvaluation<Asked>(undefined, sessionNote('aisle.off-policy.evaluation'));

export function OffPolicyScreen() {
  const client = useClient();
  const policies = useCall('policies.list', {});
  // A policy stored or deleted meanwhile (the Policies screen, another window, `aisle export`) is offered, or no longer.
  useEvent('policies.changed', policies.refresh);
  // A stored policy as a target: one that picks from action labels alone or by a discrete state (a table, or a network on one-hot states; one on feature vectors cannot).
  const usable = useMemo(() => (policies.data ?? []).filter((p) => p.kind === 'context-free' || p.kind === 'tabular' || (p.kind === 'mlp' && p.states > 0)), [policies.data]);
  const [logs, setLogs] = useKeptState<Logs | undefined>('off-policy.logs', undefined);
  const [reading, setReading] = useState(false);
  // Of 'file' until another file is picked; of an evaluation's key while the choices stay those it was asked with (or `late`: see afterEvaluation).
  const [problems, setProblems] = useKeptState<ShownProblems>('off-policy.problems', { of: 'file', lines: [] });
  const [roles, setRoles] = useKeptState<Record<Role, string>>('off-policy.roles', { action: '', reward: '', propensity: '', context: '' });
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
      const text = await readUtf8(file);
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
    const clash = roleClash(roles);
    if (clash) return { rowsRequest: null, rowsBlocker: `The column "${clash.column}" is both the ${clash.first} and the ${clash.second}: choose another column for one of them.` };
    // A filter value whose option says 0 rows under the others: said here, as the worker would say it only after reading the file.
    const empty = emptyFilter(values, where);
    if (empty) return { rowsRequest: null, rowsBlocker: `No row has ${whereText(where)}: ${empty.column} = ${empty.value} keeps 0 rows under the other filters. Choose another value, or any.` };
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
  // The page loaded again (a reload) while an evaluation ran: it is followed again, or said to be stopped.
  useEffect(() => void evaluation.resume(client), [client]);

  const problemList = (lines: readonly string[]) => (
    <div ref={problemsRef} tabIndex={-1} className="error" role="alert" data-testid="logs-problems">
      {lines.join('\n')}
    </div>
  );
  const fileProblems = problems.of === 'file' && problems.lines.length > 0 ? problems.lines : null;
  const formProblems = evaluationProblems(problems, key);
  const formShown = logs !== undefined && targets !== undefined;
  // Without the form (the page loaded again, its file not picked anew), an evaluation's word is of no choice shown.
  const cancelledShown = cancelled !== null && !busy && (cancelled.key === key || !formShown);
  const cancelButton = running && (
    <button type="button" onClick={() => void evaluation.cancel(client)} data-testid="ope-cancel">
      Cancel
    </button>
  );
  const evaluationStatus = (
    <>
      {running && <OpeProgress progress={running.progress} seconds={seconds} withTruth={running.asked.withTruth} />}
      {cancelledShown && (
        <p className="muted" role="status" data-testid="ope-cancelled">
          Evaluation cancelled.
        </p>
      )}
    </>
  );
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
            <strong>{logs.fileName}</strong>: {rowsOf(logs.inspection.rows)}, {columns.length} columns ({columns.map((c) => c.name).join(', ')}).
          </p>
        )}
        {fileProblems && problemList(fileProblems)}
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
          <fieldset className="ope-group">
            <legend>Columns</legend>
            <div className="row">
              {ROLES.map(({ role, label }) => (
                <label key={role}>
                  {label}{' '}
                  <select
                    value={roles[role]}
                    onChange={(e) => {
                      const next = { ...roles, [role]: e.target.value };
                      setRoles(next);
                      // A filter on the column now the reward or the propensity would keep its rows unseen: it goes with the offer.
                      setWhere(filtersOfRoles(where, next));
                    }}
                    data-testid={`role-${role}`}
                  >
                    <option value="">{role === 'context' || role === 'propensity' ? 'none' : 'choose…'}</option>
                    {columns.map((c) => (
                      <option key={c.name} value={c.name}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
          </fieldset>

          <fieldset className="ope-group">
            <legend>Evaluate on the rows where</legend>
            <div className="row">
              {listed.map((c) => (
                <label key={c.name}>
                  {c.name}{' '}
                  <select
                    value={where[c.name] ?? ''}
                    onChange={(e) => {
                      const { [c.name]: _dropped, ...rest } = where;
                      setWhere(e.target.value === '' ? rest : { ...rest, [c.name]: e.target.value });
                    }}
                    data-testid={`where-${c.name}`}
                  >
                    <option value="">any</option>
                    <ValueOptions values={values.get(c.name) ?? c.values!} />
                  </select>
                </label>
              ))}
            </div>
            {listed.length === 0 && <p className="muted small">No column has few enough values to filter by: every row is evaluated.</p>}
            {uncounted.length > 0 && (
              <p className="muted small" data-testid="ope-counts-partial">
                The rows beside the values of {uncounted.join(', ')} do not follow every filter: the file has too many combinations of these columns&apos; values
                to count them all. The evaluation keeps exactly the rows the filters pick.
              </p>
            )}
            {mixed.length > 0 && (
              <p className="notice" data-testid="ope-mixed">
                {mixedColumnsText(mixed, 'above')}
              </p>
            )}
            <div className="row">
              <label>
                Holdout{' '}
                <select value={holdout} onChange={(e) => setHoldout(e.target.value)} data-testid="ope-holdout">
                  {HOLDOUTS.map((value) => (
                    <option key={value} value={value}>
                      {holdoutLabel(value)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          </fieldset>

          <TargetPickers targets={targets} onChange={updateTargets} listed={listed} where={where} counts={values} policies={usable} misfits={misfits} actionValues={actionValues} />

          <fieldset className="ope-group">
            <legend>Intervals</legend>
            <div className="row">
              <label>
                Level{' '}
                <select value={confidence} onChange={(e) => setConfidence(Number(e.target.value))} data-testid="ope-confidence">
                  {CONFIDENCES.map((c) => (
                    <option key={c} value={c}>
                      {Math.round(c * 100)} %
                    </option>
                  ))}
                </select>
              </label>
              <WholeNumberField label="Bootstrap resamples" min={10} max={100_000} value={resamples} onChange={setResamples} className="ope-number" testId="ope-resamples" />
              <WholeNumberField label="Seed" min={0} max={MAX_SEED} value={seed} onChange={setSeed} className="ope-number" testId="ope-seed" />
            </div>
          </fieldset>

          <fieldset className="ope-group">
            <legend>Reward model (DM, DR)</legend>
            <div className="row">
              <NumberField label="Prior, in pseudo-rows" min={0} max={MAX_PRIOR} value={prior} onChange={setPrior} className="ope-number" testId="ope-prior" />
              <label>
                DR cross-fitting{' '}
                <select value={folds} onChange={(e) => setFolds(Number(e.target.value))} data-testid="ope-folds">
                  {Array.from({ length: 10 }, (_, i) => i + 1).map((k) => (
                    <option key={k} value={k}>
                      {k === 1 ? 'none (fit on every row)' : `${k} folds`}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <p className="muted small">Each cell&apos;s mean reward, shrunk toward its action&apos;s mean over the other contexts (itself shrunk toward the overall mean), each by the prior; DR corrects each row with the model fit on the other folds.</p>
          </fieldset>

          <div className="row">
            <BlockableButton type="submit" className="primary" disabled={busy} blocker={blocker} blockerTestId="ope-blocker" data-testid="ope-evaluate">
              {busy ? 'Evaluating…' : 'Evaluate'}
            </BlockableButton>
            {cancelButton}
          </div>
          {evaluationStatus}
          {formProblems?.late && (
            <p className="notice" data-testid="ope-problems-stale">
              These problems are of the choices Evaluate was pressed with: the choices above changed since.
            </p>
          )}
          {formProblems && problemList(formProblems.lines)}
        </form>
      )}

      {!formShown && (running || cancelledShown || formProblems) && (
        <section className="panel" aria-labelledby="ope-earlier-title" data-testid="ope-earlier">
          <h2 id="ope-earlier-title">Evaluation asked before</h2>
          {running && (
            <p className="muted">
              Of {running.asked.fileName}, asked before this page was loaded again: it goes on.
            </p>
          )}
          {cancelButton && <div className="row">{cancelButton}</div>}
          {evaluationStatus}
          {formProblems && problemList(formProblems.lines)}
        </section>
      )}

      {evaluated && (
        <OpeResults result={evaluated.result} confidence={evaluated.confidence} rowsText={evaluated.rowsText} stale={evaluated.key !== key} headingRef={resultsHeading} />
      )}

      {logs && targets && <LogsSimulatorPanel request={rowsRequest} blocker={rowsBlocker} text={logs.text} fileName={logs.fileName} load={logs.load} />}
    </div>
  );
}
