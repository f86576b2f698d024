/**
 * `aisle qtable <runId>` and `aisle qtable diff <runA> <runB>`: a run's learned Q-table, and two
 * tables compared, as the app's Q-tables screen shows them: the table read by qtables.get's code
 * (readQTable), greedy actions, the never-updated count and the comparison by the screen's own
 * (src/shared/qtable-compare.ts), so the terminal and the app give one table the same numbers.
 */
import { neverUpdatedText } from '../engine/policy/format';
import { ContractFailure } from '../shared/dispatch';
import type { QTable } from '../shared/dto';
import { decimalsOfLargest } from '../shared/figures';
import { agreementPercent, compareTables, greedyAction, NO_GREEDY, qValueColumnTexts, shownActions, tableNeverUpdated, TOP_VALUES, untouchedText, type ShownQRow } from '../shared/qtable-compare';
import { fmt, plural, tableSizeText } from '../shared/text';
import { runFingerprint } from '../main/service/configs';
import { readQTable } from '../main/service/policies';
import { NotFoundError, type Store } from '../main/store';
import { aisleCommand, databaseInput, fittedTable, printJson, reportLines, UsageError, withStore, type GlobalOptions } from './context';
import { writeOutput } from './output-files';

export interface QTableOptions extends GlobalOptions {
  checkpoint?: number;
  csv?: boolean;
  /** Every action's value in a state of a table of many actions, not its TOP_VALUES largest. */
  all?: boolean;
  /** Only the states with a greedy action (a shop's table is mostly states training never reached). */
  trained?: boolean;
  output?: string;
}

export interface QTableDiffOptions extends GlobalOptions {
  checkpointA?: number;
  checkpointB?: number;
  /** Options of `aisle qtable <runId>` given after `diff` (commander reads them there too), which diff refuses. */
  strays?: readonly string[];
}

/** What marks a state with no greedy action (NO_GREEDY: never updated, or a terminal state). */
const NONE = '–';

export function qtableCommand(runId: number, opts: QTableOptions): number {
  if (opts.csv && opts.json) throw new UsageError('--csv and --json: give one of them (--json writes the table, its greedy actions and counts as one JSON object)');
  if (opts.trained && opts.json) throw new UsageError('--trained and --json: give one of them (--json writes every state, its greedy action null where training never updated it: keep those that are not)');
  // In one snapshot (Store.snapshot), as each side of a diff below: a run the app deletes meanwhile
  // (beside this command) is read whole or not found at the first read, where a delete between its
  // checkpoints' listing and the table's read said its checkpoint does not exist.
  const table = withStore(opts, (store) => store.snapshot(() => tableOf(store, opts, runId, opts.checkpoint, '--checkpoint')));
  const greedy = table.q.map((row) => greedyAction(row, table.initialQ));
  const never = tableNeverUpdated(table);
  if (opts.json || opts.csv || opts.output !== undefined) {
    if (opts.output === undefined) {
      if (opts.json) printJson(tableJson(table, greedy));
      else process.stdout.write(tableCsv(table, greedy, opts.trained === true));
      return 0;
    }
    const content = opts.json ? `${JSON.stringify(tableJson(table, greedy))}\n` : tableCsv(table, greedy, opts.trained === true);
    const path = writeOutput('-o', opts.output, content, [databaseInput(opts)]);
    if (opts.json) printJson({ path, runId, checkpointId: table.checkpointId, episode: table.episode, states: table.states.length, actions: table.actions.length });
    else reportLines([`wrote ${path}: ${tableSizeText(table.states.length, table.actions.length)}, ${checkpointText(table)}`]); // the path given escaped
    return 0;
  }
  const cut = table.actions.length > TOP_VALUES + 1;
  const lines = [`${checkpointText(table)}: ${tableSizeText(table.states.length, table.actions.length)}`, ...otherCheckpoints(table)];
  if (cut) lines.push(`each state lists ${opts.all ? 'every Q value' : `its ${TOP_VALUES} largest Q values`}, largest first, of ${plural(table.actions.length, 'action', fmt(table.actions.length))}${opts.all ? '' : ' (--all lists every one)'}`);
  const listed = opts.trained ? greedy.filter((g) => g !== NO_GREEDY).length : greedy.length;
  if (opts.trained) lines.push(`--trained: the ${plural(listed, 'state', fmt(listed))} with a greedy action, of ${fmt(greedy.length)}`);
  lines.push('', listed > 0 ? tableText(table, greedy, opts.all === true, opts.trained === true) : '(no state has a greedy action yet)', '', `${neverUpdatedText(never)}: ${opts.trained ? 'left out (--trained)' : `no greedy action (${NONE})`}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export function qtableDiffCommand(runA: number, runB: number, opts: QTableDiffOptions): number {
  const [stray] = opts.strays ?? [];
  if (stray !== undefined) {
    const fix = stray === '--checkpoint' ? 'give --checkpoint-a or --checkpoint-b' : stray === '--output' ? 'redirect the output, or give --json for JSON' : 'leave it out (--json gives the comparison as JSON)';
    throw new UsageError(`${stray} is an option of \`aisle qtable <runId>\`, not of \`aisle qtable diff\`: ${fix}`);
  }
  const [a, b, envA, envB] = withStore(opts, (store) =>
    store.snapshot(() => {
      // One run alone is its first checkpoint against its last, as the screen shows a run picked alone (its latest against itself would say nothing).
      const alone = runA === runB && opts.checkpointA === undefined && opts.checkpointB === undefined;
      const readB = () => tableOf(store, opts, runB, opts.checkpointB, '--checkpoint-b', 'B');
      const last = alone ? readB() : undefined;
      const first = last ? [...last.checkpoints].sort((x, y) => x.episode - y.episode || x.id - y.id)[0]!.id : opts.checkpointA;
      const tables = [tableOf(store, opts, runA, first, '--checkpoint-a', 'A'), last ?? readB()] as const;
      // As the screen: a run's two checkpoints are of one environment; two runs are compared only when theirs are one.
      const env = (runId: number) => (runA === runB ? undefined : runFingerprint(store.getRun(runId)).id);
      return [...tables, env(runA), env(runB)] as const;
    }),
  );
  const cmp = compareTables(a, b, envA, envB);
  if (typeof cmp === 'string') throw new UsageError(cmp.replace(/\.$/, '')); // the screen's sentence, as a CLI line (no full stop)
  const agreeing = cmp.comparable - cmp.differing.length;
  if (opts.json) {
    const side = (t: QTable, never: typeof cmp.untouchedA) => ({ runId: t.runId, checkpointId: t.checkpointId, episode: t.episode, neverUpdated: never });
    printJson({
      a: side(a, cmp.untouchedA),
      b: side(b, cmp.untouchedB),
      states: a.states.length,
      actions: a.actions,
      comparable: cmp.comparable,
      agreeing,
      agreement: cmp.agreement,
      maxAbsDiff: cmp.maxAbsDiff,
      differing: cmp.differing.map((s) => ({ state: s, label: a.states[s], greedyA: cmp.greedyA[s], greedyB: cmp.greedyB[s], diff: cmp.diff[s] })),
    });
    return 0;
  }
  // The screen's words: its agreement line, the states without a greedy action (untouchedText), the largest |B − A|.
  const agreement =
    cmp.agreement === null
      ? 'No state has a greedy action in both tables'
      : `Greedy actions agree in ${agreementPercent(cmp)} % of the states where both tables have one (${fmt(agreeing)} of ${fmt(cmp.comparable)})`;
  const untouched = cmp.untouchedA.states > 0 || cmp.untouchedB.states > 0 ? `; ${untouchedText(cmp)}: no greedy action to compare` : '';
  const lines = [`A: ${checkpointText(a)}`, `B: ${checkpointText(b)}`, `${tableSizeText(a.states.length, a.actions.length)}`, `${agreement}${untouched}`, `largest |B − A|: ${fmt(cmp.maxAbsDiff)}`, ''];
  if (cmp.differing.length === 0) lines.push('The greedy action is the same in every state.');
  else {
    // B − A for every action, or (a shop's 1,000) at the two greedy actions; one number of decimals throughout.
    const cut = a.actions.length > TOP_VALUES + 1;
    const shown = (s: number) => (cut ? [cmp.greedyA[s]!, cmp.greedyB[s]!] : a.actions.map((_, i) => i));
    const texts = decimalsOfLargest(cmp.differing.flatMap((s) => shown(s).map((i) => cmp.diff[s]![i]!)), 3);
    let at = 0;
    const rows = cmp.differing.map((s) => [String(s), a.states[s]!, a.actions[cmp.greedyA[s]!]!, a.actions[cmp.greedyB[s]!]!, ...shown(s).map(() => texts[at++]!)]);
    const header = ['state', 'label', 'greedy A', 'greedy B', ...(cut ? ['B − A at greedy A', 'B − A at greedy B'] : a.actions)];
    lines.push(`${plural(cmp.differing.length, 'state', fmt(cmp.differing.length))} where the greedy actions differ, with B − A ${cut ? 'at their greedy actions' : 'for each action'}:`, fittedTable(header, rows, 2));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/**
 * The run's Q-table at `checkpointId` (its latest without), or a usage error naming the argument:
 * a run that does not exist, one without a Q-table (no-qtable.ts's reason, the fix in the CLI's
 * words), a checkpoint that is not one of its Q-table checkpoints. `side` ('A', 'B') starts a
 * diff's messages, as the screen's say which side they are about.
 */
function tableOf(store: Store, opts: GlobalOptions, runId: number, checkpointId: number | undefined, option: string, side?: string): QTable {
  const said = (message: string) => new UsageError(side === undefined ? message : `${side}: ${message}`);
  try {
    store.getRun(runId);
    const own = store.listCheckpoints(runId).filter((c) => c.kind === 'qtable');
    if (checkpointId !== undefined && !own.some((c) => c.id === checkpointId)) {
      if (own.length === 0) return readQTable(store, runId); // refused: why the run has no Q-table (below)
      const listed = own.map((c) => `${c.id} (${afterEpisodes(c.episode)})`).join(', ');
      throw new UsageError(`${option} ${checkpointId} is not one of run ${runId}'s Q-table checkpoints, which are ${listed}: give one of those, or leave ${option} out for the latest`);
    }
    return readQTable(store, runId, checkpointId);
  } catch (e) {
    // No Q-table: the app's words, its fix (the Policies screen) as the CLI gives it.
    if (e instanceof ContractFailure) throw said(e.message.replace('export or evaluate its policy on the Policies screen', `export its policy with \`${aisleCommand(opts, `export ${runId} -o policy.json`)}\`, then \`aisle eval policy.json\``));
    if (e instanceof NotFoundError && side !== undefined) throw said(e.message);
    throw e;
  }
}

/** "after 20 episodes", as the screen says a checkpoint's episode (stored from 0). */
function afterEpisodes(episode: number): string {
  return `after ${plural(episode + 1, 'episode', fmt(episode + 1))}`;
}

/** "run 3, checkpoint 12 (after 20 episodes)". */
function checkpointText(table: QTable): string {
  return `run ${table.runId}, checkpoint ${table.checkpointId} (${afterEpisodes(table.episode)})`;
}

/** The run's other Q-table checkpoints, a line for --checkpoint to pick from (none when there are none). */
function otherCheckpoints(table: QTable): string[] {
  const others = table.checkpoints.filter((c) => c.id !== table.checkpointId);
  return others.length === 0 ? [] : [`run ${table.runId}'s other Q-table checkpoints (--checkpoint): ${others.map((c) => `${c.id} (${afterEpisodes(c.episode)})`).join(', ')}`];
}

/**
 * The table as text: a row per state with its label, its values under the actions' names and its
 * greedy action; for many actions (a shop's 1,000) the values the screen's list shows of a state
 * (shownActions: the TOP_VALUES largest, largest first, or every one), "action: value" in one cell.
 * Every value with one number of decimals, enough to tell a greedy value from the rest (qValueColumnTexts).
 */
function tableText(table: QTable, greedy: readonly number[], all: boolean, trained: boolean): string {
  const states = table.q.flatMap((_, s) => (trained && greedy[s] === NO_GREEDY ? [] : [s]));
  const shown: ShownQRow[] = states.map((s) => ({ row: table.q[s]!, shown: shownActions(table.q[s]!, all), greedy: greedy[s]! }));
  const texts = qValueColumnTexts(shown);
  const greedyText = (s: number) => (greedy[s] === NO_GREEDY ? NONE : table.actions[greedy[s]!]!);
  if (table.actions.length > TOP_VALUES + 1) {
    const header = ['state', 'label', 'greedy', all ? 'Q values, largest first' : `Q values, top ${TOP_VALUES}`];
    const rows = shown.map(({ shown: actions }, i) => [String(states[i]), table.states[states[i]!]!, greedyText(states[i]!), actions.map((a, k) => `${table.actions[a]}: ${texts[i]![k]}`).join('  ')]);
    return fittedTable(header, rows, 3);
  }
  const rows = states.map((s, i) => [String(s), table.states[s]!, ...texts[i]!, greedyText(s)]);
  return fittedTable(['state', 'label', ...table.actions, 'greedy'], rows, 2);
}

/** The table as CSV: state, label, a column per action (each value as stored, to full precision), greedy (its action, empty where none). */
function tableCsv(table: QTable, greedy: readonly number[], trained: boolean): string {
  const lines = [['state', 'label', ...table.actions, 'greedy'].map(csvField).join(',')];
  table.q.forEach((row, s) => {
    if (!trained || greedy[s] !== NO_GREEDY) lines.push([String(s), csvField(table.states[s]!), ...row.map(String), greedy[s] === NO_GREEDY ? '' : csvField(table.actions[greedy[s]!]!)].join(','));
  });
  return `${lines.join('\n')}\n`;
}

/** A label as a CSV field (quoted when it holds a comma, a quote or a line break). */
function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole table for scripts: qtables.get's answer, each state's greedy action (null where none) and the never-updated count. */
function tableJson(table: QTable, greedy: readonly number[]) {
  return { ...table, greedy: greedy.map((g) => (g === NO_GREEDY ? null : g)), neverUpdated: tableNeverUpdated(table) };
}
