/** `aisle runs`, `aisle show <runId>` and `aisle experiments`: what the store holds. */
import type { GreedyReport } from '../engine/mdp/solve';
import type { EvaluationSettings } from '../engine/greedy-evaluation';
import { closeness, gapText } from '../shared/gap-text';
import { aisleCommand, columnTexts, dateTime, fittedTable, fmt, openStore, plural, printJson, table, truncatedColumn, wrapped, type GlobalOptions } from './context';
import type { RunRow, Store } from '../main/store';
import { storedSummary } from '../main/stored-summary';
import { inlineFileText } from '../shared/inline-files';
import { idSpans, scoreText } from '../shared/text';
import { escapeControl, listedName } from '../engine/params';
import { shownEnvConfig } from '../engine/registry';
import { trainingMs } from '../shared/training-time';
import { StoredConfigs } from './stored-config';
import { deathsFrom } from '../main/jobs/worker-deaths';
import { times } from '../main/repeated-stops';
import { processStopsFrom } from '../main/store/sessions';

export interface RunsOptions extends GlobalOptions {
  experiment?: number;
  status?: string;
  limit?: number;
}

/** The run's training time, its pauses left out ("12.3s", a running run's to now); '–' before it starts. */
export function trainingText(r: Pick<RunRow, 'activeMs' | 'activeAt'>, now = Date.now()): string {
  const ms = trainingMs(r, now);
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)}s`;
  // Whole seconds first, so 119.6 s reads 2m00s, not 1m60s.
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  const ss = String(s % 60).padStart(2, '0');
  return m < 60 ? `${m}m${ss}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m${ss}s`;
}

export function runsCommand(opts: RunsOptions): number {
  // No default database yet (a fresh machine): "no runs yet", as for an empty one, and none made.
  const store = openStore(opts, { reads: true, empty: true });
  try {
    // In one snapshot (Store.snapshot), as `show`: runs and experiments the app deletes meanwhile
    // (beside this command) are listed as they were, where a delete between the page's read and
    // a run's stored returns or its experiment's name made the list fail ("… does not exist").
    return store.snapshot(() => {
      // An unknown experiment is a mistake in the id, not an empty list: one line, exit 2, like `show`.
      if (opts.experiment !== undefined) store.getExperiment(opts.experiment);
      const filter = {
        ...(opts.experiment !== undefined ? { experimentId: opts.experiment } : {}),
        ...(opts.status ? { status: opts.status as RunRow['status'] } : {}),
        limit: opts.limit ?? 50,
      };
      const listFilter = { ...filter, descending: true };
      // Without their configs: an inline MDP is MBs of JSON a run, and the list shows its agent's id alone.
      const runs = store.listRunsWithoutConfig(listFilter);
      const total = store.countRuns(filter);
      // A run that did not finish has no summary: its last 100 stored returns stand in, marked. One
      // cancelled (Ctrl-C) or failed midway has a summary, of episodes as early in training: marked alike.
      // (A run stopped before its worker played on, paused while queued or its resume refused, has an empty one.)
      const noSummary = (r: (typeof runs)[number]) => r.summary === null || Object.keys(r.summary as object).length === 0;
      const stored = runs.map((r) => noSummary(r) && r.episodesDone > 0 && store.metricNames(r.id).includes('return'));
      const summaryReturn = (r: (typeof runs)[number]) => (r.summary as Record<string, { last100?: number }> | null)?.return?.last100;
      const marked = runs.map((r, i) => stored[i]! || (r.episodesDone < r.episodesTotal && summaryReturn(r) !== undefined));
      const lastReturns = runs.map((r, i) => (stored[i] ? store.metricTailMean(r.id, 'return', 100) : summaryReturn(r)));
      if (opts.json) {
        // The column the table prints, `return (last 100)`, with its mark: `partial` where the run
        // has not played all its episodes (the figure from those it stored).
        // `trainingMs`: the column `training`, to now for a running run (activeMs is to activeAt).
        const now = Date.now();
        printJson({ total, runs: runs.map(({ agentId: _a, ...r }, i) => ({ ...r, trainingMs: trainingMs(r, now), returnLast100: lastReturns[i] ?? null, partial: marked[i]! })) });
        return 0;
      }
      if (runs.length === 0) {
        const filters = [...(opts.experiment !== undefined ? [`experiment ${opts.experiment}`] : []), ...(opts.status ? [`status ${opts.status}`] : [])];
        process.stdout.write(filters.length > 0 ? `no runs match ${filters.join(', ')}\n` : 'no runs yet: start one with `aisle run resources/experiments/quickstart.json`\n');
        return 0;
      }
      // The listed runs' experiments' names alone: every experiment's config was read for them
      // (0.5 s on 6,400 experiments, and an inline MDP can be tens of MB).
      const names = new Map([...new Set(runs.map((r) => r.experimentId))].map((id) => [id, store.experimentName(id)]));
      const fromStored = marked.some(Boolean);
      // One count of decimals down the column, so that it reads down (-44.50 under -57.42).
      const returns = columnTexts(lastReturns);
      const rows = runs.map((r, i) => {
        const last100 = marked[i] ? `${returns[i]!}*` : returns[i]!;
        // The agent's id is its config's, an imported results file's own text (the import refuses its
        // control characters, not its length): listed as a message lists a file's names (listedName),
        // where one of thousands of characters was printed whole. The name, cut to fit below, has its
        // control characters escaped (a database Aisle did not check may hold them).
        return [
          String(r.id),
          `${r.experimentId} ${escapeControl(names.get(r.experimentId) ?? '')}`.trim(),
          listedName(r.agentId ?? ''),
          String(r.seed),
          r.status,
          // A finished run's count once (as `aisle run` prints it): "10,000,000/10,000,000" took the
          // width a sweep's name needed to keep its settings.
          r.episodesDone === r.episodesTotal ? fmt(r.episodesTotal) : `${fmt(r.episodesDone)}/${fmt(r.episodesTotal)}`,
          trainingText(r),
          last100,
        ];
      });
      // The experiment's name is cut to fit (`aisle experiments` prints it whole): a list of runs
      // reads best a run a line, and each experiment's runs repeat its name.
      const header = ['run', 'experiment', 'agent', 'seed', 'status', 'episodes', 'training', 'return (last 100)'];
      process.stdout.write(`${fittedTable(header, truncatedColumn(header, rows, 1, 20), 1)}\n`);
      if (fromStored) process.stdout.write('* from the episodes stored so far: the run has not finished (running elsewhere, or stopped)\n');
      const again = stoppedText(store, runs, opts);
      if (again) process.stdout.write(`${again}\n`);
      if (total > runs.length) process.stdout.write(`(${runs.length} of ${total} runs; use --limit to see more)\n`);
      return 0;
    });
  } finally {
    store.close();
  }
}

export function showCommand(runId: number, opts: GlobalOptions): number {
  const store = openStore(opts, { reads: true });
  try {
    // In one snapshot (Store.snapshot): a run the app deletes meanwhile (its Runs screen, beside
    // this command) is shown whole, as it was, or is not found at the first read; read apart, its
    // later reads found it gone (no checkpoints, or "does not exist" halfway).
    return store.snapshot(() => {
      const run = store.getRun(runId);
      new StoredConfigs(store).run(run);
      const metrics = store.metricNames(runId);
      const checkpoints = store.listCheckpoints(runId);
      const g = run.greedy as GreedyReport | null;
      // A run that did not finish (interrupted, failed, or still running elsewhere) has no summary
      // of its own, but its stored episodes do.
      const fromStored = Object.keys(run.summary ?? {}).length === 0 && run.episodesDone > 0 ? storedSummary(store, runId) : undefined;
      if (opts.json) {
        // `storedSummary`: the table the text prints "from the N stored episodes", where `summary` is null.
        // `trainingMs`: the training time the text prints, to now for a running run.
        printJson({ ...run, trainingMs: trainingMs(run, Date.now()), greedy: g && { ...g, closeness: closeness(g) }, ...(fromStored ? { storedSummary: fromStored } : {}), metrics, checkpoints });
        return 0;
      }
      const out: string[] = [];
      // Every line wrapped to the terminal: a shop's fifty parameters made one line of some 900
      // characters, and the sentences (the verdict on the greedy policy) ran past a narrow one.
      // A stored reason may start with the status it explains ("interrupted: the process running it
      // stopped …"): said once, not "interrupted — interrupted: …".
      for (const line of runHeadLines(run)) out.push(wrapped('', line));
      const cfg = run.config as { env?: Record<string, unknown>; agent?: Record<string, unknown>; evaluation?: EvaluationSettings };
      out.push(wrapped('env   ', describeComponent(cfg.env && shownEnvConfig(cfg.env as { id: string }))));
      out.push(wrapped('agent ', describeComponent(cfg.agent)));
      if (cfg.evaluation) out.push(wrapped('eval  ', `greedy policy every ${fmt(cfg.evaluation.every)} episodes and at the last, ${plural(cfg.evaluation.episodes, 'episode')} each on a separate environment (eval/greedy_return)`));
      let summary = (run.summary ?? {}) as Record<string, { mean: number; last100: number }>;
      let from = '';
      if (Object.keys(summary).length === 0 && fromStored) {
        summary = fromStored;
        from = wrapped('', `from the ${fmt(run.episodesDone)} stored episodes (the run ${run.status === 'running' || run.status === 'queued' ? 'has not finished' : 'did not finish'}):`);
      }
      if (Object.keys(summary).length > 0) {
        out.push('', ...(from ? [from] : []), table(['metric', 'mean', 'last 100'], Object.entries(summary).map(([k, v]) => [k, ...columnTexts([v.mean, v.last100])])));
      }
      if (g) {
        out.push('', 'greedy policy, exact:', wrapped('  ', gapText(g, 4, g.normalizedScore)));
        for (const k of ['expectedReturn', 'optimalReturn', 'randomReturn', 'optimalityGap'] as const) out.push(`  greedy.${k} = ${fmt(g[k])}`);
        // Never 1 when it is not optimal; to 4 decimals, as the sentence above says it (0.9095, not 0.909 two lines below).
        out.push(`  greedy.normalizedScore = ${scoreText(g.normalizedScore, 4)}`);
      }
      if (STOPPED.has(run.status)) out.push('', againText(store, run, opts));
      const tables = checkpoints.filter((c) => c.kind === 'qtable');
      const networks = checkpoints.filter((c) => c.kind === 'weights');
      if (tables.length > 0 || networks.length > 0) out.push('');
      if (tables.length > 0) out.push(wrapped('', `${plural(tables.length, 'Q-table checkpoint')}, ${afterEpisodes(tables)}`));
      if (networks.length > 0) out.push(wrapped('', `${plural(networks.length, 'network weights checkpoint')}, ${afterEpisodes(networks)}`));
      process.stdout.write(`${out.join('\n')}\n`);
      return 0;
    });
  } finally {
    store.close();
  }
}

/** Runs that stopped before their last episode: paused, Ctrl-C'd, or their process ended. */
const STOPPED: ReadonlySet<RunRow['status']> = new Set(['interrupted', 'cancelled', 'paused']);

/**
 * How a stopped run goes on, its state read once: `continue` from its checkpoint (at its episode),
 * `start` when it stopped before its first episode with none (queued when its process ended, or
 * paused or cancelled before it started: `aisle resume` starts it), else `again`, its experiment
 * trained anew.
 */
export type GoingOn = { readonly how: 'continue'; readonly at: number } | { readonly how: 'start' } | { readonly how: 'again'; readonly refused?: true };

/**
 * A run paused with an error: its resume was refused by its worker, its checkpoint kept but not one
 * this Aisle can continue (JobPool's refuseResume). A pause never stores an error otherwise.
 */
export function resumeRefused(run: Pick<RunRow, 'status' | 'error'>): boolean {
  return run.status === 'paused' && Boolean(run.error);
}

export function goingOn(store: Store, run: Omit<RunRow, 'config'>): GoingOn {
  if (resumeRefused(run)) return { how: 'again', refused: true };
  const at = store.resumableAt(run.id);
  if (at !== null) return { how: 'continue', at };
  return run.episodesDone === 0 ? { how: 'start' } : { how: 'again' };
}

/** An interrupted run continues from the autosave it wrote while it trained; the others from the checkpoint their stop wrote. */
function checkpointWords(run: RunRow): string {
  return run.status === 'interrupted' ? 'its last autosave' : 'its checkpoint';
}

/**
 * What goes on with a stopped run: `aisle resume` from its checkpoint, when it has one; else its
 * experiment, launched anew, every seed of it as `aisle again` launches it. The command on a line
 * of its own, never wrapped: it is there to be copied.
 */
function againText(store: Store, run: RunRow, opts: GlobalOptions): string {
  const next = goingOn(store, run);
  if (next.how === 'start') return `${wrapped('', 'to start it (it stopped before its first episode):')}\n  ${aisleCommand(opts, `resume ${run.id}`)}`;
  if (next.how === 'continue') return `${wrapped('', `to continue it from ${checkpointWords(run)} at episode ${fmt(next.at)}:`)}\n  ${aisleCommand(opts, `resume ${run.id}`)}`;
  const seeds = (store.getExperiment(run.experimentId).config as { seeds?: unknown }).seeds;
  const count = Array.isArray(seeds) ? seeds.length : 1;
  const why = 'refused' in next ? 'its checkpoint cannot be resumed, see above' : 'no checkpoint to resume from';
  return `${wrapped('', `to train it again: its experiment anew${count > 1 ? `, all ${count} seeds` : ''} (${why}):`)}\n  ${aisleCommand(opts, `again ${run.experimentId}`)}`;
}

/**
 * The listing's note on its stopped runs: `aisle resume` for those with a checkpoint (an
 * interrupted run's is its last autosave, said with its episode) and for those that stopped before
 * their first episode, and for the others (interrupted before their first autosave) the `aisle
 * again` of their experiments, a few by name.
 */
function stoppedText(store: Store, runs: readonly Omit<RunRow, 'config'>[], opts: GlobalOptions): string | undefined {
  const stopped = runs.filter((r) => STOPPED.has(r.status)).map((run) => ({ run, next: goingOn(store, run) }));
  const lines: string[] = [];
  // An interrupted run resumed from its autosave says from where: the episodes after it are played again.
  // One whose worker died there more than once would most likely die there again: its error says what to try.
  for (const { run, next } of stopped) {
    if (run.status !== 'interrupted' || next.how !== 'continue') continue;
    // Its process stopping there more than once too (recovery's words: processStopsFrom).
    const deaths = deathsFrom(run.error);
    const stops = processStopsFrom(run.error);
    const show = `\`${aisleCommand(opts, `show ${run.id}`)}\``;
    const again =
      deaths >= 2
        ? `; its worker has died ${times(deaths)} from there, and ${show} says what to try first`
        : stops >= 2
          ? `; the process running it stopped ${times(stops)} from there, and ${show} says what to check first`
          : '';
    lines.push(`run ${run.id} was interrupted: it continues from its last autosave, at episode ${fmt(next.at)}: \`${aisleCommand(opts, `resume ${run.id}`)}\`${again}`);
  }
  const resumes = stopped.filter(({ run, next }) => run.status !== 'interrupted' && next.how === 'continue').map(({ run }) => run.id);
  // Several ids ascending, consecutive ones as a range: `--limit 1000` after a Ctrl-C early in
  // `aisle run --seeds 1000` listed 999 ids on one line.
  if (resumes.length > 0) lines.push(`${resumes.length === 1 ? `run ${resumes[0]} continues` : `runs ${idSpans(resumes).join(', ')} continue`} from a checkpoint: \`${aisleCommand(opts, `resume ${resumes.length === 1 ? resumes[0] : '<runId>'}`)}\``);
  const unstarted = stopped.filter(({ next }) => next.how === 'start').map(({ run }) => run.id);
  if (unstarted.length > 0) lines.push(`${unstarted.length === 1 ? `run ${unstarted[0]} stopped` : `runs ${idSpans(unstarted).join(', ')} stopped`} before the first episode: \`${aisleCommand(opts, `resume ${unstarted.length === 1 ? unstarted[0] : '<runId>'}`)}\` starts ${unstarted.length === 1 ? 'it' : 'one'}`);
  for (const { run, next } of stopped) {
    if ('refused' in next) lines.push(`run ${run.id} is paused with a checkpoint this Aisle cannot resume (\`${aisleCommand(opts, `show ${run.id}`)}\` says why): to train its experiment again, \`${aisleCommand(opts, `again ${run.experimentId}`)}\``);
  }
  const ids = [...new Set(stopped.filter(({ next }) => next.how === 'again' && !('refused' in next)).map(({ run }) => run.experimentId))];
  if (ids.length > 0) {
    const commands = ids.length <= 3 ? ids.map((id) => `\`${aisleCommand(opts, `again ${id}`)}\``).join(', ') : `\`${aisleCommand(opts, 'again <experimentId>')}\` (experiments ${idSpans(ids).join(', ')})`;
    lines.push(`stopped runs without a checkpoint: to train ${ids.length === 1 ? 'their experiment' : 'their experiments'} again, ${commands}`);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** "after 45, 90, …, 500 episodes": episodes played, as the app counts them (a checkpoint's episode is 0-based). */
function afterEpisodes(checkpoints: readonly { episode: number }[]): string {
  const last = checkpoints[checkpoints.length - 1]!.episode + 1;
  return `after ${checkpoints.map((c) => fmt(c.episode + 1)).join(', ')} episode${checkpoints.length === 1 && last === 1 ? '' : 's'}`;
}

/** A component's id and its parameters as `key=value` words. */
/**
 * `aisle show <run>`'s first lines: its status and why, its episodes, training time, Aisle version
 * and config hash. A run brought in by `aisle results import` holds its file's texts here (the
 * import checks none of its error, app_version and config_hash): the reason, Aisle's own sentence
 * as a rule, keeps its length with its control characters escaped (escapeControl); the version and
 * hash, short as Aisle writes them, are listed as a message lists a file's names (listedName), where
 * an ESC sequence reached the terminal raw and a line break split the line.
 */
export function runHeadLines(run: RunRow, now = Date.now()): string[] {
  const reason = run.error?.startsWith(`${run.status}: `) ? run.error.slice(run.status.length + 2) : run.error;
  return [
    `run ${run.id} (experiment ${run.experimentId}), seed ${run.seed}: ${run.status}${reason ? ` — ${escapeControl(reason)}` : ''}`,
    `episodes ${fmt(run.episodesDone)}/${fmt(run.episodesTotal)}, training ${trainingText(run, now)}, app ${listedName(run.appVersion)}, config ${listedName(run.configHash.slice(0, 12))}`,
  ];
}

/**
 * A config's component as `aisle show` lists it: its id, then key=value. An imported run's config
 * is its file's (the import checks only that env and agent have an id): the id and keys are listed
 * as a file's names (listedName), values keep their length (a path may be long) with control
 * characters escaped.
 */
export function describeComponent(c: Record<string, unknown> | undefined): string[] {
  if (!c) return ['–'];
  const { id, ...params } = c;
  return [listedName(String(id)), ...Object.entries(params).map(([k, v]) => `${listedName(k)}=${escapeControl(paramText(v))}`)];
}

/** A parameter's value; an inline file (an MDP, a shop catalog) as its one-line summary, never its JSON. */
function paramText(v: unknown): string {
  if (typeof v !== 'object' || v === null) return String(v);
  const file = inlineFileText(v);
  return file ? `<${file}>` : JSON.stringify(v);
}

export function experimentsCommand(opts: GlobalOptions): number {
  const store = openStore(opts, { reads: true, empty: true }); // as runsCommand's
  try {
    const list = store.listExperiments();
    if (opts.json) {
      printJson(list.map(({ config: _c, ...e }) => e));
      return 0;
    }
    if (list.length === 0) {
      process.stdout.write('no experiments yet\n');
      return 0;
    }
    // Its control characters escaped: a database Aisle did not check may hold them (an ESC sequence drove the terminal).
    const rows = list.map((e) => [String(e.id), escapeControl(e.name), dateTime(e.createdAt), runCountsText(e.runCounts)]);
    // A long name is cut to fit, its end marked "…" (--json gives it whole), rather than the list
    // split over tables: an experiment a line is what the list is read for.
    const header = ['id', 'name', 'created', 'runs'];
    process.stdout.write(`${fittedTable(header, truncatedColumn(header, rows, 1, 24), 2)}\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** An experiment's runs by status, for people: `2 completed, 1 failed` (statuses with none left out). */
function runCountsText(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}
