/**
 * What `aisle run` and `aisle resume` print once runs end: a table of each run's metrics and its
 * greedy policy's exact value, and for a sweep each experiment's table and then their comparison.
 */
import type { GreedyReport } from '../engine/mdp/solve';
import { type RunRow, type Store } from '../main/store';
import { quoted, ValidationError } from '../engine/params';
import { compareRuns } from '../main/service/compare';
import { compareInput, compareText } from './compare';
import type { CompareResult } from '../shared/dto';
import { aisleCommand, columnTexts, fittedTable, fmt, outputWidth, plural, transposedTable, wrapped, type GlobalOptions } from './context';
import { closeness, CLOSENESS_TEXT, type Closeness } from '../shared/gap-text';
import { scoreText } from '../shared/text';
import type { JobPool } from '../main/jobs/pool';

export interface RunReport {
  experimentId: number;
  runs: {
    runId: number;
    seed: number;
    status: string;
    episodes: number;
    summary: Record<string, { mean: number; last100: number }>;
    greedy?: GreedyReport & { closeness: Closeness };
    error?: string;
  }[];
  /** Runs of it deleted by another process (`aisle delete`, the app) once finished, while this one trained the others. */
  deletedRuns?: number[];
}

export function runReport(experimentId: number, runs: readonly RunRow[], deletedRuns: readonly number[] = []): RunReport {
  return {
    experimentId,
    ...(deletedRuns.length > 0 ? { deletedRuns: [...deletedRuns] } : {}),
    runs: runs.map((r) => ({
      runId: r.id,
      seed: r.seed,
      status: r.status,
      episodes: r.episodesDone,
      summary: (r.summary ?? {}) as Record<string, { mean: number; last100: number }>,
      ...(r.greedy ? { greedy: { ...(r.greedy as GreedyReport), closeness: closeness(r.greedy as GreedyReport) } } : {}),
      ...(r.error ? { error: r.error } : {}),
    })),
  };
}

/**
 * One row per run: what it is, its metrics' last-100 means and its greedy policy's exact value;
 * fitted to the terminal (the shop's eleven metrics made it some 300 characters wide), a lone run's
 * turned on its side.
 */
export function summaryText(report: RunReport, { note = true }: { note?: boolean } = {}): string {
  const metricNames = [...new Set(report.runs.flatMap((r) => Object.keys(r.summary)))].filter((m) => !m.startsWith('train/'));
  const hasGreedy = report.runs.some((r) => r.greedy);
  // The exact returns are discounted by the agent's gamma; the metric columns are not: say so.
  const gamma = report.runs.find((r) => r.greedy)?.greedy?.gamma;
  const discounted = gamma !== undefined && gamma < 1 ? ` (γ ${gamma})` : '';
  const header = ['run', 'seed', 'status', 'episodes', ...metricNames, ...(hasGreedy ? [`greedy return${discounted}`, `optimal${discounted}`, 'score', 'verdict'] : [])];
  // Each number column with one count of decimals, so that it reads down ("3.70" under "3.64").
  const columns = [
    ...metricNames.map((m) => columnTexts(report.runs.map((r) => r.summary[m]?.last100))),
    ...(hasGreedy ? [columnTexts(report.runs.map((r) => r.greedy?.expectedReturn)), columnTexts(report.runs.map((r) => r.greedy?.optimalReturn))] : []),
  ];
  const rows = report.runs.map((r, i) => {
    const g = r.greedy;
    return [
      String(r.runId),
      String(r.seed),
      r.status,
      fmt(r.episodes),
      ...columns.map((texts) => texts[i]!),
      ...(hasGreedy ? [scoreText(g?.normalizedScore), g ? CLOSENESS_TEXT[g.closeness] : '–'] : []),
    ];
  });
  const one = rows.length === 1;
  // Said once here rather than "(last 100)" in every metric's header, which made up a third of the width.
  const lines = note && metricNames.length > 0 ? [`metrics: ${one ? 'the run’s' : 'each run’s'} mean over ${lastWindowText(report.runs.map((r) => r.episodes))}`] : [];
  lines.push(one ? transposedTable(header, rows[0]!) : fittedTable(header, rows, 4));
  // A run stopped with a reason (a resume refused, a cancel when Aisle stopped) says its status.
  for (const r of report.runs) if (r.error) lines.push(r.status === 'failed' ? `run ${r.runId} failed: ${r.error}` : `run ${r.runId} (${r.status}): ${r.error}`);
  return `${lines.join('\n')}\n`;
}

/**
 * What a summary's "last 100" mean is over: "its last 100 episodes", or, where the runs played
 * fewer, what it then is ("its 30 episodes"), which "its last 100" misread for a 20-episode run.
 */
function lastWindowText(episodes: readonly number[]): string {
  const most = Math.max(0, ...episodes);
  if (most >= 100) return Math.min(...episodes) >= 100 ? 'its last 100 episodes' : 'its last 100 episodes (all of them, where it played fewer)';
  return episodes.every((n) => n === most) ? `its ${plural(most, 'episode', fmt(most))}` : 'all its episodes (fewer than 100)';
}

/**
 * A lone experiment's summary (summaryText); when another process (`aisle delete`, the app) deleted
 * every run of it once finished, one line saying so, rather than a table of no rows. The command
 * exits as a sweep whose runs were all deleted does: 0 (nothing failed here), or the signal's code.
 */
export function experimentSummaryText(report: RunReport, name: string, width = outputWidth()): string {
  if (report.runs.length > 0) return summaryText(report);
  const ids = report.deletedRuns ?? [];
  const its = ids.length === 1 ? `its run ${ids[0]} was` : `its runs ${ids.join(', ')} were`;
  // The name quoted as the other commands quote an experiment's (quoted: JSON.stringify leaves DEL, the C1 controls and U+202E raw).
  return `${wrapped('', `experiment ${report.experimentId} ${quoted(name)}: ${its} deleted by another process (\`aisle delete\`, or the app) once finished, while this one trained: no summary to print`, width)}\n`;
}

/**
 * A sweep's summaries, each under its experiment's name, then the comparison `aisle compare`
 * prints of them (not after an interruption: it is not what the user waits for then) and the
 * command that prints it again.
 */
export function printSweep(store: Store, reports: readonly RunReport[], names: ReadonlyMap<number, string>, interrupted: boolean, opts: GlobalOptions): void {
  process.stdout.write(`metrics: each run’s mean over ${lastWindowText(reports.flatMap((r) => r.runs.map((run) => run.episodes)))}\n`);
  reports.forEach((report) => {
    process.stdout.write(`\nexperiment ${report.experimentId} ${quoted(names.get(report.experimentId)!)}\n`);
    if (report.runs.length > 0) process.stdout.write(summaryText(report, { note: false }));
    else process.stdout.write('its runs were deleted by another process while this one trained\n');
  });
  const ids = reports.filter((r) => r.runs.length > 0).map((r) => r.experimentId);
  if (!interrupted) {
    const compared = sweepComparison(store, reports, names);
    process.stdout.write(compared.ok ? `\n${compareText(compared.result, compared.seed)}` : `\nno comparison: ${compared.problem}\n`);
  }
  if (ids.length > 0) process.stdout.write(`\n${ids.length === 1 ? 'experiment' : 'experiments'} ${ids.join(', ')}: to compare them again, ${aisleCommand(opts, `compare ${ids.join(' ')}`)}\n`);
}

/**
 * The comparison `aisle compare` makes of a sweep's experiments (its defaults: every metric's
 * final window, seed), or why there is none: experiments with no metric in common (a sweep of
 * env.id, say) or no stored episode, said rather than thrown, the runs kept.
 */
export function sweepComparison(store: Store, reports: readonly RunReport[], names: ReadonlyMap<number, string>): { ok: true; result: CompareResult; seed: number } | { ok: false; problem: string } {
  // Experiments whose runs another process deleted meanwhile are not there to compare.
  const kept = reports.filter((r) => r.runs.length > 0);
  if (kept.length === 0) return { ok: false, problem: 'every run was deleted by another process while this one trained' };
  const input = compareInput(kept.map((r) => r.experimentId), {});
  try {
    return { ok: true, result: compareRuns(store, input, names), seed: input.seed };
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return { ok: false, problem: e.problems.join('; ') };
  }
}

/**
 * The runs this process saw end failed or interrupted (their writes refused for good: see
 * JobPool.storeFailed; or their worker died once they had an autosave: JobPool.died), from `pool`'s
 * status events. When the database could not record that end either, the run reads back running or
 * queued: `asSeen` reports it as it ended here (the next process to open the database marks it
 * interrupted). `notRecorded`: a run interrupted here, which the database could not record or whose
 * worker died, which makes `aisle run` and `aisle resume` exit 1, as a failed one does.
 */
export function endsSeenHere(pool: JobPool): { asSeen: (run: RunRow) => RunRow; notRecorded: () => boolean } {
  const ended = new Map<number, { status: 'failed' | 'interrupted'; error: string }>();
  pool.on('status', (s) => {
    if (s.status === 'failed' || s.status === 'interrupted') ended.set(s.runId, { status: s.status, error: s.error });
  });
  return {
    asSeen: (run) => {
      const seen = ended.get(run.id);
      return seen !== undefined && (run.status === 'running' || run.status === 'queued') ? { ...run, ...seen } : run;
    },
    notRecorded: () => [...ended.values()].some((e) => e.status === 'interrupted'),
  };
}
