// A config edited by hand in the database (alpha set to 5 in an experiment's row) was read as it was
// by aisle show, compare, export and results export, which showed, compared, exported and carried
// it on as if its runs had trained on it; only `aisle check` (by its hash) and `aisle again` (by its
// fields) refused it. These commands now check the stored config as `again` does and refuse it in
// one line naming the experiment or run and the field, exit 2, nothing written.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { aisle, seedToyExperiment } from '../helpers/cli';

const CHANGED = 'it was changed after it was stored (the database edited by hand, or damaged): restore the database from a backup';

/** A database with experiment 1 of two runs (seeds 0 and 1), trained, in `dir`. */
function trained(): { dir: string; db: string } {
  const { dir, db, file } = seedToyExperiment('toy', 2, 2);
  const r = aisle(['run', file], { db });
  expect(r.code, r.stderr).toBe(0);
  return { dir, db };
}

/** Edits a stored config as a hand with a SQLite tool would. */
function edit(db: string, table: 'experiments' | 'runs', id: number, change: (config: Record<string, Record<string, unknown>>) => void): void {
  const d = new Database(db);
  try {
    const row = d.prepare<[number], { config: string }>(`SELECT config FROM ${table} WHERE id = ?`).get(id)!;
    const config = JSON.parse(row.config) as Record<string, Record<string, unknown>>;
    change(config);
    d.prepare(`UPDATE ${table} SET config = ? WHERE id = ?`).run(JSON.stringify(config), id);
  } finally {
    d.close();
  }
}

const policyCount = (db: string): number => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare<[], { n: number }>('SELECT count(*) AS n FROM policies').get()!.n;
  } finally {
    d.close();
  }
};

describe('a stored config edited by hand', () => {
  it("an experiment's: refused by show, compare, export and results export, naming the experiment and the field; nothing written", () => {
    const { dir, db } = trained();
    edit(db, 'experiments', 1, (c) => (c.agent!.alpha = 5));
    const said = `aisle: experiment 1's stored config: agent.alpha: must be a number in (0, 1], got 5; ${CHANGED}\n`;
    for (const args of [['show', '1'], ['compare', '1'], ['compare', '--runs', '1', '2'], ['export', '2', '-o', join(dir, 'p.json')], ['results', 'export', '1', '-o', join(dir, 'r.aisle-results')]]) {
      const r = aisle(args, { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(said);
      expect(r.stdout).toBe('');
    }
    expect(readdirSync(dir).filter((f) => !f.startsWith('a.db'))).toEqual(['toy.json']); // no p.json, no results file
    expect(policyCount(db)).toBe(0);
    // As `aisle again` says it: the same field, the same words, with what again can do about it.
    expect(aisle(['again', '1'], { db }).stderr).toBe(
      'aisle: experiment 1: agent.alpha: must be a number in (0, 1], got 5; it was changed after it was stored (the database edited by hand, or damaged): ' +
        `give the field a value with \`aisle --db ${db} again 1 --set agent.alpha=<value>\`, launch the experiment from its file with \`aisle run <experiment.json>\`, or restore the database from a backup\n`,
    );
  });

  it("a run's own: refused naming the run, while its experiment's other run still shows", () => {
    const { dir, db } = trained();
    edit(db, 'runs', 2, (c) => (c.env!.states = 0));
    const r = aisle(['show', '2'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^aisle: run 2's stored config: env\\.states: [^\\n]*; ${CHANGED.replace(/[()]/g, '\\$&')}\\n$`));
    for (const args of [['compare', '1'], ['export', '2', '-o', join(dir, 'p.json')], ['results', 'export', '1', '-o', join(dir, 'r.aisle-results')]]) {
      const refused = aisle(args, { db });
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr, args.join(' ')).toBe(r.stderr);
    }
    expect(aisle(['show', '1'], { db }).code).toBe(0);
    expect(aisle(['export', '1', '-o', join(dir, 'p.json')], { db }).code).toBe(0);
    expect(existsSync(join(dir, 'r.aisle-results'))).toBe(false);
  });
});
