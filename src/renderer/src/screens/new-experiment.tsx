/**
 * New experiment: a form generated from the catalog's JSON Schemas and a JSON view of the same
 * draft, checked by experiments.validate as the user types (each problem under its field), with
 * import of experiment and MDP files, and Launch. `?from=<id>` starts from a stored experiment.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Catalog, Preset } from '../../../shared/dto';
import { errorText, useCall, useClient } from '../api';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorLine } from '../components/error-line';
import { useTabs } from '../components/tabs';
import { LOGS_DRAFT_KEY } from '../components/logs-simulator';
import { autoName, filePaths, fromExperiment, fromJsonText, initialDraft, toJsonText, withoutFit, type Draft } from '../form/draft';
import { ExperimentForm, formFieldPaths } from '../form/experiment-form';
import { importFiles, pickNative, readFiles, type PickedFile } from '../form/import';
import { placeProblems } from '../form/problems';
import { SweepNote, SweepSection, sweepOf, sweepParameters, sweepProblemLine, sweepSummary, type SweepRow } from '../form/sweep-section';
import { PresetPicker } from '../form/preset-picker';
import { plural } from '../../../shared/text';
import { isObject } from '../../../shared/values';
import { fmt } from '../format';
import { useFocusAfterRender, useFocusClearOfBottomBar } from '../focus';
import { href, idOf, navigate } from '../router';

export function NewExperimentScreen({ query }: { query: URLSearchParams }) {
  const catalog = useCall('catalog.get', {});
  const fromText = query.get('from');
  const fromId = idOf(fromText) ?? 0;
  // An address whose from= is not an experiment's number (hand-edited, cut short) names nothing to start from.
  const badFrom = fromText !== null && fromId === 0;
  // A draft another screen prepared (the off-policy screen's simulator of your logs), kept under a key of its own.
  const fromLogs = !(fromId > 0) && query.get('draft') === 'logs';
  const from = useCall('experiments.get', fromId > 0 ? { id: fromId } : null);
  // useCall keeps the previous answer while a new one loads: wait for this id's.
  const fromReady = from.data !== undefined && from.data.id === fromId;
  const waiting = !catalog.data || (fromId > 0 && !fromReady && !from.error);
  return (
    <div className="new-experiment-screen" data-testid="new-experiment">
      <h1 tabIndex={-1} data-testid="new-experiment-title">
        {fromId > 0 ? `New experiment from #${fromId}` : fromLogs ? 'New experiment on a simulator of your logs' : 'New experiment'}
      </h1>
      {catalog.error && <ErrorLine error={catalog.error} />}
      {badFrom && (
        <p className="error" role="alert" data-testid="bad-from-address">
          This address names no experiment to start from: from= takes an experiment's number (#/experiments/new?from=12), got “{fromText}”. The form below starts
          empty; to start from a stored experiment, use Run again on its row in <a href={href('experiments')}>Experiments</a>.
        </p>
      )}
      {from.error && <ErrorLine error={from.error} prefix={`Experiment ${fromId} could not be loaded: `} />}
      {waiting ? (
        !catalog.error && <p className="muted">Loading…</p>
      ) : (
        <Editor
          key={fromId || (fromLogs ? 'logs' : 'new')}
          catalog={catalog.data!}
          start={fromReady ? fromExperiment(from.data!.config) : initialDraft(catalog.data!)}
          draftKey={fromLogs ? LOGS_DRAFT_KEY : `aisle.draft.${fromId > 0 ? `from-${fromId}` : 'new'}`}
          presetsOpen={query.get('presets') === 'open'}
        />
      )}
    </div>
  );
}

/** The "Edit as" tabs: the generated form, or the experiment file's JSON. */
const EDIT_AS = ['form', 'json'] as const;

interface Validation {
  readonly key: string;
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** Valid but probably not meant (see experimentWarnings): shown, launching still allowed. */
  readonly warnings: readonly string[];
  readonly runs: number;
  /** Episodes per run as the service read the draft (its default when the field is empty). */
  readonly episodes: number;
  /** With a sweep: how many experiments it launches (`runs` then counts all of theirs). */
  readonly experiments?: number;
  /** Why the draft's fittedTo no longer applies (its env is not the one fitted, see fitted-env.ts), when it does not. */
  readonly fitDropped?: string;
}

function savedTab(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

/** The sweep's rows as the tab last left them (kept beside the draft, as the draft is). */
function savedSweep(key: string): SweepRow[] {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(key) ?? '[]');
    return Array.isArray(value) ? value.filter((r): r is SweepRow => isObject(r) && typeof r.path === 'string' && typeof r.values === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The draft as the tab last left it (sessionStorage: this tab only, gone with it), so a reload or a
 * trip to another screen and Back does not lose a half-filled form; undefined when there is none.
 */
function savedDraft(key: string): Draft | undefined {
  try {
    const text = sessionStorage.getItem(key);
    const value: unknown = text === null ? undefined : JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function Editor({ catalog, start, draftKey, presetsOpen }: { catalog: Catalog; start: Draft; draftKey: string; presetsOpen: boolean }) {
  const client = useClient();
  const held = (d: Draft) => filePaths(catalog, d);
  const [restored] = useState(() => savedDraft(draftKey));
  const [draft, setDraft] = useState(restored ?? start);
  const [jsonText, setJsonText] = useState(() => toJsonText(restored ?? start, held(restored ?? start)));
  const [jsonError, setJsonError] = useState<string | null>(null);
  // The tab goes with the draft: a reload in the JSON view comes back to the JSON view.
  const tabKey = `${draftKey}.tab`;
  const [tab, setTab] = useState<'form' | 'json'>(() => (restored && savedTab(tabKey) === 'json' ? 'json' : 'form'));
  const sweepKey = `${draftKey}.sweep`;
  const [sweepRows, setSweepRows] = useState<SweepRow[]>(() => savedSweep(sweepKey));
  const { sweep, rowOf } = useMemo(() => sweepOf(sweepRows), [sweepRows]);
  const [local, setLocal] = useState<Readonly<Record<string, string>>>({});
  const [validation, setValidation] = useState<Validation | null>(null);
  const [imported, setImported] = useState<{ note?: string; problems: readonly string[]; source?: string }>({ problems: [] });
  /** Why the form dropped fittedTo, until the draft changes again. */
  const [fitNote, setFitNote] = useState<string | null>(null);
  const [launching, setLaunching] = useState(false);
  /** A Launch pressed while the draft was being checked: the draft it was for, and the notes shown before that check. */
  const [pending, setPending] = useState<{ key: string; seen: readonly string[] } | null>(null);
  /** The draft whose check held a pressed Launch back with notes the user had not seen. */
  const [heldFor, setHeldFor] = useState<string | null>(null);
  const [confirmStartOver, setConfirmStartOver] = useState(false);
  const [launchError, setLaunchError] = useState<unknown>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const launchBar = useRef<HTMLElement>(null);
  const seq = useRef(0);
  // A control that leaves the page with its click (the JSON banner's buttons) hands focus on to the
  // element with this id once the next render is in place, rather than dropping it to <body>.
  const focusAfterRender = useFocusAfterRender();
  const focusNext = (id: string) => focusAfterRender(() => document.getElementById(id));

  /** From the form (or an import): the JSON view follows; a changed component renames an automatic name. */
  const update = (next: Draft, renamed = false) => {
    const named = renamed && draft.name === autoName(draft) ? { ...next, name: autoName(next) } : next;
    setDraft(named);
    setJsonText(toJsonText(named, held(named)));
    setJsonError(null);
    setFitNote(null);
  };
  /**
   * What an import said (its note, or why it failed) is about the draft as it was then: the user's
   * next edit clears it. The imported experiment's source is kept for Launch.
   */
  const clearImportMessages = () => setImported((prev) => (prev.note === undefined && prev.problems.length === 0 ? prev : { problems: [], ...(prev.source ? { source: prev.source } : {}) }));
  /** The user's own edit in the form. */
  const edit = (next: Draft, renamed = false) => {
    clearImportMessages();
    update(next, renamed);
  };
  /** Puts the JSON view back to the draft (the form's last good experiment), dropping text that did not parse. */
  const discardJson = () => {
    setJsonText(toJsonText(draft, held(draft)));
    setJsonError(null);
  };
  const onJson = (text: string) => {
    clearImportMessages();
    setFitNote(null);
    setJsonText(text);
    const r = fromJsonText(text, draft, held(draft));
    if (r.ok) {
      setDraft(r.draft);
      setJsonError(null);
    } else setJsonError(r.error);
  };

  useFocusClearOfBottomBar(launchBar);

  const key = JSON.stringify(draft);
  // What the service checks: the draft and the sweep's values (not the rows' text as typed).
  const checkKey = JSON.stringify({ draft, sweep });
  const startKey = useMemo(() => JSON.stringify(start), [start]);
  useEffect(() => {
    try {
      sessionStorage.setItem(draftKey, key);
    } catch {
      // Storage full (a large inline MDP): the draft is just not kept across reloads.
    }
  }, [draftKey, key]);
  useEffect(() => {
    try {
      sessionStorage.setItem(tabKey, tab);
    } catch {
      // Storage unavailable: the form opens on its first tab after a reload.
    }
  }, [tabKey, tab]);
  useEffect(() => {
    try {
      sessionStorage.setItem(sweepKey, JSON.stringify(sweepRows));
    } catch {
      // Storage unavailable: the sweep is just not kept across reloads.
    }
  }, [sweepKey, sweepRows]);
  const startOver = () => {
    sessionStorage.removeItem(draftKey);
    sessionStorage.removeItem(sweepKey);
    setSweepRows([]);
    setLocal({});
    setImported({ problems: [] });
    update(start);
  };
  useEffect(() => {
    const timer = setTimeout(() => {
      const mine = ++seq.current;
      const checked = JSON.parse(checkKey) as { draft: Draft; sweep: typeof sweep };
      client
        .call('experiments.validate', { experiment: checked.draft, ...(checked.sweep.length > 0 ? { sweep: checked.sweep } : {}) })
        .then(
          (r) =>
            mine === seq.current &&
            setValidation({
              key: checkKey,
              ok: r.ok,
              problems: r.ok ? [] : r.problems,
              warnings: r.ok ? r.warnings : [],
              runs: r.ok ? (r.sweep?.runs ?? r.experiment.seeds.length) : 0,
              episodes: r.ok ? r.experiment.episodes : 0,
              ...(r.ok && r.sweep ? { experiments: r.sweep.experiments } : {}),
              ...(r.ok && r.fitDropped !== undefined ? { fitDropped: r.fitDropped } : {}),
            }),
        )
        .catch((e: unknown) => mine === seq.current && setValidation({ key: checkKey, ok: false, problems: [errorText(e)], warnings: [], runs: 0, episodes: 0 }));
    }, 200);
    return () => clearTimeout(timer);
  }, [client, checkKey]);

  // An env edited by any route (the form, the JSON view, an import, a duplicate's) that is no longer
  // the one fitted drops fittedTo from the draft as switching environment does, and says why.
  const dropFit = validation?.key === checkKey ? validation.fitDropped : undefined;
  useEffect(() => {
    if (dropFit === undefined) return;
    update(withoutFit(draft));
    setFitNote(dropFit);
    // Only an answer about the draft shown acts (draft changes with key); the drop changes key, so once.
  }, [dropFit, key]);

  const onLocalProblem = (path: string, message: string | null) =>
    setLocal((prev) => {
      if ((prev[path] ?? null) === message) return prev;
      const next = { ...prev };
      if (message === null) delete next[path];
      else next[path] = message;
      return next;
    });

  /**
   * The form's inputs are rebuilt from the draft when it shows again, so text that did not parse
   * (kept only in the input) is gone with its problem.
   */
  const switchTab = (t: 'form' | 'json') => {
    if (t !== tab) setLocal({});
    setTab(t);
  };
  const tabs = useTabs(EDIT_AS, tab, switchTab);

  // While the JSON view's text does not parse, the draft is the last text that did: its problems are
  // about text no longer there, so only the parse problem is shown (and counted) until it parses again.
  // The service numbers the sweep's entries as sent; the form's rows include those without values yet.
  const serviceProblems = useMemo(
    () => (jsonError === null ? (validation?.problems ?? []) : []).map((p) => p.replace(/^sweep\[(\d+)\]: /, (_, i: string) => `sweep[${rowOf[Number(i)] ?? i}]: `)),
    [jsonError, validation, rowOf],
  );
  const placed = useMemo(
    () => placeProblems(serviceProblems, [...formFieldPaths(catalog, draft), 'sweep', ...sweepRows.map((_, i) => `sweep[${i}]`)]),
    [serviceProblems, catalog, draft, sweepRows],
  );
  const byField = useMemo(() => {
    const m = new Map(placed.byField);
    // While a field's text does not parse, the draft still holds its last good value: the
    // service's problems with that value would contradict what the field shows, so only the
    // typing problem is shown there (and counted).
    for (const [path, message] of Object.entries(local)) m.set(path, [message]);
    return m;
  }, [placed, local]);
  // The JSON view has no rows to put the sweep's problems under: each line names its row's parameter instead.
  const jsonProblems = useMemo(() => serviceProblems.map((p) => sweepProblemLine(p, sweepRows, sweepParameters(catalog, draft))), [serviceProblems, sweepRows, catalog, draft]);
  const swept = sweepSummary(sweepRows, draft);
  const hiddenByLocal = Object.keys(local).reduce((n, path) => n + (placed.byField.get(path)?.length ?? 0), 0);
  const blocking = Object.keys(local).length > 0 || jsonError !== null;
  const canLaunch = validation?.ok === true && !blocking && !launching;

  const onFiles = async (files: PickedFile[]) => {
    if (files.length === 0) return;
    const r = await importFiles(client, catalog, draft, files);
    if (!r.ok) return setImported({ problems: r.problems });
    setImported({ note: r.note, problems: [], ...(r.source ? { source: r.source } : {}) });
    setLocal({});
    update(r.draft, !r.source);
    if (r.fitDropped !== undefined) setFitNote(r.fitDropped); // after update, which clears the last one
  };
  /** A preset loads as an imported experiment file would: its note, its problems, its name as the source. */
  const loadPreset = async (preset: Preset) => {
    try {
      const r = await client.call('presets.load', { file: preset.file });
      if (!r.ok) return setImported({ problems: r.problems.map((p) => `${preset.file}: ${p}`) });
      setImported({ note: `Loaded the preset ${preset.file}.`, problems: [], source: preset.file });
      setLocal({});
      update(fromExperiment(r.experiment));
      focusNext('f-name');
    } catch (e) {
      setImported({ problems: [errorText(e)] });
    }
  };
  const openPicker = () => {
    if (client.door === 'electron') void pickNative().then(onFiles, (e: unknown) => setImported({ problems: [errorText(e)] }));
    else fileInput.current?.click();
  };
  /** Launched: the next New experiment starts fresh. */
  const forgetDraft = () => {
    sessionStorage.removeItem(draftKey);
    sessionStorage.removeItem(sweepKey);
  };
  const launch = async () => {
    setLaunching(true);
    setLaunchError(null);
    try {
      const source = imported.source ? { source: imported.source } : {};
      if (sweep.length > 0) {
        const r = await client.call('experiments.launchSweep', { experiment: draft, sweep, ...source });
        forgetDraft();
        // The sweep's experiments side by side, each a group of its seeds' runs.
        navigate(href('compare', { experiments: r.experiments.map((e) => e.experimentId) }));
      } else {
        const r = await client.call('experiments.launch', { experiment: draft, ...source });
        forgetDraft();
        navigate(href('runs', { experiment: r.experimentId }));
      }
    } catch (e) {
      setLaunchError(e);
      setLaunching(false);
    }
  };

  /**
   * The footer's "N problems to fix": focus goes to the first invalid input in the form (opening the
   * folded group it hides in), else to the JSON view or the list of problems no field claims.
   */
  const goToFirstProblem = () => {
    const panel = document.getElementById(tabs.panel.id);
    const field = tab === 'form' ? panel?.querySelector<HTMLElement>('[aria-invalid="true"]') : null;
    const target = field ?? document.getElementById(tab === 'json' || jsonError !== null ? 'json-view' : 'unplaced-problems');
    if (!target) return;
    if (target.id === 'json-view' && tab !== 'json') {
      switchTab('json');
      return focusNext('json-view');
    }
    for (let group = target.closest('details'); group; group = group.parentElement?.closest('details') ?? null) group.open = true;
    target.focus();
  };

  const current = validation !== null && validation.key === checkKey;
  /**
   * Launch acts on the check of the draft on screen, never on the last one's answer. Pressed while
   * that check is under way (an edit a moment ago), the press is kept and goes ahead when the check
   * answers ok with no note the user has not already seen; new notes (a shiftAt past the last
   * episode, a dropped fittedTo) or problems are shown instead, and Launch waits for another press.
   * A kept press rather than a blocked button: a keyboard user who Tabs from a field to Launch and
   * presses Enter at once launches with that one press, as a mouse user's click does. (Enter in a
   * field does not launch: the form is not a <form>.) An edit after the press drops it: it was for
   * another draft.
   */
  const pressLaunch = () => {
    if (current) return void launch();
    setPending({ key: checkKey, seen: validation?.ok ? validation.warnings : [] });
  };
  useEffect(() => {
    if (pending === null) return;
    if (pending.key !== checkKey) return setPending(null);
    if (!current) return;
    setPending(null);
    const unseen = validation.warnings.some((w) => !pending.seen.includes(w)) || validation.fitDropped !== undefined;
    if (validation.ok && !blocking && !unseen) return void launch();
    if (validation.ok && !blocking) return setHeldFor(checkKey);
    // Launch is disabled now: its focus (or focus it already dropped to <body>) goes to the count of problems, which leads to them.
    const focused = document.activeElement;
    if (focused === null || focused === document.body || focused.id === 'launch') focusNext('problem-count');
  }, [pending, checkKey, current, validation, blocking]);

  // The count only while Launch would launch it: a disabled "Launch 10 runs" reads as a promise.
  // (The last answer's count is kept while the next is checked, so the label does not flicker.)
  const runs = validation?.ok && !blocking ? validation.runs : 0;
  return (
    <>
      <div className="row toolbar">
        <div className="tabs" role="tablist" aria-label="Edit as">
          {EDIT_AS.map((t) => (
            <button key={t} type="button" {...tabs.tab(t)} className={tab === t ? 'active' : undefined} data-testid={`tab-${t}`}>
              {t === 'form' ? 'Form' : 'JSON view'}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <PresetPicker presets={catalog.presets} onPick={(p) => void loadPreset(p)} startOpen={presetsOpen} />
        <button type="button" onClick={openPicker} data-testid="import">
          Import…
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          accept=".json,application/json"
          hidden
          data-testid="import-input"
          onChange={(e) => {
            const list = e.target.files;
            void readFiles(list).then(onFiles, (err: unknown) => setImported({ problems: [errorText(err)] }));
            e.target.value = '';
          }}
        />
      </div>
      {imported.note && <p className="muted small" data-testid="import-note">{imported.note}</p>}
      {fitNote !== null && (
        <p className="muted small" role="status" data-testid="fit-note">
          Note: {fitNote}
        </p>
      )}
      {imported.problems.length > 0 && (
        <div className="error" role="alert" data-testid="import-problems">
          {imported.problems.join('\n')}
        </div>
      )}

      <div {...tabs.panel}>
        {tab === 'form' ? (
          <>
            {jsonError !== null && (
              <div className="error" role="alert" data-testid="json-pending">
                <p>
                  The JSON view holds text that does not parse ({jsonError}), so the form shows the last experiment that did. Launch waits until the
                  JSON view parses again or its edits are discarded; an edit in the form discards them too.
                </p>
                <div className="row">
                  <button
                    type="button"
                    onClick={() => {
                      switchTab('json');
                      focusNext('json-view');
                    }}
                    data-testid="json-pending-back"
                  >
                    Back to the JSON view
                  </button>
                  <button
                    type="button"
                    onClick={() => {
                      discardJson();
                      focusNext('f-name');
                    }}
                    data-testid="json-pending-discard"
                  >
                    Discard the JSON edits
                  </button>
                </div>
              </div>
            )}
            <ExperimentForm catalog={catalog} draft={draft} onDraft={edit} problems={byField} onLocalProblem={onLocalProblem} onImport={openPicker} />
            <SweepSection catalog={catalog} draft={draft} rows={sweepRows} onRows={setSweepRows} problems={byField} />
          </>
        ) : (
          <section className="panel" aria-label="JSON view">
            {swept !== null && (
              <SweepNote
                summary={swept}
                onEdit={() => {
                  // Shown again, the form's Sweep section opens by itself, as it holds rows.
                  switchTab('form');
                  focusNext(`sweep-${rowOf[0] ?? 0}-values`);
                }}
              />
            )}
            <label htmlFor="json-view" className="muted small">
              The experiment as an <code>aisle.experiment/v1</code> file: edits here update the form.
            </label>
            <textarea
              id="json-view"
              data-testid="json-view"
              className="json-view"
              rows={24}
              spellCheck={false}
              value={jsonText}
              aria-invalid={jsonError !== null}
              aria-describedby={jsonError ? 'json-view-error' : undefined}
              onChange={(e) => onJson(e.target.value)}
            />
            {jsonError && (
              <div className="field-error" id="json-view-error" data-testid="json-error">
                {jsonError}
              </div>
            )}
          </section>
        )}
      </div>

      <section className="launch" aria-label="Launch" ref={launchBar} data-testid="launch-bar">
        {(tab === 'json' ? jsonProblems : placed.unplaced).length > 0 && (
          <div className="error problems" data-testid="problems" id="unplaced-problems" tabIndex={-1}>
            {(tab === 'json' ? jsonProblems : placed.unplaced).join('\n')}
          </div>
        )}
        {current && validation.ok && !blocking && validation.warnings.length > 0 && (
          <div className="warning" role="status" data-testid="warnings">
            {validation.warnings.map((w) => `Note: ${w}`).join('\n')}
            {heldFor === checkKey && '\nLaunch waited for these notes, new with your last edit: press Launch again to launch as it is.'}
          </div>
        )}
        {launchError !== null && <ErrorLine error={launchError} testId="launch-error" />}
        <div className="row">
          <button type="button" id="launch" className="primary" disabled={!canLaunch} onClick={pressLaunch} data-testid="launch">
            {launching ? 'Launching…' : runs > 0 ? `Launch ${plural(runs, 'run')}` : 'Launch'}
          </button>
          <span className="muted small" aria-live="polite" data-testid="validation-state">
            {!current
              ? pending !== null
                ? 'Checking… Launch follows if nothing new comes up.'
                : 'Checking…'
              : validation.ok && !blocking
                ? validation.experiments !== undefined
                  ? `Ready: ${plural(validation.experiments, 'experiment')}, ${plural(runs, 'run')}`
                  : `Ready: ${fmt(runs)} × ${fmt(validation.episodes)} episodes`
                : (
                  <button type="button" id="problem-count" className="link problem-count" onClick={goToFirstProblem} data-testid="go-to-problem" title="Show the first problem">
                    {problemCount(serviceProblems.length - hiddenByLocal + Object.keys(local).length + (jsonError ? 1 : 0))}
                  </button>
                )}
          </span>
          <span className="spacer" />
          {(key !== startKey || sweepRows.length > 0) && (
            <button type="button" className="link" onClick={() => setConfirmStartOver(true)} data-testid="start-over" title="Forget this draft (it is kept in this tab across reloads) and start from the beginning">
              Start over
            </button>
          )}
          {confirmStartOver && (
            <ConfirmDialog
              title="Start over?"
              confirmLabel="Forget this draft"
              onClose={() => setConfirmStartOver(false)}
              focusAfter={() => document.getElementById('f-name')}
              onConfirm={async () => startOver()}
            >
              <p>The form goes back to where this page started, and this draft, with what was imported or fitted into it, is forgotten. It cannot be undone.</p>
            </ConfirmDialog>
          )}
        </div>
      </section>
    </>
  );
}

function problemCount(n: number): string {
  return `${plural(n, 'problem')} to fix`;
}
