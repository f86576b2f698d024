/**
 * Compare's selection: whole experiments (checkboxes) and single runs (ids, usually arriving in the
 * URL from the Runs screen). The screen keeps both in the URL; this only reports changes, as
 * updates of the selection current when they apply: two clicks in quick succession both land, the
 * second before the first has come back as props.
 */
import { useEffect, useRef, useState } from 'react';
import type { CommandInput } from '../../../shared/contract';
import type { ExperimentPage, ExperimentSummary } from '../../../shared/dto';
import { EXPERIMENTS_PAGE_SIZE, noExperimentMatches, pageCount, runCount, searchSent } from './experiments-query';
import { Pager } from './pager';
import { FILTER_PAUSE_MS } from './runs-filters';
import { missingRunsText, noEpisodesText, parseRunIds } from './run-ids';
import { middleCut, plural } from '../../../shared/text';
import { COMPARE_NAME } from '../../../shared/compare-text';
import { errorText, useClient } from '../api';
import { useFollowedExperimentPage } from '../experiments-follow';
import type { FreshAnswer } from '../fresh-read';
import { href } from '../router';
import { fmt, when } from '../format';
import { focusIsLost } from '../focus';

export interface ComparePickerProps {
  /** The list's page of experiments, its filter and page (usePickerList). */
  readonly list: PickerList;
  /** The chosen experiments, read by their ids (their chips' names): undefined before the first answer. */
  readonly chosen: readonly ExperimentSummary[] | undefined;
  /** Chosen experiments that are not stored (deleted since, or typed): left out of the comparison, each said in its chip. */
  readonly missingExperimentIds?: readonly number[];
  /** The experiments could not be fetched (the screen says why), so they are not "loading". */
  readonly failed: boolean;
  readonly experimentIds: readonly number[];
  readonly runIds: readonly number[];
  /** Picked runs that are not stored (deleted since, or typed): left out of the comparison, each said in its chip. */
  readonly missingRunIds?: readonly number[];
  readonly onChange: (update: (current: Selection) => Selection) => void;
}

export interface Selection {
  readonly experimentIds: readonly number[];
  readonly runIds: readonly number[];
}

/**
 * The pushes the list's page follows: a run's status reads its experiment's row again when it is on
 * the page (its runs done), an experiment launched, renamed or deleted the page (followExperimentPage).
 */
export const PICKER_CHANGES = ['run.status', 'experiments.changed'] as const;

/**
 * The page of experiments the list reads: those the filter finds (experiments.page's search, as the
 * Experiments screen's), newest first, a hundred from the page's first. Every experiment was read
 * (3.9 MB at 6,400 of them) and filtered and paged here; every one drew a row before that.
 */
export function pickerInput(filter: string, page: number): CommandInput<'experiments.page'> {
  return { ...(filter.trim() !== '' ? { search: searchSent(filter).search } : {}), sort: 'id', descending: true, offset: (page - 1) * EXPERIMENTS_PAGE_SIZE, limit: EXPERIMENTS_PAGE_SIZE };
}

/** The list's page as read, and its filter and page. */
export interface PickerList {
  /** The last page read: while another filter's or page's loads, the one before (`current` false). */
  readonly answer: FreshAnswer<ExperimentPage> & { readonly current: boolean };
  /** The page the answer shown is (from 1). */
  readonly shown: number;
  /** The text in the filter box, and the one the list was read for (the text once typing paused). */
  readonly filter: string;
  readonly searched: string;
  readonly setFilter: (text: string) => void;
  readonly setPage: (page: number) => void;
}

/**
 * The list's page, read for its filter (once typing pauses) and page and kept up with pushes
 * (PICKER_CHANGES). Past a page of experiments stored the list has a filter and pages; at a page or
 * fewer (deleted since), every one shows, unfiltered. A page past the end (deleted since) reads the last.
 */
export function usePickerList(): PickerList {
  const [filter, setFilterText] = useState('');
  const [searched, setSearched] = useState('');
  const [page, setPage] = useState(1);
  useEffect(() => {
    if (filter === searched) return;
    const t = setTimeout(() => setSearched(filter), FILTER_PAUSE_MS);
    return () => clearTimeout(t);
  }, [filter, searched]);
  const read = useFollowedExperimentPage(pickerInput(searched, page), PICKER_CHANGES);
  const [shown, setShown] = useState(1);
  if (read.current && shown !== page) setShown(page);
  const stored = read.current ? read.data!.stored : undefined;
  const last = read.current ? pageCount(read.data!.total) : undefined;
  useEffect(() => {
    if (stored !== undefined && stored <= EXPERIMENTS_PAGE_SIZE && (searched !== '' || page !== 1)) {
      setFilterText('');
      setSearched('');
      setPage(1);
    } else if (last !== undefined && page > last) setPage(last);
  }, [stored, last, searched, page]);
  return {
    answer: { data: read.data, error: read.error, current: read.current },
    shown,
    filter,
    searched,
    setFilter: (text) => {
      setFilterText(text);
      setPage(1);
    },
    setPage,
  };
}

/** Past this many chips, a list shows its first FOLD_SHOWN and a button for the rest. */
const FOLD_AT = 24;
const FOLD_SHOWN = 20;

/** The ids whose chips show: all, or the first FOLD_SHOWN of a list longer than FOLD_AT while it is folded. */
function foldedIds(ids: readonly number[], open: boolean): readonly number[] {
  return open || ids.length <= FOLD_AT ? ids : ids.slice(0, FOLD_SHOWN);
}

/** "+ 180 more runs" under a folded list of chips, "show fewer" once unfolded; nothing for a short list. */
function FoldToggle({ what, count, open, onToggle, testId }: { what: string; count: number; open: boolean; onToggle: () => void; testId: string }) {
  if (count <= FOLD_AT) return null;
  return (
    <button type="button" className="link" aria-expanded={open} onClick={onToggle} data-testid={testId}>
      {open ? 'show fewer' : `+ ${plural(count - FOLD_SHOWN, `more ${what}`, (count - FOLD_SHOWN).toLocaleString('en-US'))}`}
    </button>
  );
}

/** The × on a chosen experiment's or run's chip, named for screen readers as focusNextChip finds it. */
function ChipRemove({ what, id, onRemove }: { what: 'experiment' | 'run'; id: number; onRemove: () => void }) {
  return (
    <button type="button" className="chip-remove" aria-label={`Remove ${what} ${id}`} onClick={onRemove}>
      ×
    </button>
  );
}

export function ComparePicker({ list, chosen: chosenRead, missingExperimentIds = [], failed, experimentIds, runIds, missingRunIds = [], onChange }: ComparePickerProps) {
  const client = useClient();
  const [draft, setDraft] = useState('');
  // Long selections are folded to their first chips (FOLD_AT): 200 runs picked on Runs were two screens of chips above the chart.
  const [allExperiments, setAllExperiments] = useState(false);
  const [allRuns, setAllRuns] = useState(false);
  const [draftError, setDraftError] = useState<string | null>(null);
  const chosen = new Set(experimentIds);
  const experiments = list.answer.data;
  const rows = experiments?.experiments ?? [];
  // More than a page of experiments: a filter and pages (the chips below name what is checked on other pages).
  const paged = (experiments?.stored ?? 0) > EXPERIMENTS_PAGE_SIZE;
  const first = (list.shown - 1) * EXPERIMENTS_PAGE_SIZE;
  const matching = experiments?.total ?? 0;

  // A chip's ×, Clear selection and Add go away (or are disabled) with their own press, once the
  // address holds the new selection: focus fell to <body>, and Tab started over from the top. It goes
  // to the next chip's × in the row (the one before it at the row's end), else the run-id box.
  const refocus = useRef<(() => HTMLElement | null) | null>(null);
  const selectionKey = `${experimentIds.join(',')}|${runIds.join(',')}`;
  useEffect(() => {
    const target = refocus.current;
    refocus.current = null;
    if (target && focusIsLost()) target()?.focus();
  }, [selectionKey]);
  const runIdBox = () => document.getElementById('compare-add-runs');
  const focusNextChip = (what: 'experiment' | 'run', ids: readonly number[], removed: number) => {
    const at = ids.indexOf(removed);
    const next = ids[at + 1] ?? ids[at - 1];
    refocus.current = () => (next === undefined ? null : document.querySelector<HTMLElement>(`button[aria-label="Remove ${what} ${next}"]`)) ?? runIdBox();
  };

  const toggle = (id: number) =>
    onChange((current) => ({
      experimentIds: current.experimentIds.includes(id) ? current.experimentIds.filter((e) => e !== id) : [...current.experimentIds, id],
      runIds: current.runIds,
    }));

  // Each id is looked up before it joins the selection: one unknown or untrained run would make the
  // whole comparison fail, so it is left out here, by name, and the others are added.
  const addRuns = async () => {
    const parsed = parseRunIds(draft);
    if (!parsed.ok) {
      setDraftError(parsed.problem);
      return;
    }
    // Missing ids are said once, together (see missingRunsText); any other problem per run.
    const missing = new Set<number>();
    const problems = new Map<number, string>();
    // Which ids are runs, asked first, all in one request. (Not for the console: runs.get asked
    // onlyStored answers { runNotStored } for an id never stored too, not 404.) A range typed mostly
    // wrong ("1-200") reads only its runs, not one request per id; and when Aisle is unreachable or
    // busy the box says so once and adds nothing, rather than the same failure per id.
    let stored: ReadonlySet<number>;
    try {
      stored = new Set(await client.call('runs.stored', { ids: parsed.ids }));
    } catch (e) {
      setDraftError(errorText(e));
      return;
    }
    for (const id of parsed.ids) if (!stored.has(id)) missing.add(id);
    await Promise.all(
      parsed.ids.filter((id) => stored.has(id)).map(async (id) => {
        try {
          // Asked onlyStored: a run deleted between runs.stored's answer and this read is answered
          // as gone, not with a 404 (a failed resource in the console), and said as no run.
          const run = await client.call('runs.get', { id, onlyStored: true });
          if ('runNotStored' in run) missing.add(id);
          else if (run.episodesDone === 0) problems.set(id, noEpisodesText(id, run.status));
        } catch (e) {
          problems.set(id, errorText(e));
        }
      }),
    );
    const refused = parsed.ids.filter((id) => problems.has(id) || missing.has(id));
    const added = parsed.ids.filter((id) => !refused.includes(id));
    const why = [...(missing.size > 0 ? [missingRunsText([...missing])] : []), ...parsed.ids.filter((id) => problems.has(id)).map((id) => problems.get(id)!)];
    // The refused ids stay in the box, beside why, to correct or clear.
    setDraft(refused.join(', '));
    setDraftError(refused.length === 0 ? null : `${added.length > 0 ? `added ${plural(added.length, 'run')} (${added.join(', ')}); ` : ''}not added: ${why.join('; ')}`);
    if (added.length > 0) {
      refocus.current = runIdBox; // Add, pressed itself, is disabled once the box is empty
      onChange((current) => ({ experimentIds: current.experimentIds, runIds: [...new Set([...current.runIds, ...added])] }));
    }
  };

  const unknown = new Set(missingExperimentIds);
  // A filter past the search's limit is searched by its first MAX_SEARCH characters (pickerInput):
  // said under the box, as the Experiments screen says its search's, where it was cut in silence.
  const filterCut = searchSent(list.searched, 'Filter').cut;

  return (
    <div className="compare-picker" data-testid="compare-picker">
      {paged && (
        <div className="row">
          <input
            type="search"
            value={list.filter}
            onChange={(e) => list.setFilter(e.target.value)}
            placeholder="Filter name, agent, environment"
            aria-label="Filter the experiments to compare by name, description, environment or agent"
            aria-invalid={filterCut !== null ? true : undefined}
            aria-describedby={filterCut !== null ? 'compare-exp-filter-cut' : undefined}
            data-testid="compare-exp-filter"
          />
        </div>
      )}
      {paged && filterCut !== null && (
        <p id="compare-exp-filter-cut" className="field-error" role="alert" data-testid="compare-exp-filter-cut">
          {filterCut}
        </p>
      )}
      <div className="compare-picker-list" role="group" aria-label="Experiments to compare">
        {experiments === undefined ? (
          !failed && <p className="muted">Loading experiments…</p>
        ) : experiments.stored === 0 ? (
          <p className="muted">
            No experiments yet: <a href={href('experiments', 'new')}>launch one</a>, then come back to compare its runs.
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th aria-label="Selected" />
                <th>Experiment</th>
                <th>Environment</th>
                <th>Agent</th>
                <th className="num">Runs done</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => {
                const done = e.runCounts.completed;
                const total = runCount(e);
                return (
                  <tr key={e.id} className={chosen.has(e.id) ? 'selected' : undefined}>
                    <td>
                      <input
                        type="checkbox"
                        id={`compare-exp-${e.id}`}
                        checked={chosen.has(e.id)}
                        onChange={() => toggle(e.id)}
                        data-testid={`compare-exp-${e.id}`}
                      />
                    </td>
                    <td>
                      <label htmlFor={`compare-exp-${e.id}`}>
                        {/* Experiments may share a name (one launched again): the number and the date tell them apart. */}
                        {e.name}{' '}
                        <span className="muted small" data-testid="compare-exp-when">
                          #{e.id} · {when(e.createdAt)}
                        </span>
                      </label>
                    </td>
                    <td>{e.envId}</td>
                    <td>{e.agentId}</td>
                    <td className="num">
                      {done} / {total}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {paged && list.answer.current && matching === 0 && (
          <p className="muted" data-testid="compare-exp-none">
            {noExperimentMatches(list.searched)}
          </p>
        )}
      </div>
      {paged && matching > 0 && (
        <Pager
          page={list.shown}
          pages={pageCount(matching)}
          shown={matching === 1 ? '1 experiment' : `${fmt(first + 1)}–${fmt(first + rows.length)} of ${fmt(matching)} experiments`}
          totalTestId="compare-exp-total"
          onStep={(step) => list.setPage(list.shown + step)}
        />
      )}
      {/* The list scrolls: what is checked is summed up here, where it stays in sight. */}
      <div className="row compare-picker-runs" data-testid="compare-chosen-experiments">
        <span className="muted">Experiments:</span>
        {experimentIds.length === 0 && <span className="muted small">none</span>}
        {/* An id no stored experiment has (deleted since, or typed) is said in its own chip, among the experiments. */}
        {foldedIds(experimentIds, allExperiments).map((id) => {
          const remove = (
            <ChipRemove
              what="experiment"
              id={id}
              onRemove={() => {
                focusNextChip('experiment', foldedIds(experimentIds, allExperiments), id);
                toggle(id);
              }}
            />
          );
          if (unknown.has(id)) {
            return (
              <span key={id} className="chip chip-bad" data-testid="compare-unknown-experiment">
                experiment {id} not found
                {remove}
              </span>
            );
          }
          // Read by its id; one just checked, from its row until that read answers.
          const name = (chosenRead?.find((e) => e.id === id) ?? rows.find((e) => e.id === id))?.name;
          return (
            <span key={id} className="chip">
              <a href={href('runs', { experiment: id })} title={name} data-testid="compare-chip-name">
                #{id} {middleCut(name ?? '', COMPARE_NAME)}
              </a>
              {remove}
            </span>
          );
        })}
        <FoldToggle what="experiment" count={experimentIds.length} open={allExperiments} onToggle={() => setAllExperiments((v) => !v)} testId="compare-experiments-fold" />
      </div>
      <div className="row compare-picker-runs">
        <span className="muted">Single runs:</span>
        {runIds.length === 0 && <span className="muted small">none</span>}
        {foldedIds(runIds, allRuns).map((id) => (
          <span key={id} className={missingRunIds.includes(id) ? 'chip chip-bad' : 'chip'} data-testid={missingRunIds.includes(id) ? 'compare-unknown-run' : undefined}>
            {missingRunIds.includes(id) ? `run ${id} not found` : <a href={href('runs', id)}>run {id}</a>}
            <ChipRemove
              what="run"
              id={id}
              onRemove={() => {
                focusNextChip('run', foldedIds(runIds, allRuns), id);
                onChange((current) => ({ experimentIds: current.experimentIds, runIds: current.runIds.filter((r) => r !== id) }));
              }}
            />
          </span>
        ))}
        <FoldToggle what="run" count={runIds.length} open={allRuns} onToggle={() => setAllRuns((v) => !v)} testId="compare-runs-fold" />
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void addRuns();
          }}
        >
          <label className="sr-only" htmlFor="compare-add-runs">
            Add run ids
          </label>
          <input
            id="compare-add-runs"
            placeholder="run ids, e.g. 4, 7-9"
            size={14}
            value={draft}
            aria-invalid={draftError ? true : undefined}
            aria-describedby={draftError ? 'compare-add-runs-error' : undefined}
            onChange={(e) => {
              setDraft(e.target.value);
              // The problem was the text's before this edit: it no longer describes the box.
              setDraftError(null);
            }}
          />
          <button type="submit" disabled={!draft.trim()}>
            Add
          </button>
        </form>
        {(runIds.length > 0 || experimentIds.length > 0) && (
          <button
            type="button"
            onClick={() => {
              refocus.current = runIdBox;
              onChange(() => ({ experimentIds: [], runIds: [] }));
            }}
          >
            Clear selection
          </button>
        )}
        {draftError && (
          // An alert: it comes with Add (Enter in the box), where focus stays.
          <span id="compare-add-runs-error" className="field-error" role="alert">
            {draftError}
          </span>
        )}
      </div>
    </div>
  );
}
