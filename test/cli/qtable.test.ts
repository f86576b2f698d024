// `aisle qtable` and `aisle qtable diff`: a run's Q-table and two compared, as the Q-tables screen
// shows them. Every printed value, greedy action and count is checked against the checkpoints read
// here straight from SQLite (their float64 blobs), and the comparison against a count made here.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { aisle, ROOT, type CliResult } from '../helpers/cli';

const CLIFF = JSON.parse(readFileSync(join(ROOT, 'resources/experiments/cliff.mdp.json'), 'utf8')) as { states: string[]; actions: string[] };
const GOAL = 47; // the cliff's one terminal state
const WIDE = { COLUMNS: '1000' };

interface Stored {
  id: number;
  episode: number;
  states: number;
  actions: number;
  q: number[][];
}

let dir: string;
let db: string;
/** Run ids by what they are. */
const runs: Record<'cliffA' | 'cliffB' | 'toy48' | 'toy4' | 'random' | 'ppo' | 'shop' | 'queued', number> = {} as never;

/** Trains `experiment` (one seed unless it says) and returns its runs' ids. */
function train(name: string, experiment: Record<string, unknown>): number[] {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name, episodes: 20, seeds: 1, ...experiment }));
  const r = aisle(['run', file, '--json'], { db });
  if (r.code !== 0) throw new Error(`aisle run ${name} failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { runs: { runId: number }[] }).runs.map((x) => x.runId);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aisle-qtable-'));
  db = join(dir, 'a.db');
  const cliffEnv = { id: 'tabular-mdp', mdp: join(ROOT, 'resources/experiments/cliff.mdp.json'), maxSteps: 200 };
  [runs.cliffA, runs.cliffB] = train('cliff', { env: cliffEnv, agent: { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1 }, seeds: 2, checkpoints: 3 }) as [number, number];
  // The cliff's shape (48 × 4) in another environment, and another shape.
  [runs.toy48] = train('toy48', { env: { id: 'seed-toy', states: 48, actions: 4 }, agent: { id: 'q-learning' }, episodes: 3 }) as [number];
  [runs.toy4] = train('toy4', { env: { id: 'seed-toy', states: 4, actions: 3 }, agent: { id: 'q-learning' }, episodes: 3 }) as [number];
  [runs.random] = train('random', { env: { id: 'seed-toy', states: 4, actions: 3 }, agent: { id: 'random' }, episodes: 3 }) as [number];
  [runs.ppo] = train('ppo', { env: { id: 'seed-toy', states: 4, actions: 3 }, agent: { id: 'ppo' }, episodes: 3 }) as [number];
  // 12 actions: more than the screen lists of a state before "all values".
  [runs.shop] = train('shop', { env: { id: 'shop', items: 12, categories: 3, segments: 1, maxSteps: 10 }, agent: { id: 'q-learning' }, episodes: 30 }) as [number];
  // A tabular run that has stored no checkpoint yet.
  const store = Store.open(db);
  const config = { env: { id: 'seed-toy', states: 4, actions: 3 }, agent: { id: 'q-learning' }, episodes: 5 };
  runs.queued = store.createExperimentWithRuns({ name: 'queued', config, configHash: 'b'.repeat(64), runs: [{ seed: 0, config, configHash: 'b'.repeat(64), appVersion: 'test', episodesTotal: 5 }] }).runs[0]!.id;
  store.close();
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The run's Q-table checkpoints, by episode, with their values: read from the table, not through Aisle's code. */
function stored(runId: number): Stored[] {
  const sql = new Database(db, { readonly: true });
  try {
    const rows = sql.prepare("SELECT id, episode, shape, data FROM checkpoints WHERE run_id = ? AND kind = 'qtable' ORDER BY episode, id").all(runId) as { id: number; episode: number; shape: string; data: Buffer }[];
    return rows.map(({ id, episode, shape, data }) => {
      const [states, actions] = JSON.parse(shape) as [number, number];
      const values = new Float64Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
      return { id, episode, states, actions, q: Array.from({ length: states }, (_, s) => Array.from(values.subarray(s * actions, (s + 1) * actions))) };
    });
  } finally {
    sql.close();
  }
}

/** The first largest action, or -1 when every action holds one value (no greedy action). */
function firstLargest(row: readonly number[]): number {
  if (row.every((v) => v === row[0])) return -1;
  return row.indexOf(Math.max(...row));
}

/** States other than the goal whose actions all hold one value. */
function untouched(q: readonly number[][]): number {
  return q.filter((row, s) => s !== GOAL && firstLargest(row) === -1).length;
}

/** A printed table's rows (between its rule and the blank line after it), cells split at 2 spaces or more. */
function tableRows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const rule = lines.findIndex((l) => l.startsWith('─'));
  const end = lines.indexOf('', rule);
  return lines.slice(rule + 1, end).map((l) => l.trim().split(/ {2,}/));
}

/** The printed text of a value within half its last printed digit of the stored one. */
function expectPrinted(text: string, value: number): void {
  const decimals = text.split('.')[1]?.length ?? 0;
  expect(Math.abs(Number(text.replace('−', '-')) - value), `${text} for ${value}`).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

/** A refusal: exit 2, one line on stderr, nothing on stdout. */
function expectRefused(r: CliResult, line: string | RegExp): void {
  expect(r.code, r.stdout).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
}

describe('aisle qtable <runId>', () => {
  it("prints the latest checkpoint's values, greedy actions and never-updated count as stored", () => {
    const checkpoints = stored(runs.cliffA);
    expect(checkpoints.length).toBeGreaterThan(1);
    const last = checkpoints[checkpoints.length - 1]!;
    const r = aisle(['qtable', String(runs.cliffA)], { db, env: WIDE });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`run ${runs.cliffA}, checkpoint ${last.id} (after ${last.episode + 1} episodes): 48 states × 4 actions`);
    expect(lines[1]).toBe(`run ${runs.cliffA}'s other Q-table checkpoints (--checkpoint): ${checkpoints.slice(0, -1).map((c) => `${c.id} (after ${c.episode + 1} episodes)`).join(', ')}`);
    expect(lines[3]!.split(/ {2,}/)).toEqual(['state', 'label', ...CLIFF.actions, 'greedy']);
    const rows = tableRows(r.stdout);
    expect(rows).toHaveLength(48);
    let greedyStates = 0;
    rows.forEach((cells, s) => {
      const row = last.q[s]!;
      expect(cells.slice(0, 2)).toEqual([String(s), CLIFF.states[s]]);
      cells.slice(2, 6).forEach((text, a) => expectPrinted(text, row[a]!));
      const g = firstLargest(row);
      expect(cells[6]).toBe(g === -1 ? '–' : CLIFF.actions[g]);
      if (g !== -1) greedyStates++;
    });
    // Ties are real here (a cliff row of -7 and -7.08… reads its first largest), and so are states never reached.
    expect(greedyStates).toBeGreaterThan(0);
    const never = untouched(last.q);
    expect(never).toBeGreaterThan(0);
    expect(lines[lines.length - 2]).toBe(
      `${never} of 47 states have every action at one value (never reached in training, or no action came out ahead), not counting the terminal state, which training never updates: no greedy action (–)`,
    );
  });

  it('--checkpoint picks an earlier one; --csv gives every value as stored; -o writes the same CSV; --json the whole table', () => {
    const [first] = stored(runs.cliffA);
    const r = aisle(['qtable', String(runs.cliffA), '--checkpoint', String(first!.id)], { db, env: WIDE });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`run ${runs.cliffA}, checkpoint ${first!.id} (after ${first!.episode + 1} episodes): 48 states × 4 actions`);
    tableRows(r.stdout).forEach((cells, s) => cells.slice(2, 6).forEach((text, a) => expectPrinted(text, first!.q[s]![a]!)));

    const csv = aisle(['qtable', String(runs.cliffA), '--checkpoint', String(first!.id), '--csv'], { db });
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...body] = csv.stdout.trimEnd().split('\n');
    expect(header).toBe(`state,label,${CLIFF.actions.join(',')},greedy`);
    expect(body).toHaveLength(48);
    body.forEach((line, s) => {
      const cells = line.split(',');
      expect(cells.slice(0, 2)).toEqual([String(s), CLIFF.states[s]]);
      expect(cells.slice(2, 6).map(Number)).toEqual(first!.q[s]); // exact: the shortest text of each double
      const g = firstLargest(first!.q[s]!);
      expect(cells[6]).toBe(g === -1 ? '' : CLIFF.actions[g]);
    });

    const file = join(dir, 'first.csv');
    const written = aisle(['qtable', String(runs.cliffA), '--checkpoint', String(first!.id), '-o', file], { db });
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe(`wrote ${file}: 48 states × 4 actions, run ${runs.cliffA}, checkpoint ${first!.id} (after ${first!.episode + 1} episodes)\n`);
    expect(readFileSync(file, 'utf8')).toBe(csv.stdout);

    const json = aisle(['qtable', String(runs.cliffA), '--json'], { db });
    expect(json.code, json.stderr).toBe(0);
    const last = stored(runs.cliffA).at(-1)!;
    const table = JSON.parse(json.stdout) as { checkpointId: number; episode: number; states: string[]; actions: string[]; q: number[][]; greedy: (number | null)[]; neverUpdated: { states: number; of: number; terminal: number }; terminal: number[] };
    expect(table).toMatchObject({ checkpointId: last.id, episode: last.episode, states: CLIFF.states, actions: CLIFF.actions, q: last.q, terminal: [GOAL] });
    expect(table.greedy).toEqual(last.q.map((row) => (firstLargest(row) === -1 ? null : firstLargest(row))));
    expect(table.neverUpdated).toEqual({ states: untouched(last.q), of: 47, terminal: 1 });
  });

  it("lists a state's 5 largest values of many actions, largest first, and every one with --all", () => {
    const last = stored(runs.shop).at(-1)!;
    expect(last.actions).toBe(12);
    for (const all of [false, true]) {
      const r = aisle(['qtable', String(runs.shop), ...(all ? ['--all'] : [])], { db, env: WIDE });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(all ? 'each state lists every Q value, largest first, of 12 actions' : 'each state lists its 5 largest Q values, largest first, of 12 actions (--all lists every one)');
      const rows = tableRows(r.stdout);
      expect(rows).toHaveLength(last.states);
      let updated = 0;
      rows.forEach((cells, s) => {
        const row = last.q[s]!;
        // Largest first, ties in the table's order: the greedy action leads.
        const ranked = row.map((_, a) => a).sort((x, y) => row[y]! - row[x]! || x - y);
        const values = cells.slice(3).join('  ').split('  ');
        expect(values).toHaveLength(all ? 12 : 5);
        values.forEach((pair, k) => {
          const [label, text] = pair.split(': ');
          expect(label).toBe(`i${ranked[k]}`);
          expectPrinted(text!, row[ranked[k]!]!);
        });
        const g = firstLargest(row);
        expect(cells[2]).toBe(g === -1 ? '–' : `i${g}`);
        if (g !== -1) updated++;
      });
      expect(updated).toBeGreaterThan(0);
    }
  });

  it('--trained lists only the states with a greedy action, in the text and the CSV', () => {
    const last = stored(runs.shop).at(-1)!;
    const kept = last.q.flatMap((row, s) => (firstLargest(row) === -1 ? [] : [s]));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(last.states);
    const r = aisle(['qtable', String(runs.shop), '--trained'], { db, env: WIDE });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`--trained: the ${kept.length} states with a greedy action, of ${last.states}`);
    expect(tableRows(r.stdout).map((cells) => Number(cells[0]))).toEqual(kept);
    expect(r.stdout).toMatch(/: left out \(--trained\)\n$/);
    const csv = aisle(['qtable', String(runs.shop), '--trained', '--csv'], { db });
    expect(csv.stdout.trimEnd().split('\n').slice(1).map((line) => Number(line.split(',')[0]))).toEqual(kept);
    const both = aisle(['qtable', String(runs.shop), '--trained', '--json'], { db });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^aisle: --trained and --json: give one of them/);
  });
});

describe('aisle qtable diff <runA> <runB>', () => {
  it("gives the agreement of the greedy actions, the differing states with B − A and the largest |B − A|, as counted here", () => {
    const a = stored(runs.cliffA).at(-1)!;
    const b = stored(runs.cliffB).at(-1)!;
    const greedyA = a.q.map(firstLargest);
    const greedyB = b.q.map(firstLargest);
    const comparable = greedyA.map((g, s) => s).filter((s) => greedyA[s] !== -1 && greedyB[s] !== -1);
    const differing = comparable.filter((s) => greedyA[s] !== greedyB[s]);
    const maxAbs = Math.max(...b.q.flatMap((row, s) => row.map((v, i) => Math.abs(v - a.q[s]![i]!))));
    expect(differing.length).toBeGreaterThan(0);
    expect(differing.length).toBeLessThan(comparable.length);

    const r = aisle(['qtable', 'diff', String(runs.cliffA), String(runs.cliffB)], { db, env: WIDE });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`A: run ${runs.cliffA}, checkpoint ${a.id} (after ${a.episode + 1} episodes)`);
    expect(lines[1]).toBe(`B: run ${runs.cliffB}, checkpoint ${b.id} (after ${b.episode + 1} episodes)`);
    const agree = comparable.length - differing.length;
    const percent = ((100 * agree) / comparable.length).toFixed(1).replace(/\.0$/, '');
    expect(lines[3]).toMatch(new RegExp(`^Greedy actions agree in ${percent.replace('.', '\\.')} % of the states where both tables have one \\(${agree} of ${comparable.length}\\)`));
    const [ua, ub] = [untouched(a.q), untouched(b.q)];
    expect(lines[3]).toContain(ua === ub ? `; ${ua} of 47 states with every action at one value in A, ${ub} in B, not counting the terminal state` : `${ua} of 47 states with every action at one value in A, ${ub} in B`);
    expect(lines[4]).toMatch(/^largest \|B − A\|: /);
    expectPrinted(lines[4]!.replace('largest |B − A|: ', '').replace(/,/g, ''), maxAbs);
    expect(r.stdout).toContain(`${differing.length} states where the greedy actions differ, with B − A for each action:`);
    const rows = tableRows(r.stdout);
    expect(rows.map((cells) => Number(cells[0]))).toEqual(differing);
    rows.forEach((cells) => {
      const s = Number(cells[0]);
      expect(cells.slice(1, 4)).toEqual([CLIFF.states[s], CLIFF.actions[greedyA[s]!], CLIFF.actions[greedyB[s]!]]);
      cells.slice(4).forEach((text, i) => expectPrinted(text, b.q[s]![i]! - a.q[s]![i]!));
    });

    const json = aisle(['qtable', 'diff', String(runs.cliffA), String(runs.cliffB), '--json'], { db });
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as { comparable: number; agreeing: number; agreement: number; maxAbsDiff: number; differing: { state: number; greedyA: number; greedyB: number; diff: number[] }[] };
    expect(out).toMatchObject({ comparable: comparable.length, agreeing: agree, agreement: (100 * agree) / comparable.length, maxAbsDiff: maxAbs });
    expect(out.differing).toEqual(differing.map((s) => ({ state: s, label: CLIFF.states[s], greedyA: greedyA[s], greedyB: greedyB[s], diff: b.q[s]!.map((v, i) => v - a.q[s]![i]!) })));
  });

  it("compares one run's first checkpoint with its last, as the screen shows a run alone, or those --checkpoint-a and -b name", () => {
    const [first, second, ...rest] = stored(runs.cliffA);
    const last = rest.at(-1)!;
    const alone = aisle(['qtable', 'diff', String(runs.cliffA), String(runs.cliffA), '--json'], { db });
    expect(alone.code, alone.stderr).toBe(0);
    const both = JSON.parse(alone.stdout) as { a: { checkpointId: number }; b: { checkpointId: number } };
    expect([both.a.checkpointId, both.b.checkpointId]).toEqual([first!.id, last.id]);
    const named = aisle(['qtable', 'diff', String(runs.cliffA), String(runs.cliffA), '--checkpoint-a', String(second!.id), '--checkpoint-b', String(first!.id), '--json'], { db });
    expect(named.code, named.stderr).toBe(0);
    const picked = JSON.parse(named.stdout) as { a: { checkpointId: number }; b: { checkpointId: number } };
    expect([picked.a.checkpointId, picked.b.checkpointId]).toEqual([second!.id, first!.id]);
    const r = aisle(['qtable', 'diff', String(runs.cliffA), String(runs.cliffA), '--checkpoint-a', String(first!.id), '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { a: { checkpointId: number }; b: { checkpointId: number }; comparable: number };
    expect([out.a.checkpointId, out.b.checkpointId]).toEqual([first!.id, last.id]);
    expect(out.comparable).toBe(first!.q.filter((row, s) => firstLargest(row) !== -1 && firstLargest(last.q[s]!) !== -1).length);
  });

  it("refuses, as the screen does, tables of different shapes or environments: exit 2", () => {
    expectRefused(
      aisle(['qtable', 'diff', String(runs.cliffA), String(runs.toy4)], { db }),
      'aisle: The tables have different shapes (48 × 4 and 4 × 3): pick runs of the same environment to diff them',
    );
    expectRefused(
      aisle(['qtable', 'diff', String(runs.cliffA), String(runs.toy48)], { db }),
      'aisle: The tables are of different environments (tabular-mdp and seed-toy): pick runs of the same environment to diff them',
    );
    const json = aisle(['qtable', 'diff', String(runs.toy48), String(runs.cliffA), '--json'], { db });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: { exitCode: 2, problems: ['The tables are of different environments (seed-toy and tabular-mdp): pick runs of the same environment to diff them'] } });
  });
});

describe('aisle qtable: bad input, one line naming it and the fix, exit 2', () => {
  it('refuses an unknown run, a run without a Q-table, and a checkpoint not among the run\'s', () => {
    expectRefused(aisle(['qtable', '999'], { db }), 'aisle: run 999 does not exist: list runs with `aisle runs`');
    expectRefused(aisle(['qtable', 'diff', String(runs.cliffA), '999'], { db }), 'aisle: B: run 999 does not exist: list runs with `aisle runs`');
    expectRefused(aisle(['qtable', String(runs.random)], { db }), `aisle: run ${runs.random} has no Q-table: its agent (random) is a baseline that learns no values: pick a run of a tabular agent`);
    expectRefused(
      aisle(['qtable', String(runs.ppo)], { db }),
      `aisle: run ${runs.ppo} has no Q-table: PPO learns a network; export its policy with \`aisle --db ${db} export ${runs.ppo} -o policy.json\`, then \`aisle eval policy.json\``,
    );
    expectRefused(aisle(['qtable', 'diff', String(runs.cliffA), String(runs.random)], { db }), /^aisle: B: run \d+ has no Q-table: its agent \(random\) is a baseline/);
    expectRefused(aisle(['qtable', String(runs.queued)], { db }), new RegExp(`^aisle: run ${runs.queued} has no Q-table .*a tabular agent saves one at its checkpoints and at the end$`));
    // Another run's checkpoint, and one that does not exist.
    const own = stored(runs.cliffA);
    const listed = own.map((c) => `${c.id} (after ${c.episode + 1} episodes)`).join(', ');
    const other = stored(runs.cliffB)[0]!.id;
    for (const id of [other, 99_999]) {
      expectRefused(
        aisle(['qtable', String(runs.cliffA), '--checkpoint', String(id)], { db }),
        `aisle: --checkpoint ${id} is not one of run ${runs.cliffA}'s Q-table checkpoints, which are ${listed}: give one of those, or leave --checkpoint out for the latest`,
      );
    }
    expectRefused(aisle(['qtable', 'diff', String(runs.cliffB), String(runs.cliffA), '--checkpoint-b', String(other)], { db }), new RegExp(`^aisle: --checkpoint-b ${other} is not one of run ${runs.cliffA}'s Q-table checkpoints`));
    // `aisle qtable`'s own options after `diff`, which commander would read and diff ignore.
    expectRefused(
      aisle(['qtable', 'diff', String(runs.cliffA), String(runs.cliffB), '--checkpoint', String(own[0]!.id)], { db }),
      'aisle: --checkpoint is an option of `aisle qtable <runId>`, not of `aisle qtable diff`: give --checkpoint-a or --checkpoint-b',
    );
    expectRefused(aisle(['qtable', 'diff', String(runs.cliffA), String(runs.cliffB), '--csv'], { db }), /^aisle: --csv is an option of `aisle qtable <runId>`, not of `aisle qtable diff`/);
    // A mistyped command is named as one, with or without its arguments, not as a bad run id or as too many arguments.
    for (const args of [['dif'], ['dif', '2'], ['dif', '2', '3']]) {
      const r = aisle(['qtable', ...args], { db });
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe("aisle: unknown command 'dif' of aisle qtable: its command is diff (aisle qtable diff <runA> <runB>); to show a run's table, give its id (see aisle runs)");
    }
    expectRefused(aisle(['qtable', String(runs.cliffA), String(runs.cliffB)], { db }), `aisle: too many arguments for 'qtable': it takes one run id, got 2 (${runs.cliffA} ${runs.cliffB}); to compare two runs' tables: aisle qtable diff <runA> <runB>`);
    expect(aisle(['qtable', 'diff', '1', '2', '3'], { db })).toMatchObject({ code: 2, stderr: expect.stringMatching(/^aisle: too many arguments for 'diff'/) });
    // With --json a script gets the refusal on stdout too, as every command gives it.
    const both = aisle(['qtable', String(runs.cliffA), '--csv', '--json'], { db });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^aisle: --csv and --json: give one of them/);
    expect(JSON.parse(both.stdout)).toMatchObject({ error: { exitCode: 2 } });
  });
});
