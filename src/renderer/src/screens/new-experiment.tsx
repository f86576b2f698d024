/**
 * New experiment: a form generated from the catalog's JSON Schemas and a JSON view of the same
 * draft, checked by experiments.validate as the user types (each problem under its field), with
 * import of experiment and MDP files, and Launch. `?from=<id>` starts from a stored experiment.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CommandInput } from '../../../shared/contract';
import type { Catalog } from '../../../shared/dto';
import { isObject } from '../../../shared/values';
import { useCall } from '../api';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorLine } from '../components/error-line';
import { useTabs } from '../components/tabs';
import { LOGS_DRAFT_KEY } from '../components/logs-simulator';
import { againStart } from '../form/again';
import { autoName, filePaths, initialDraft, withoutFit, type Draft } from '../form/draft';
import { draftKeyText, fromJsonText, heldFiles, toJsonText } from '../form/held-files';
import { ExperimentForm, formFieldPaths } from '../form/experiment-form';
import { ImportButton, useImport } from '../form/import-button';
import { JsonPending, JsonView } from '../form/json-view';
import { forgetDraft, savedDraft, savedJsonText, savedSearch, savedSweep, savedTab, useKeptDraft } from '../form/kept-draft';
import { GRID, parameterRanges, type SweepSearch } from '../form/random-search';
import { crossFieldProblems, parameterChecks } from '../form/sweep-checks';
import { useLaunch } from '../form/launch';
import { liveLocalProblems, placeProblems } from '../form/problems';
import { SweepSection, sweepOf, sweepParameters, sweepProblemLine, sweepRowFixId, sweepSummary, sweptPaths, type SweepRow } from '../form/sweep-section';
import { PresetPicker } from '../form/preset-picker';
import { checkKeyOf, useValidation } from '../form/validation';
import { ValidationState } from '../form/validation-state';
import { counted, plural } from '../../../shared/text';
import { fmt } from '../format';
import { useFocusAfterRender, useFocusClearOfBottomBar } from '../focus';
import { beyondIds, href, idOf } from '../router';

/**
 * Why the address's from= names no experiment to start from. Digits past 2^53 are a number, but one
 * no experiment has (idOf reads none): said so, where it was read as 1e20 and asked about (a 400, and
 * 'Experiment 100000000000000000000 could not be loaded: id: must be a whole-number id').
 */
export function fromProblem(fromText: string): string {
  return beyondIds(fromText)
    ? `This address names no experiment to start from: there is no experiment ${fromText.trim()}.`
    : `This address names no experiment to start from: from= takes an experiment's number (#/experiments/new?from=12), got “${fromText}”.`;
}

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
  // The stored names Run again's draft is numbered apart from (see againName): those of its
  // repeats, read once its config has come (every experiment's summary was read, 4 MB at 6,400
  // experiments, for their names). Without them (the read failed), it is named apart from
  // the experiment it repeats only.
  const namesRead = fromReady ? repeatNamesRead(from.data!.config) : null;
  const stored = useCall('experiments.names', namesRead);
  const namesReady = !fromReady || namesRead === null || stored.current || stored.error !== undefined;
  const repeat = fromReady ? againStart(from.data!.config, [from.data!.name, ...(stored.current ? stored.data! : []).map((e) => e.name)]) : undefined;
  const waiting = !catalog.data || (fromId > 0 && ((!fromReady && !from.error) || !namesReady));
  return (
    <div className="new-experiment-screen" data-testid="new-experiment">
      <h1 tabIndex={-1} data-testid="new-experiment-title">
        {fromId > 0 ? `New experiment from #${fromId}` : fromLogs ? 'New experiment on a simulator of your logs' : 'New experiment'}
      </h1>
      {catalog.error && <ErrorLine error={catalog.error} />}
      {badFrom && (
        <p className="error" role="alert" data-testid="bad-from-address">
          {fromProblem(fromText)} The form below starts empty; to start from a stored experiment, use Run again on its row in{' '}
          <a href={href('experiments')}>Experiments</a>.
        </p>
      )}
      {from.error && <ErrorLine error={from.error} prefix={`Experiment ${fromId} could not be loaded: `} />}
      {waiting ? (
        !catalog.error && <p className="muted">Loading…</p>
      ) : (
        <Editor
          key={fromId || (fromLogs ? 'logs' : 'new')}
          catalog={catalog.data!}
          start={repeat ?? initialDraft(catalog.data!)}
          draftKey={fromLogs ? LOGS_DRAFT_KEY : `aisle.draft.${fromId > 0 ? `from-${fromId}` : 'new'}`}
          repeat={fromId > 0}
          presetsOpen={query.get('presets') === 'open'}
        />
      )}
    </div>
  );
}

/**
 * What New experiment reads for Run again's draft of a stored experiment of this config: the names
 * its repeat is numbered apart from (experiments.names with repeatsOf); nothing for one without a
 * name, which the draft keeps unnamed.
 */
export function repeatNamesRead(config: unknown): CommandInput<'experiments.names'> | null {
  // The draft's name as fromExperiment gives it (not cloned here: an inline MDP can be tens of MB).
  const name = isObject(config) ? config.name : undefined;
  return typeof name === 'string' && name.trim() !== '' ? { repeatsOf: name } : null;
}

/** The "Edit as" tabs: the generated form, or the experiment file's JSON. */
const EDIT_AS = ['form', 'json'] as const;

function Editor({ catalog, start, draftKey, presetsOpen, repeat }: { catalog: Catalog; start: Draft; draftKey: string; presetsOpen: boolean; repeat: boolean }) {
  const held = (d: Draft) => filePaths(catalog, d);
  const [restored] = useState(() => savedDraft(draftKey));
  const [draft, setDraft] = useState(restored ?? start);
  /**
   * The JSON view's text as typed there; null while it shows the draft as it is, which is then
   * written out only while the JSON view shows (a form's edit costs no JSON text of it).
   */
  const [restoredJson] = useState(() => {
    // Text that did not parse when the tab was reloaded comes back as typed, with its problem.
    const text = restored ? savedJsonText(draftKey) : null;
    const read = text === null ? null : fromJsonText(text, restored!, held(restored!));
    return text === null || read === null || read.ok ? null : { text, error: read.error };
  });
  const [jsonText, setJsonText] = useState<string | null>(restoredJson?.text ?? null);
  /** The JSON view writes large inline files out in full (else a line says what each one is). */
  const [wholeFiles, setWholeFiles] = useState(false);
  const [jsonError, setJsonError] = useState<string | null>(restoredJson?.error ?? null);
  const [tab, setTab] = useState<'form' | 'json'>(() => (restored && savedTab(draftKey) === 'json' ? 'json' : 'form'));
  const [sweepRows, setSweepRows] = useState<SweepRow[]>(() => savedSweep(draftKey));
  const [search, setSearch] = useState<SweepSearch>(() => savedSearch(draftKey));
  const ranges = useMemo(() => parameterRanges(catalog, draft), [catalog, draft]);
  // A row is checked against the draft's other parameters, but not those other rows set (their combinations are the service's to check).
  const sweptText = sweptPaths(sweepRows, search).join('\n');
  const checks = useMemo(() => parameterChecks(catalog, draft, sweptText === '' ? [] : sweptText.split('\n')), [catalog, draft, sweptText]);
  // Parameters the service refuses together (batchSize above bufferSize), said as typed, next to their field.
  const together = useMemo(() => crossFieldProblems(catalog, draft, sweptText === '' ? [] : sweptText.split('\n')), [catalog, draft, sweptText]);
  const { sweep, rowOf, problems: sweepTyping, paired } = useMemo(() => sweepOf(sweepRows, search, ranges, checks), [sweepRows, search, ranges, checks]);
  const [local, setLocal] = useState<Readonly<Record<string, string>>>({});
  /** Why the form dropped fittedTo, until the draft changes again. */
  const [fitNote, setFitNote] = useState<string | null>(null);
  const [confirmStartOver, setConfirmStartOver] = useState(false);
  const launchBar = useRef<HTMLElement>(null);
  // A control that leaves the page with its click (the JSON banner's buttons) hands focus on to the
  // element with this id once the next render is in place, rather than dropping it to <body>.
  const focusAfterRender = useFocusAfterRender();
  const focusNext = (id: string) => focusAfterRender(() => document.getElementById(id));

  /** From the form (or an import): the JSON view follows; a changed component renames an automatic name. */
  const update = (next: Draft, renamed = false) => {
    const named = renamed && draft.name === autoName(draft) ? { ...next, name: autoName(next) } : next;
    setDraft(named);
    setJsonText(null);
    setJsonError(null);
    setFitNote(null);
  };
  const importer = useImport({
    catalog,
    draft,
    onDraft: (next, renamed, fitDropped) => {
      setLocal({});
      update(next, renamed);
      if (fitDropped !== undefined) setFitNote(fitDropped); // after update, which clears the last one
    },
    onPreset: () => focusNext('f-name'),
    // The sweep rows were the experiment before's: kept, folded under the parameters, they made
    // Launch of a preset launch a sweep of it (or hold it back on rows the preset has no parameter for).
    onExperiment: () => {
      setSweepRows([]);
      setSearch(GRID);
    },
  });
  /** The user's own edit in the form. */
  const edit = (next: Draft, renamed = false) => {
    importer.clearMessages();
    update(next, renamed);
  };
  /** Puts the JSON view back to the draft (the form's last good experiment), dropping text that did not parse. */
  const discardJson = () => {
    setJsonText(null);
    setJsonError(null);
  };
  /** Large files in full, or said in a line: the JSON view shows the draft again, as it now reads. */
  const showWholeFiles = (whole: boolean) => {
    setWholeFiles(whole);
    setJsonText(null);
  };
  const onJson = (text: string) => {
    importer.clearMessages();
    setFitNote(null);
    setJsonText(text);
    const r = fromJsonText(text, draft, held(draft));
    if (r.ok) {
      setDraft(r.draft);
      setJsonError(null);
    } else setJsonError(r.error);
  };

  useFocusClearOfBottomBar(launchBar);

  // The draft's large inline files (an MDP) by their digests, computed once per file: the key costs
  // the small rest of the draft at each edit, and serves the check, Start over and the kept draft.
  const heldNow = heldFiles(draft, held(draft));
  const key = draftKeyText(draft, heldNow);
  const checkKey = checkKeyOf(key, sweep, paired);
  const startKey = useMemo(() => draftKeyText(start, heldFiles(start, held(start))), [start]);
  useKeptDraft(draftKey, key, heldNow, tab, sweepRows, search, jsonError !== null ? jsonText : null);
  const startOver = () => {
    forgetDraft(draftKey);
    setSweepRows([]);
    setSearch(GRID);
    setLocal({});
    importer.forget();
    update(start);
  };
  const validation = useValidation(checkKey, draft, heldNow, sweep, paired);
  const shownJson = useMemo(() => (tab === 'json' && jsonText === null ? toJsonText(draft, held(draft), wholeFiles) : ''), [tab, jsonText, draft, wholeFiles]);

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
  // A row whose values do not read is not sent: its problem is the form's own, first, and stays while
  // the JSON view's text does not parse (the rows are no part of it).
  // The form's own cross-field lines are the service's words: a line both say is shown once.
  const problems = useMemo(
    () => [
      ...new Set([
        ...sweepTyping,
        ...(jsonError === null ? together : []),
        ...(jsonError === null ? (validation?.problems ?? []) : []).map((p) => p.replace(/^sweep\[(\d+)\]: /, (_, i: string) => `sweep[${rowOf[Number(i)] ?? i}]: `)),
      ]),
    ],
    [sweepTyping, together, jsonError, validation, rowOf],
  );
  const placed = useMemo(
    () => placeProblems(problems, [...formFieldPaths(catalog, draft), 'sweep', ...sweepRows.map((_, i) => `sweep[${i}]`)]),
    [problems, catalog, draft, sweepRows],
  );
  // Only those of fields still there, holding the text they were about (liveLocalProblems).
  const live = useMemo(() => liveLocalProblems(local, draft), [local, draft]);
  const byField = useMemo(() => {
    const m = new Map(placed.byField);
    // While a field's text does not parse, the draft still holds its last good value: the
    // service's problems with that value would contradict what the field shows, so only the
    // typing problem is shown there (and counted).
    for (const [path, message] of Object.entries(live)) m.set(path, [message]);
    return m;
  }, [placed, live]);
  // The JSON view has no rows to put the sweep's problems under: each line names its row's parameter instead.
  const jsonProblems = useMemo(() => problems.map((p) => sweepProblemLine(p, sweepRows, sweepParameters(catalog, draft))), [problems, sweepRows, catalog, draft]);
  const swept = sweepSummary(sweepRows, draft, search, byField);
  // Where the JSON view's Edit the sweep leads: the first row with a problem (a row the form refuses is not
  // sent, so it is in no rowOf), else the first row that sweeps.
  const problemRow = sweepRows.findIndex((_, i) => (byField.get(`sweep[${i}]`)?.length ?? 0) > 0);
  const firstSweepRow = problemRow >= 0 ? problemRow : (rowOf[0] ?? 0);
  const hiddenByLocal = Object.keys(live).reduce((n, path) => n + (placed.byField.get(path)?.length ?? 0), 0);
  const blocking = Object.keys(live).length > 0 || jsonError !== null || sweepTyping.length > 0 || together.length > 0;
  const { launching, launchError, waiting, heldFor, pressLaunch } = useLaunch({
    draft,
    sweep,
    paired,
    source: importer.imported.source,
    repeat,
    draftKey,
    checkKey,
    validation,
    blocking,
    focusNext,
  });
  const canLaunch = validation?.ok === true && !blocking && !launching;

  /** The sweep is set in the form's Sweep section only (it is no part of the file): shown again, the section opens by itself, as it holds rows. */
  const editSweep = (row: number) => {
    switchTab('form');
    focusNext(sweepRowFixId(sweepRows, row, sweepParameters(catalog, draft)));
  };
  /**
   * The footer's "N problems to fix": focus goes to the first invalid input in the form (opening the
   * folded group it hides in), else to the JSON view or the list of problems no field claims. On the
   * JSON view, a first problem of the sweep's is fixed in the form, at its row's values (the first
   * row's, for a problem of the whole sweep), or its parameter when the row's is not one the
   * experiment has (sweepRowFixId; in the form that select is the row's invalid input).
   */
  const goToFirstProblem = () => {
    const sweepProblem = tab === 'json' && jsonError === null ? /^sweep(?:\[(\d+)\])?: /.exec(problems[0] ?? '') : null;
    if (sweepProblem) return editSweep(sweepProblem[1] === undefined ? (rowOf[0] ?? 0) : Number(sweepProblem[1]));
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
  // The count only while Launch would launch it: a disabled "Launch 10 runs" reads as a promise. And
  // only for the draft as it is now: while an edit is checked, the last answer's count was another
  // draft's ("Launch 10 runs" over seeds just set to 3), so the label says "Launch" until it is known.
  const runs = current && validation.ok && !blocking ? validation.runs : 0;
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
        <PresetPicker presets={catalog.presets} onPick={(p) => void importer.loadPreset(p)} startOpen={presetsOpen} />
        <ImportButton openPicker={importer.openPicker} fileInput={importer.fileInput} onInputFiles={importer.onInputFiles} />
      </div>
      {importer.imported.note && <p className="muted small" data-testid="import-note">{importer.imported.note}</p>}
      {fitNote !== null && (
        <p className="muted small" role="status" data-testid="fit-note">
          Note: {fitNote}
        </p>
      )}
      {/* A file field's Replace… hears why its file was not read under that field, in the form. */}
      {importer.imported.problems.length > 0 && (importer.imported.field === undefined || tab === 'json') && (
        <div className="error" role="alert" data-testid="import-problems">
          {importer.imported.problems.join('\n')}
        </div>
      )}

      <div {...tabs.panel}>
        {tab === 'form' ? (
          <>
            {jsonError !== null && (
              <JsonPending
                error={jsonError}
                onBack={() => {
                  switchTab('json');
                  focusNext('json-view');
                }}
                onDiscard={() => {
                  discardJson();
                  focusNext('f-name');
                }}
              />
            )}
            <ExperimentForm
              catalog={catalog}
              draft={draft}
              onDraft={edit}
              problems={byField}
              onLocalProblem={onLocalProblem}
              onImport={importer.openPicker}
              {...(importer.imported.field !== undefined ? { fileProblems: { field: importer.imported.field, problems: importer.imported.problems } } : {})}
            />
            <SweepSection catalog={catalog} draft={draft} rows={sweepRows} onRows={setSweepRows} search={search} onSearch={setSearch} problems={byField} />
          </>
        ) : (
          <JsonView
            text={jsonText ?? shownJson}
            error={jsonError}
            onText={onJson}
            heldFiles={heldNow.map((h) => h.file)}
            wholeFiles={wholeFiles}
            onWholeFiles={showWholeFiles}
            sweep={swept}
            onEditSweep={() => editSweep(firstSweepRow)}
          />
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
            {launching ? 'Launching…' : runs > 0 ? `Launch ${counted(runs, 'run')}` : 'Launch'}
          </button>
          <ValidationState
            checking={current ? null : waiting ? 'Checking… Launch follows if nothing new comes up.' : 'Checking…'}
            sayChecking={waiting}
            ready={
              !current || !validation.ok || blocking
                ? null
                : validation.experiments !== undefined
                  ? `Ready: ${plural(validation.experiments, 'experiment')}, ${counted(runs, 'run')}`
                  : `Ready: ${fmt(runs)} × ${counted(validation.episodes, 'episode')}`
            }
            problems={problemCount(problems.length - hiddenByLocal + Object.keys(live).length + (jsonError ? 1 : 0))}
            onGoToProblem={goToFirstProblem}
          />
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
