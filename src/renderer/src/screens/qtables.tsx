/**
 * Q-tables: two Q-tables side by side — two runs, or two checkpoints of one run — with their
 * difference (B − A), how often their greedy actions agree, and the states where they do not.
 * A scrubber per side walks through a run's checkpoints to watch it learn. The selection lives in
 * the URL: `a`, `b` (omitted: the same run as A), `ca`, `cb` (omitted: the final checkpoint).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CheckpointSummary, QTable, RunDetail, RunSummary } from '../../../shared/dto';
import { errorText } from '../api';
import { RUN_CHANGES, useFollowedRead } from '../followed-read';
import type { CommandInput } from '../../../shared/contract';
import { Heatmap, HeatLegend, scaleOf, ScrollGroup, type HeatScale } from '../components/heatmap';
import { agreementPercent, compareTables, greedyAction, tableNeverUpdated, untouchedText } from '../components/qtable-compare';
import { neverUpdatedText } from '../../../engine/policy/format';
import { DifferingStates } from '../components/qtable-differing';
import { discountNote, tableScales } from '../components/qtable-scales';
import { NewestRunsNote, RunNumberInput } from '../components/run-number-input';
import { fmt } from '../format';
import { plural, runPickerLabel, tableSizeText } from '../../../shared/text';
import { href } from '../router';
import { liveQuery, queryId, writeQuery, type IdKey } from '../url-state';
import { UnreadAddress } from '../components/unread-address';
import { useRunRead, useStoredRun } from '../stored-runs';

// In the shared module, with the comparison it words (`aisle qtable diff` says it too); exported here as before.
export { untouchedText };

function byEpisode(checkpoints: readonly CheckpointSummary[]): CheckpointSummary[] {
  return [...checkpoints].sort((x, y) => x.episode - y.episode || x.id - y.id);
}

interface SideProps {
  readonly side: 'A' | 'B';
  readonly runId: number | undefined;
  readonly checkpointId: number | undefined;
  readonly runs: readonly RunSummary[];
  readonly table: QTable | undefined;
  readonly sameAsA?: boolean;
  readonly onRun: (runId: number | null) => void;
  readonly onCheckpoint: (checkpointId: number) => void;
}

export function Side({ side, runId, checkpointId, runs, table, sameAsA, onRun, onCheckpoint }: SideProps) {
  const checkpoints = useMemo(() => (table && table.runId === runId ? byEpisode(table.checkpoints) : []), [table, runId]);
  const index = checkpointId === undefined ? checkpoints.length - 1 : checkpoints.findIndex((c) => c.id === checkpointId);
  const current = checkpoints[index];
  const [playing, setPlaying] = useState(false);
  const step = useRef(onCheckpoint);
  step.current = onCheckpoint;
  useEffect(() => {
    if (!playing) return;
    if (index >= checkpoints.length - 1) {
      setPlaying(false);
      return;
    }
    const t = setTimeout(() => step.current(checkpoints[index + 1]!.id), 700);
    return () => clearTimeout(t);
  }, [playing, index, checkpoints]);
  const chosen = sameAsA ? undefined : runs.find((r) => r.id === runId);
  const listed = runId === undefined || runs.some((r) => r.id === runId);
  const id = `qt-${side}`;
  return (
    <fieldset className="qt-side" data-testid={`qt-side-${side}`}>
      <legend>{side}</legend>
      <label htmlFor={`${id}-run`}>Run</label>
      <select id={`${id}-run`} value={sameAsA ? '' : (runId ?? '')} onChange={(e) => onRun(e.target.value ? Number(e.target.value) : null)} title={chosen ? runPickerLabel(chosen, Infinity) : undefined} data-testid={`${id}-run`}>
        {side === 'B' ? <option value="">same run as A</option> : <option value="">pick a run…</option>}
        {!listed && runId !== undefined && <option value={runId}>run {runId}</option>}
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            {runPickerLabel(r)}
          </option>
        ))}
      </select>
      {/* Half the width, the select shows a run's number and score and cuts the rest: the experiment (a sweep's settings
          at its end), agent and seed stand whole under it, wrapping, so the runs picked can be told apart at a glance. */}
      {chosen && (
        <p className="small muted qt-run-name" data-testid={`${id}-run-name`}>
          {chosen.experimentName} · {chosen.agentId} · seed {chosen.seed}
        </p>
      )}
      <RunNumberInput onRun={onRun} testId={`${id}-run-number`} />
      <div className="row scrubber">
        <label htmlFor={`${id}-checkpoint`}>Checkpoint</label>
        <input
          id={`${id}-checkpoint`}
          type="range"
          min={0}
          max={Math.max(0, checkpoints.length - 1)}
          step={1}
          value={Math.max(0, index)}
          disabled={checkpoints.length < 2}
          onChange={(e) => onCheckpoint(checkpoints[Number(e.target.value)]!.id)}
          aria-valuetext={current ? afterEpisodes(current.episode) : undefined}
          data-testid={`${id}-scrubber`}
        />
        <button
          type="button"
          onClick={() => {
            if (!playing && index >= checkpoints.length - 1 && checkpoints[0]) onCheckpoint(checkpoints[0].id);
            setPlaying(!playing);
          }}
          disabled={checkpoints.length < 2}
          aria-label={playing ? `Pause ${side}` : `Play ${side} through its checkpoints`}
        >
          {playing ? '❚❚' : '▶'}
        </button>
        <span className="small" data-testid={`${id}-episode`} data-episode={current?.episode}>
          {current ? `${afterEpisodes(current.episode)} · ${index + 1} of ${checkpoints.length}` : '–'}
        </span>
      </div>
    </fieldset>
  );
}

/** A side's run that is not stored: a number that is no run, or (`deleted`) one deleted while the screen was open. */
function MissingRun({ side, runId, deleted }: { side: 'A' | 'B'; runId: number; deleted: boolean }) {
  return (
    <p className="error" role="alert" data-testid={`qt-${side}-missing`}>
      {side}: {deleted ? <>run {runId} was deleted while this page was open (in another window, or with <code>aisle delete</code>)</> : `there is no run ${runId}`}: pick a run
      from the list, or type another run’s number (the <a href={href('runs')}>Runs</a> screen lists the runs there are).
    </p>
  );
}

/**
 * When a checkpoint was taken, as a count: the store keeps the 0-based index of the episode it
 * followed, and "episode 2,999" read as one short of a 3,000-episode run's end.
 */
function afterEpisodes(episode: number): string {
  return `after ${plural(episode + 1, 'episode', (episode + 1).toLocaleString('en-US'))}`;
}

/**
 * Finds a state by its name in A's table (a shop's "seg3/c7/e2/f1" among 529): the first whose
 * label holds the text typed, then the next at each Find; the heatmaps scroll to it.
 */
export function StateFinder({ states, onFound }: { states: readonly string[]; onFound: (row: number) => void }) {
  const [text, setText] = useState('');
  const [said, setSaid] = useState<{ text: string; bad: boolean } | null>(null);
  const last = useRef(-1);
  const find = () => {
    const wanted = text.trim().toLowerCase();
    if (!wanted) return;
    const matches: number[] = [];
    states.forEach((label, i) => {
      if (label.toLowerCase().includes(wanted)) matches.push(i);
    });
    if (matches.length === 0) {
      setSaid({ text: `no state's name holds “${text.trim()}”`, bad: true });
      return;
    }
    const next = matches.find((i) => i > last.current) ?? matches[0]!;
    last.current = next;
    setSaid({ text: `state ${states[next]}${matches.length > 1 ? `: ${matches.indexOf(next) + 1} of ${matches.length} matches (Find again for the next)` : ''}`, bad: false });
    onFound(next);
  };
  return (
    <form
      className="row controls qt-find"
      onSubmit={(e) => {
        e.preventDefault();
        find();
      }}
    >
      <label>
        Find state <input value={text} onChange={(e) => ((last.current = -1), setText(e.target.value))} placeholder="part of its name" size={18} data-testid="qt-find" />
      </label>
      <button type="submit" disabled={!text.trim()}>
        Find
      </button>
      {/* There before the first answer (a status that comes with its text is not reliably read): focus stays in the box, and this says what Find found. */}
      <span className={said?.bad ? 'error small' : 'muted small'} role="status" data-testid="qt-find-result">
        {said?.text}
      </span>
    </form>
  );
}

/**
 * A side's caption: its run, episode and size, and how many of its states training never updated.
 * Those rows (every action at one value: a state training did not reach) have no greedy action to
 * mark (NO_GREEDY: argmax's first column would read as a choice). They are counted as the export
 * counts them, terminal states left out (tableNeverUpdated), and said in its words.
 */
export function TableCaption({ side, table }: { side: 'A' | 'B'; table: QTable }) {
  const never = useMemo(() => tableNeverUpdated(table), [table]);
  return (
    <figcaption>
      {side} · run {table.runId} · {afterEpisodes(table.episode)} <span className="muted">({tableSizeText(table.states.length, table.actions.length)})</span>
      {never.states > 0 && (
        <>
          <br />
          <span className="muted small" data-testid={`qt-untouched-${side.toLowerCase()}`}>
            {neverUpdatedText(never)}: no greedy action marked
          </span>
        </>
      )}
    </figcaption>
  );
}

/** One side's Q-table as a heatmap, under its caption. */
function TableFigure({ side, table, scale, marks, flagged, scrollGroup, jumpTo }: { side: 'A' | 'B'; table: QTable; scale: HeatScale; marks: readonly number[]; flagged: ReadonlySet<number>; scrollGroup?: ScrollGroup; jumpTo?: { row: number; key: number } }) {
  return (
    <figure>
      <TableCaption side={side} table={table} />
      <Heatmap
        rows={table.states}
        cols={table.actions}
        values={table.q}
        scale={scale}
        marks={marks}
        flagged={flagged}
        label={`Q-table ${side}, run ${table.runId} ${afterEpisodes(table.episode)}`}
        testId={`qt-heatmap-${side.toLowerCase()}`}
        {...(scrollGroup ? { scrollGroup } : {})}
        {...(jumpTo ? { jumpTo } : {})}
      />
    </figure>
  );
}

/**
 * Whether a shown run's table is read again as the pickers' list changes: it left the list (deleted
 * in another window, or by the CLI: the read says it is gone, rather than the screen go on showing
 * what no longer exists), or came into it (picked by its number while it trained, it has finished:
 * the read gives its final table and all its checkpoints, where the one shown was the checkpoint
 * of when it was picked). Only on such a move: a run never listed (still training) is not read
 * again at every change, and the first list (`before` null) moves none.
 */
export function movedInList(before: ReadonlySet<number> | null, listed: ReadonlySet<number>, runId: number | undefined): boolean {
  return runId !== undefined && before !== null && before.has(runId) !== listed.has(runId);
}

/**
 * Whether a side reads its run's Q-table, or why not. The pickers' list holds only runs that stored
 * one, so a run in it is read at once; a run it does not list (a DQN run on feature vectors, a
 * baseline's, one still training or older than the newest 500) is asked about with runs.get first:
 * its `noQTable` says why it has none, and the screen says that rather than read a table that is not
 * there (the read's 404 was a failed request in the browser's console). `listed` is undefined until
 * the list answers, null when it failed (then the table is read, as it says what is wrong). A run
 * whose details cannot be read is not read either: that failure is said instead; one whose details
 * answer that it is gone (deleted meanwhile: see useRunRead) waits, and its side says it was deleted.
 */
export function tableRead(
  runId: number | undefined,
  readable: boolean,
  listed: ReadonlySet<number> | null | undefined,
  detail: { readonly data?: { readonly id: number; readonly noQTable?: string }; readonly error?: unknown },
): { read: boolean; none?: string; detailFailed?: boolean; needsDetail: boolean } {
  if (runId === undefined || !readable) return { read: false, needsDetail: false };
  if (listed === null || listed?.has(runId)) return { read: true, needsDetail: false };
  if (listed === undefined) return { read: false, needsDetail: false };
  if (detail.error !== undefined) return { read: false, detailFailed: true, needsDetail: true };
  if (detail.data?.id !== runId) return { read: false, needsDetail: true };
  return detail.data.noQTable !== undefined ? { read: false, none: detail.data.noQTable, needsDetail: true } : { read: true, needsDetail: true };
}

/**
 * What a side reads for the address's checkpoint (`ca`, `cb`) of its run. A checkpoint is read once
 * it is known to be one of its run's: in the checkpoints of a table of that run already read, or of
 * its details (runs.get). A number among none of them (ca=9999, another run's checkpoint) is
 * `unknown`: the side shows its run's final table instead, and the address line names the number;
 * read at once, it answered 404, a failed request in the browser's console, and the side showed
 * nothing. With no list yet the side waits: for the other side's read of the same run's final table
 * when there is one (`otherReadsFinal`), else for its run's details (`needsDetail`). When those
 * failed, the checkpoint is read, and its read says what is wrong.
 */
export function checkpointRead(
  checkpointId: number | undefined,
  lists: readonly (readonly Pick<CheckpointSummary, 'id'>[])[],
  otherReadsFinal: boolean,
  detailFailed: boolean,
): { checkpointId?: number; wait: boolean; needsDetail: boolean; unknown: boolean; known?: number[] } {
  if (checkpointId === undefined) return { wait: false, needsDetail: false, unknown: false };
  if (lists.length === 0) {
    return detailFailed ? { checkpointId, wait: false, needsDetail: true, unknown: false } : { wait: true, needsDetail: !otherReadsFinal, unknown: false };
  }
  const known = [...new Set(lists.flatMap((list) => list.map((c) => c.id)))];
  return known.includes(checkpointId) ? { checkpointId, wait: false, needsDetail: false, unknown: false, known } : { wait: false, needsDetail: false, unknown: true, known };
}

/** The runs the pickers list: only runs that stored a Q-table, not a network agent's on feature vectors, a baseline's, or a run stopped before its first checkpoint. */
export const QTABLE_RUNS: CommandInput<'runs.list'> = { status: ['completed', 'cancelled', 'interrupted', 'paused'], stored: 'qtable', limit: 500 };

/**
 * The address's ids, for the line that names those it does not read, with what each side shows in
 * their place: a checkpoint left out is its run's final table (ca=abc said only that abc is no
 * number), a run B left out is A's run. Said only where the side has a run to show.
 */
const NO_RUN = (side: 'A' | 'B') => `${side} has no run to take a checkpoint of: pick run ${side} first`;

export function qtablesIdKeys(query: URLSearchParams, checkpoints: { readonly A?: readonly number[]; readonly B?: readonly number[] } = {}): Readonly<Record<string, IdKey>> {
  const a = queryId(query, 'a');
  const runB = queryId(query, 'b') ?? a;
  return {
    a: { noun: 'run' },
    b: { noun: 'run', ...(a === undefined ? {} : { instead: `B shows run ${a} (A's) instead` }) },
    // A checkpoint with no run on its side (ca=5 alone) was dropped unsaid: nothing to take it of.
    ca: { noun: 'checkpoint', ...(a === undefined ? { unused: NO_RUN('A') } : { instead: `A shows run ${a}'s final table instead`, ...(checkpoints.A ? { known: { ids: checkpoints.A, of: `run ${a}` } } : {}) }) },
    cb: { noun: 'checkpoint', ...(runB === undefined ? { unused: NO_RUN('B') } : { instead: `B shows run ${runB}'s final table instead`, ...(checkpoints.B ? { known: { ids: checkpoints.B, of: `run ${runB}` } } : {}) }) },
  };
}

/**
 * One run and nothing else chosen: its first checkpoint is picked as A (written as `ca`). Not over a
 * `ca` the address holds but does not read (ca=abc, a huge one): that stays, named (UnreadAddress),
 * and A is the final table, as with no `ca`; picked, it replaced it and the line only flashed.
 */
export function picksFirstCheckpoint(query: URLSearchParams): boolean {
  const ca = query.get('ca');
  return queryId(query, 'a') !== undefined && ['b', 'ca', 'cb'].every((k) => queryId(query, k) === undefined) && (ca === null || ca === '');
}

export function QTablesScreen({ query }: { query: URLSearchParams }) {
  const a = queryId(query, 'a');
  const b = queryId(query, 'b');
  const ca = queryId(query, 'ca');
  const cb = queryId(query, 'cb');
  // A and B's heatmaps and their difference scroll together when they are one grid (see ScrollGroup).
  const scrollGroup = useMemo(() => new ScrollGroup(), []);
  // A state found by name (StateFinder): A's heatmap scrolls to it, B's and the difference with it when they are one grid.
  const [jump, setJump] = useState<{ row: number; key: number }>();
  const runB = b ?? a;

  // Runs end, are deleted or imported while the screen is open (another window, the CLI): the
  // pickers follow at each push, as the Experiments list does, never showing a read asked before
  // one (useFollowedRead). The runs chosen stay in the address; one deleted meanwhile is read again
  // below, which says it is gone.
  const runs = useFollowedRead('runs.list', QTABLE_RUNS, RUN_CHANGES);
  // One run and nothing else chosen: B, its final table, is read first, and its list of
  // checkpoints names A, the first (see below); until then A is B. (Reading A's final table too,
  // then its first checkpoint, read a large table three times.)
  const pickingFirst = picksFirstCheckpoint(query);
  // A run number that is no run (in the address, or typed) is asked about first and said below, not
  // read; each side on its own, so that picking B does not ask about A, and read its table, again.
  const storedA = useStoredRun(a);
  const storedB = useStoredRun(runB);
  // A run the pickers do not list is asked about first: it may have no Q-table (see tableRead).
  const listed = useMemo(() => (runs.error ? null : runs.data ? new Set(runs.data.runs.map((r) => r.id)) : undefined), [runs.data, runs.error]);
  // A shown run that leaves the list may have been deleted: its reads ask onlyStored, and answer that
  // it is gone (said below) rather than 404, so they need no question about it first (see movedInList).
  const readableA = storedA.readable;
  const readableB = storedB.readable;
  const noDetail = { data: undefined, error: undefined };
  // Two runs: their environments' fingerprints decide whether one colour scale serves both tables.
  const twoRuns = a !== undefined && runB !== undefined && runB !== a;
  // The checkpoints of each run whose table was read here (an answer lists them all), and of the
  // runs' details, for the address's ca and cb: one not among its run's is not read (checkpointRead).
  const [tableLists, setTableLists] = useState<ReadonlyMap<number, readonly CheckpointSummary[]>>(new Map());
  const listsOf = (run: number | undefined, details: readonly (RunDetail | undefined)[]) => [
    ...(run !== undefined && tableLists.has(run) ? [tableLists.get(run)!] : []),
    ...details.filter((d) => d !== undefined && d.id === run).map((d) => d!.checkpoints.filter((c) => c.kind === 'qtable')),
  ];
  // The other side reads the same run's final table: its list comes with it.
  const finalOnB = runB === a && cb === undefined;
  const finalOnA = runB === a && ca === undefined && !pickingFirst;
  const detailForA = checkpointRead(ca, listsOf(a, []), finalOnB, false).needsDetail;
  const detailForB = checkpointRead(cb, listsOf(runB, []), finalOnA, false).needsDetail;
  // One run on both sides is asked about once, as B.
  const detailA = useRunRead('runs.get', (twoRuns || (runB !== a && (tableRead(a, readableA, listed, noDetail).needsDetail || detailForA))) && readableA ? { id: a! } : null);
  const detailB = useRunRead('runs.get', (twoRuns || tableRead(runB, readableB, listed, noDetail).needsDetail || detailForB || (runB === a && detailForA)) && readableB ? { id: runB! } : null);
  const readB = tableRead(runB, readableB, listed, detailB);
  const readA = runB === a ? readB : tableRead(a, readableA, listed, detailA);
  const details = [detailA.data, detailB.data];
  const shownA = checkpointRead(ca, listsOf(a, details), finalOnB, (runB === a ? detailB : detailA).error !== undefined);
  const shownB = checkpointRead(cb, listsOf(runB, details), finalOnA, detailB.error !== undefined);
  // Each read asks onlyStored: one under way when its run is deleted answers that the run is gone
  // (`gone`, said below as a deletion) rather than 404, a failed resource in the browser mode's console.
  const qaOwn = useRunRead('qtables.get', a !== undefined && readA.read && !pickingFirst && !shownA.wait ? { runId: a, ...(shownA.checkpointId ? { checkpointId: shownA.checkpointId } : {}) } : null);
  const qb = useRunRead('qtables.get', runB !== undefined && readB.read && !shownB.wait ? { runId: runB, ...(shownB.checkpointId ? { checkpointId: shownB.checkpointId } : {}) } : null);
  const qa = pickingFirst ? qb : qaOwn;
  // A run whose read found it gone: its side says it was deleted, as runs.stored's answer would.
  const gone = new Set([qaOwn.gone, qb.gone, detailA.gone, detailB.gone]);
  const goneA = a !== undefined && gone.has(a);
  const goneB = runB !== undefined && gone.has(runB);
  useEffect(() => {
    setTableLists((was) => {
      const fresh = [qaOwn.data, qb.data].filter((t) => t !== undefined && was.get(t.runId) !== t.checkpoints);
      return fresh.length === 0 ? was : new Map([...was, ...fresh.map((t) => [t!.runId, t!.checkpoints] as const)]);
    });
  }, [qaOwn.data, qb.data]);

  const tableRuns = runs.data?.runs ?? [];

  // One run and nothing else chosen: show how it learned, first checkpoint against the final one.
  useEffect(() => {
    if (!pickingFirst || a === undefined || qb.data?.runId !== a || qb.data.checkpoints.length < 2) return;
    // The live address, not this render's: B picked between the table's arrival and this effect
    // would otherwise get A's first checkpoint against B's final table.
    const live = liveQuery();
    if (queryId(live, 'a') !== a || !picksFirstCheckpoint(live)) return;
    writeQuery({ ca: byEpisode(qb.data.checkpoints)[0]!.id }, 'replace', 'qtables');
  }, [pickingFirst, a, qb.data]);

  // A shown run that leaves the list or comes into it has its table read again (see movedInList).
  // One that left it may have been deleted (another window, `aisle delete`): the read, asked
  // onlyStored, answers that it is gone, and its side says so; still stored (resumed), it is read as
  // before. A side whose details were not read yet reads them first (tableRead: no longer listed),
  // its table's read waiting: that refresh then asks nothing.
  const listedBefore = useRef<ReadonlySet<number> | null>(null);
  useEffect(() => {
    if (!runs.data) return;
    const listed = new Set(runs.data.runs.map((r) => r.id));
    if (movedInList(listedBefore.current, listed, a) && !pickingFirst) qaOwn.refresh();
    if (movedInList(listedBefore.current, listed, runB)) qb.refresh();
    listedBefore.current = listed;
  }, [runs.data]);

  // A table whose last read failed (its run deleted) is not shown under the error.
  // Nor one no longer read (a run deleted, once its details say so; see tableRead).
  const tableA = qa.data && qa.data.runId === a && !qa.error && readA.read ? qa.data : undefined;
  const tableB = qb.data && qb.data.runId === runB && !qb.error && readB.read ? qb.data : undefined;
  const envA = detailA.data && detailA.data.id === a ? detailA.data.fingerprint : undefined;
  const envB = detailB.data && detailB.data.id === runB ? detailB.data.fingerprint : undefined;
  // Two runs of different environments are not diffed, even where their tables have one shape.
  const cmp = useMemo(() => (tableA && tableB ? compareTables(tableA, tableB, twoRuns ? envA?.id : undefined, twoRuns ? envB?.id : undefined) : undefined), [tableA, tableB, twoRuns, envA, envB]);
  // Until both fingerprints are in (or one failed), the tables wait rather than flash the wrong scale.
  const envsKnown = !twoRuns || ((envA !== undefined || detailA.error !== undefined) && (envB !== undefined || detailB.error !== undefined));
  const scales = useMemo(() => (tableA && tableB ? tableScales(tableA, tableB, envA, envB) : undefined), [tableA, tableB, envA, envB]);
  const gammaNote = twoRuns && detailA.data?.id === a && detailB.data?.id === runB ? discountNote(detailA.data.config.agent.gamma, detailB.data.config.agent.gamma) : undefined;
  const diffScale = useMemo(() => (cmp && typeof cmp !== 'string' ? scaleOf('diverging', [cmp.diff]) : undefined), [cmp]);
  const flagged = useMemo(() => new Set(cmp && typeof cmp !== 'string' ? cmp.differing : []), [cmp]);

  return (
    <div className="qtables" data-testid="qtables-screen">
      <div className="row">
        <h1>Q-tables</h1>
        <span className="spacer" />
        {(qa.loading || qb.loading || detailA.loading || detailB.loading) && <span className="muted small">Loading…</span>}
      </div>
      <UnreadAddress query={query} keys={qtablesIdKeys(query, { A: shownA.known, B: shownB.known })} />
      <section className="panel">
        {runs.error && <p className="error">{errorText(runs.error)}</p>}
        {runs.data && <NewestRunsNote shown={runs.data.runs.length} total={runs.data.total} />}
        {runs.data && tableRuns.length === 0 && !a && (
          <p className="empty">
            No finished runs of a tabular agent yet: <a href={href('experiments', 'new')}>launch an experiment</a> with Q-learning or SARSA, then compare
            its tables here.
          </p>
        )}
        <div className="grid2">
          <Side
            side="A"
            runId={a}
            checkpointId={shownA.checkpointId}
            runs={tableRuns}
            table={qa.data}
            onRun={(id) => writeQuery({ a: id, ca: null, cb: b ? cb : null }, 'push')}
            onCheckpoint={(id) => writeQuery({ ca: id })}
          />
          <Side
            side="B"
            runId={runB}
            checkpointId={shownB.checkpointId}
            runs={tableRuns}
            table={qb.data}
            sameAsA={!b}
            // Leaving the one-run view (first checkpoint against the final one) for two runs:
            // A goes back to its final table too, so both sides are what the runs learned.
            onRun={(id) => writeQuery({ b: id, cb: null, ...(b ? {} : { ca: null }) }, 'push')}
            onCheckpoint={(id) => writeQuery({ cb: id })}
          />
        </div>
        {/* Missing, or found gone, where an answer here said it was stored: deleted while the screen was open. */}
        {a !== undefined && (storedA.missing || goneA) && <MissingRun side="A" runId={a} deleted={storedA.seen} />}
        {runB !== undefined && (storedB.missing || goneB) && runB !== a && <MissingRun side="B" runId={runB} deleted={storedB.seen} />}
        {qa.error && <p className="error" role="alert">A: {errorText(qa.error)}</p>}
        {qb.error && runB !== a && <p className="error" role="alert">B: {errorText(qb.error)}</p>}
        {/* A run without a Q-table (a network's, a baseline's) is a state of the run, not a failure: said, not read. */}
        {readA.none !== undefined && (
          <p className="empty" data-testid="qt-A-none">
            A: {readA.none}.
          </p>
        )}
        {readB.none !== undefined && runB !== a && (
          <p className="empty" data-testid="qt-B-none">
            B: {readB.none}.
          </p>
        )}
        {readA.detailFailed && <p className="error" role="alert">A: {errorText((runB === a ? detailB : detailA).error)}</p>}
        {readB.detailFailed && runB !== a && <p className="error" role="alert">B: {errorText(detailB.error)}</p>}
      </section>

      {!a ? (
        <p className="empty" data-testid="qtables-empty">
          Pick run A (and run B, or a second checkpoint of the same run) to see their Q-tables side by side, their difference and where their greedy
          actions disagree.
        </p>
      ) : (
        tableA &&
        tableB &&
        scales &&
        envsKnown && (
          <>
            <section className="panel">
              {typeof cmp === 'string' ? (
                <p className="error">{cmp}</p>
              ) : (
                cmp && (
                  <div className="row qt-stats">
                    <span data-testid="qt-agreement-text">
                      {cmp.agreement === null ? (
                        <>No state has a greedy action in both tables</>
                      ) : (
                        <>
                          Greedy actions agree in{' '}
                          <strong data-testid="qt-agreement" data-value={cmp.agreement}>
                            {agreementPercent(cmp)} %
                          </strong>{' '}
                          of the states where both tables have one ({(cmp.comparable - cmp.differing.length).toLocaleString('en-US')} of{' '}
                          {cmp.comparable.toLocaleString('en-US')})
                        </>
                      )}
                      {(cmp.untouchedA.states > 0 || cmp.untouchedB.states > 0) && (
                        <span className="muted" data-testid="qt-untouched">
                          ; {untouchedText(cmp)}: no greedy action to compare
                        </span>
                      )}
                    </span>
                    <span className="muted">largest |B − A|: {fmt(cmp.maxAbsDiff)}</span>
                  </div>
                )
              )}
              {tableA.states.length > 20 && <StateFinder states={tableA.states} onFound={(row) => setJump({ row, key: (jump?.key ?? 0) + 1 })} />}
              <div className="heatmaps">
                {/* Tables of one grid (compared: same states and actions) scroll together, the difference with them. */}
                <TableFigure side="A" table={tableA} scale={scales.a} marks={cmp && typeof cmp !== 'string' ? cmp.greedyA : tableA.q.map((row) => greedyAction(row, tableA.initialQ))} flagged={flagged} {...(cmp && typeof cmp !== 'string' ? { scrollGroup } : {})} {...(jump ? { jumpTo: jump } : {})} />
                <TableFigure side="B" table={tableB} scale={scales.b} marks={cmp && typeof cmp !== 'string' ? cmp.greedyB : tableB.q.map((row) => greedyAction(row, tableB.initialQ))} flagged={flagged} {...(cmp && typeof cmp !== 'string' ? { scrollGroup } : {})} />
                {cmp && typeof cmp !== 'string' && diffScale && (
                  <figure>
                    <figcaption>Difference B − A</figcaption>
                    <Heatmap rows={tableA.states} cols={tableA.actions} values={cmp.diff} scale={diffScale} flagged={flagged} label="Difference B − A" testId="qt-heatmap-diff" scrollGroup={scrollGroup} />
                  </figure>
                )}
              </div>
              <div className="row heat-legends">
                {scales.shared ? (
                  <HeatLegend scale={scales.a} caption="Q of A and B (one scale)" testId="qt-legend-ab" />
                ) : (
                  <>
                    <HeatLegend scale={scales.a} caption="Q of A (own scale)" testId="qt-legend-a" />
                    <HeatLegend scale={scales.b} caption="Q of B (own scale)" testId="qt-legend-b" />
                  </>
                )}
                {diffScale && <HeatLegend scale={diffScale} caption="B − A" testId="qt-legend-diff" />}
                {/* Tables of other shapes are not compared: no red bar is drawn, nor any γ to reconcile. */}
                <span className="small muted" data-testid="qt-marks-legend">
                  ● greedy action{typeof cmp === 'string' ? '' : ' · red bar: greedy actions differ'}
                </span>
              </div>
              <p className="small muted qt-scale-note" data-testid="qt-scale" data-shared={scales.shared}>
                {scales.shared
                  ? `One colour scale for A and B, as they are ${scales.reason}: the same colour is the same value in both.`
                  : `A colour scale each, as they are ${scales.reason}: the same colour in A and B can be different values${diffScale ? ' (the difference B − A compares them)' : ''}.`}
              </p>
              {gammaNote && typeof cmp !== 'string' && (
                <p className="small muted" data-testid="qt-gamma">
                  {gammaNote}
                </p>
              )}
            </section>
            {cmp && typeof cmp !== 'string' && (
              <section className="panel">
                <h2>States where the greedy actions differ ({cmp.differing.length.toLocaleString('en-US')})</h2>
                <DifferingStates a={tableA} b={tableB} cmp={cmp} {...(jump ? { jumpTo: jump } : {})} />
              </section>
            )}
          </>
        )
      )}
    </div>
  );
}
