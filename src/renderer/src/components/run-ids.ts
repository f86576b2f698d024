/**
 * Run ids as typed in Compare's box: whole numbers and ranges ("3-7", "3..7", "3–7"), separated by
 * commas or spaces, in the order given, each once. A range is capped: a typo such as "1-100000"
 * must not send a hundred thousand lookups.
 */
import type { RunStatus } from '../../../shared/dto';
import { andList, counted, idRange, idSpans } from '../../../shared/text';
import { beyondIds } from '../router';
import { TYPED_VALUES, typedList, typedText } from '../../../engine/sweep-values';

export const MAX_RANGE = 200;

export type RunIdsParse = { ok: true; ids: number[] } | { ok: false; problem: string };

export function parseRunIds(text: string): RunIdsParse {
  const ids: number[] = [];
  const bad: string[] = [];
  const reversed: string[] = [];
  // Digits past 2^53 (a paste gone wrong) name no run and read as no exact number: asked about, they
  // failed the lookup with its schema's words ("ids[0]: must be a whole-number id") and a 400 in the
  // browser's console.
  const huge: string[] = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const range = idRange(part);
    if (range) {
      const { from, to } = range;
      if (to >= 1 && to < from) {
        // "9-4": a range typed backwards, not a wrong id; say how to write it.
        reversed.push(`${typedText(part)} is reversed: write ${to}-${from}`);
        continue;
      }
      // "0-3" names no run; "5-0" is not a reversed range (there is no run 0) and would read as none.
      if (from < 1 || to < from) {
        bad.push(part);
        continue;
      }
      // Every id of it past 2^53 (its end too: a range from a safe id to one past it is over the cap below).
      if (!Number.isSafeInteger(from)) {
        huge.push(part);
        continue;
      }
      if (to - from + 1 > MAX_RANGE) return { ok: false, problem: `${typedText(part)}: a range of ${to - from + 1} runs, more than ${MAX_RANGE} at once: pick experiments instead, or a shorter range` };
      for (let id = from; id <= to; id++) ids.push(id);
    } else if (/^\d+$/.test(part) && Number(part) > 0) {
      if (beyondIds(part)) huge.push(part);
      else ids.push(Number(part));
    } else bad.push(part);
  }
  // Typed parts cut, at most five of a list (typedText, typedList): a paste gone wrong (a page of
  // text, a number thousands of digits long) was said back whole, in an alert a screen reader read
  // out to its end.
  const problems = [
    ...(bad.length > 0 ? [`not a run id: ${typedList(bad)} (a run id is a whole number from 1, as in the Runs list; a range is written 3-7)`] : []),
    ...reversed.slice(0, TYPED_VALUES),
    // Counted past five as typedList counts the rest: the others were dropped without a word.
    ...(reversed.length > TYPED_VALUES ? [`and ${counted(reversed.length - TYPED_VALUES, 'more reversed range')}`] : []),
    ...(huge.length > 0 ? [`${huge.length === 1 ? 'there is no run' : 'there are no runs'} ${typedList(huge)}`] : []),
  ];
  if (problems.length > 0) return { ok: false, problem: problems.join('; ') };
  return { ok: true, ids: [...new Set(ids)] };
}

/**
 * The ids the box asked for that name no run, in one clause: "there is no run 7", "there are no
 * runs 101–105" (not a clause per id: "95-105" with five missing said "there is no run" five times),
 * "there are no runs 3, 101–105". Consecutive ids (three or more) read as a range.
 */
export function missingRunsText(ids: readonly number[]): string {
  const spans = idSpans(ids);
  return new Set(ids).size === 1 ? `there is no run ${spans[0]}` : `there are no runs ${spans.join(', ')}`;
}

/** Why a run has no stored episodes, by its status, for one run or several ("cancelled before their first episode"). */
function noEpisodesReason(status: RunStatus, many: boolean): string {
  switch (status) {
    case 'queued':
      return 'queued: none yet';
    case 'running':
      return 'just started: none yet';
    case 'completed':
      return 'completed without storing one';
    case 'cancelled':
    case 'interrupted':
    case 'paused':
    case 'failed':
      return `${status} before ${many ? 'their' : 'its'} first episode`;
    default: {
      const never: never = status;
      return never;
    }
  }
}

/**
 * The runs an address named that Compare leaves out for having no stored episodes, all in one
 * clause with why: "run 44 has no stored episodes (cancelled before its first episode)", "runs 44
 * and 45 have no stored episodes (44 cancelled before its first episode; 45 queued: none yet)".
 */
export function withoutEpisodesText(runs: readonly { readonly runId: number; readonly status: RunStatus }[]): string {
  const ids = runs.map((r) => r.runId);
  const byStatus = new Map<RunStatus, number[]>();
  for (const { runId, status } of runs) byStatus.set(status, [...(byStatus.get(status) ?? []), runId]);
  const named = andList(idSpans(ids));
  const many = new Set(ids).size > 1;
  const why =
    byStatus.size === 1
      ? noEpisodesReason(runs[0]!.status, many)
      : [...byStatus].map(([status, of]) => `${andList(idSpans(of))} ${noEpisodesReason(status, of.length > 1)}`).join('; ');
  return `${many ? 'runs' : 'run'} ${named} ${many ? 'have' : 'has'} no stored episodes (${why})`;
}

/**
 * Why a run with no stored episodes cannot be compared, by its status: a queued or running run
 * will have episodes soon, a stopped one never will.
 */
export function noEpisodesText(id: number, status: RunStatus): string {
  switch (status) {
    case 'queued':
      return `run ${id} is queued: it has no episodes yet`;
    case 'running':
      return `run ${id} has just started: it has no episodes yet`;
    case 'completed':
      return `run ${id} completed without storing an episode`;
    case 'cancelled':
    case 'interrupted':
    case 'paused':
      return `run ${id} was ${status} before its first episode: it has none to compare`;
    case 'failed':
      return `run ${id} failed before its first episode: it has none to compare`;
    default: {
      const never: never = status;
      return never;
    }
  }
}

/**
 * The "or run #" box's text as a run's number, or why it is none. `badInput` is the number input's
 * own verdict on text it cannot read at all ("1e", "--"), which it reports as empty text.
 */
export function readRunNumber(text: string, badInput = false): { id: number } | { problem: string } | null {
  const t = text.trim();
  if (badInput) return { problem: 'not a run number: type a whole number from 1, as the Runs list numbers runs' };
  if (t === '') return null;
  const id = Number(t);
  // Past 2^53 no run has the number (nor is it one exactly): said here, not asked about (see parseRunIds).
  if (beyondIds(t)) return { problem: `there is no run ${typedText(t)}: pick a run from the list, or type another run’s number` };
  return Number.isInteger(id) && id > 0 ? { id } : { problem: `“${typedText(t)}” is not a run number: type a whole number from 1, as the Runs list numbers runs` };
}
