// A database's own texts (an experiment's name and description, a run's agent id, a policy's name)
// in the CLI's plain output: each is shown as a message quotes a file's text (engine/params'
// listedName, escapeControl), where it reached the terminal raw (an ESC sequence recolouring it,
// U+202E reversing the rest of the line, a line break splitting it) or whole (thousands of
// characters). A results file brings them in (the import refuses control characters in names and
// ids, not an id's length), and a database Aisle did not write may hold anything; --json gives them
// exact, as JSON escapes them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deleteExperimentsCommand, deleteRunsCommand } from '../../src/cli/delete';
import { experimentsCommand, runsCommand } from '../../src/cli/inspect';
import { policiesImportCommand, policiesListCommand, policiesShowCommand } from '../../src/cli/policies';
import { renameCommand } from '../../src/cli/rename';
import { Store } from '../../src/main/store';
import { aisle } from '../helpers/cli';
import { contextFreePolicy } from '../helpers/policy';
import { tempDir } from '../helpers/tmp';

const ESC = 'red\u001b[31mname';
const RLO = 'evil\u202Eeman';
const LONG = 'a'.repeat(5_000);

/** No raw control character (C0, C1, DEL, overrides, isolates) but the line breaks between lines, and no line near 5,000 characters. */
function safe(out: string): void {
  for (const line of out.split('\n')) {
    expect(line).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u);
    expect(line.length).toBeLessThan(400);
  }
}

afterEach(() => vi.restoreAllMocks());

/** What `command` writes on stdout. */
function stdoutOf(command: () => number): string {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => ((out += String(text)), true));
  expect(command()).toBe(0);
  vi.restoreAllMocks();
  return out;
}

/** A database holding one experiment of one run, named `name`, its agent's id `agent`. */
function database(name: string, agent: string): string {
  const db = join(tempDir(), 'aisle.db');
  const store = Store.open(db);
  const config = { env: { id: 'seed-toy' }, agent: { id: agent }, episodes: 5, seed: 0 };
  store.createExperimentWithRuns({ name, config: { name, ...config }, configHash: 'a'.repeat(64), runs: [{ seed: 0, config, configHash: 'b'.repeat(64), episodesTotal: 5, appVersion: 'test' }] });
  store.close();
  return db;
}

describe('aisle runs', () => {
  it('lists ordinary texts as before', () => {
    expect(stdoutOf(() => runsCommand({ db: database('cliff', 'q-learning') }))).toMatch(/^1 +1 cliff +q-learning +0 +interrupted/m);
  });

  it("cuts an agent id of 5,000 characters, as a message lists a file's names", () => {
    const out = stdoutOf(() => runsCommand({ db: database('cliff', LONG) }));
    safe(out);
    expect(out).toContain(`"${'a'.repeat(60)}"…`);
  });

  it.each([
    ['an ESC sequence', ESC, '\\u001b[31m'],
    ['U+202E', RLO, '\\u202e'],
  ])("escapes %s in an agent id and an experiment's name", (_what, text, shown) => {
    const out = stdoutOf(() => runsCommand({ db: database(text, text) }));
    safe(out);
    expect(out.match(new RegExp(shown.replace(/[\\[]/g, '\\$&'), 'g'))).toHaveLength(2);
  });
});

describe('aisle rename', () => {
  /** The output of renaming experiment 1 of a database whose experiment holds `description`. */
  function renamed(description: string, json = false): string {
    const db = join(tempDir(), 'aisle.db');
    const store = Store.open(db);
    const config = { env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 5, seed: 0 };
    store.createExperimentWithRuns({ name: 'cliff', config: { name: 'cliff', description, ...config }, configHash: 'a'.repeat(64), runs: [] });
    store.close();
    return stdoutOf(() => renameCommand(1, { db, name: 'cliff 2', json }));
  }

  it('prints an ordinary description as before', () => {
    expect(renamed('alpha 0.5')).toBe('experiment 1: cliff 2\nalpha 0.5\n');
  });

  it.each([
    ['an ESC sequence', ESC, '"red\\u001b[31mname"'],
    ['U+202E', RLO, '"evil\\u202eeman"'],
    ['a line break', 'two\nlines', '"two\\nlines"'],
    ['5,000 characters', LONG, `"${'a'.repeat(60)}"…`],
  ])('quotes a stored description holding %s, escaped and cut', (_what, text, shown) => {
    const out = renamed(text);
    safe(out);
    expect(out).toBe(`experiment 1: cliff 2\n${shown}\n`);
  });

  it('gives it exact with --json', () => {
    expect(JSON.parse(renamed(`${ESC}\n${LONG}`, true))).toEqual({ id: 1, name: 'cliff 2', description: `${ESC}\n${LONG}` });
  });
});

describe('aisle experiments', () => {
  it('lists an ordinary name as before', () => {
    expect(stdoutOf(() => experimentsCommand({ db: database('cliff', 'q-learning') }))).toMatch(/^1 +cliff +\d{4}-/m);
  });

  it.each([
    ['an ESC sequence', ESC, 'red\\u001b[31mname'],
    ['U+202E', RLO, 'evil\\u202eeman'],
  ])('escapes %s in a name', (_what, text, shown) => {
    const out = stdoutOf(() => experimentsCommand({ db: database(text, 'q-learning') }));
    safe(out);
    expect(out).toContain(`1   ${shown}`);
  });
});

describe('aisle policies: an imported policy named by its file', () => {
  /** A database into which a context-free policy without a name of its own was imported from a file named `name`. */
  function imported(name: string): { db: string; said: string } {
    const dir = tempDir();
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(contextFreePolicy({ actions: ['bags', 'hats'], values: [0.1, 0.3] })));
    const db = join(dir, 'aisle.db');
    Store.open(db).close(); // a --db the user gave is not made
    return { db, said: stdoutOf(() => policiesImportCommand(file, { db })) };
  }

  it('names an ordinary file as before', () => {
    const { db, said } = imported('p.json');
    expect(said).toMatch(/^stored policy 1 "p\.json" \(context-free/);
    expect(stdoutOf(() => policiesListCommand({ db }))).toMatch(/^1 +p\.json +context-free/m);
    expect(stdoutOf(() => policiesShowCommand(1, { db }))).toMatch(/^name +p\.json$/m);
  });

  it.each([
    ['an ESC sequence', `${ESC}.json`, 'red\\u001b[31m'],
    ['U+202E', `${RLO}.json`, 'evil\\u202e'],
  ])('escapes %s in its name: stored, listed (cut to fit) and shown', (_what, name, shown) => {
    const { db, said } = imported(name);
    for (const out of [said, stdoutOf(() => policiesListCommand({ db })), stdoutOf(() => policiesShowCommand(1, { db }))]) {
      safe(out);
      expect(out).toContain(shown);
    }
  });
});

describe('aisle delete and aisle results export: the experiments they name', () => {
  /** What `command` writes on stdout before it stops to be confirmed (no --yes). */
  function unconfirmed(command: () => number): string {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => ((out += String(text)), true));
    expect(command).toThrow('nothing deleted: add --yes to delete');
    vi.restoreAllMocks();
    return out;
  }

  it('quote an ordinary name as before', () => {
    const db = database('cliff', 'q-learning');
    expect(unconfirmed(() => deleteExperimentsCommand([1], { db }))).toBe('would delete experiment 1 "cliff" and its 1 run (1)\n');
    expect(unconfirmed(() => deleteRunsCommand([1], { db }))).toMatch(/^ {2}run 1: experiment 1 "cliff", seed 0, /m);
  });

  it.each([
    ['U+202E', RLO, '"evil\\u202eeman"'],
    ['a C1 control', 'one\u009btwo', '"one\\u009btwo"'],
  ])('quote a name holding %s escaped, which JSON.stringify left', (_what, name, shown) => {
    const db = database(name, 'q-learning');
    for (const out of [unconfirmed(() => deleteExperimentsCommand([1], { db })), unconfirmed(() => deleteRunsCommand([1], { db }))]) {
      safe(out);
      expect(out).toContain(`experiment 1 ${shown}`);
    }
    // The export checks each stored config, its name too: the name's column alone holds it, as another tool may write it.
    const valid = join(tempDir(), 'aisle.db');
    const store = Store.open(valid);
    const config = { env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 5, seed: 0 };
    store.createExperimentWithRuns({ name, config: { format: 'aisle.experiment/v1', name: 'cliff', env: config.env, agent: config.agent, episodes: 5, seeds: 1 }, configHash: 'a'.repeat(64), runs: [{ seed: 0, config, configHash: 'b'.repeat(64), episodesTotal: 5, appVersion: 'test' }] });
    store.close();
    const exported = aisle(['results', 'export', '1', '-o', join(tempDir(), 'x.aisle-results')], { db: valid });
    expect(exported.code, exported.stderr).toBe(0);
    safe(exported.stdout);
    expect(exported.stdout).toContain(`  experiment 1 ${shown}: 1 run, `);
  });
});
