// `aisle compare` labels its groups with their experiments' names, a database's texts: one Aisle did
// not check (or a name edited outside it) may hold control characters, which the table printed raw,
// so an ESC sequence recoloured it, U+202E reversed a row and a line break split it. compareText now
// escapes the labels (engine/params' escapeControl) before laying them out, and the sentences too.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compareCommand } from '../../src/cli/compare';
import { aisle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

afterEach(() => vi.restoreAllMocks());

/** Any control character a terminal acts on: C0, C1, DEL, the bidirectional overrides and isolates. */
const CONTROL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** What `aisle compare 1 2` (--markdown) prints on stdout. */
function compared(db: string, markdown = false): string {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => ((out += String(text)), true));
  expect(compareCommand([1, 2], { db, markdown })).toBe(0);
  vi.restoreAllMocks();
  return out;
}

describe('aisle compare of experiments whose stored names hold control characters', () => {
  it('escapes them in the groups table and the Markdown report', () => {
    const dir = tempDir();
    const db = join(dir, 'aisle.db');
    for (const [name, alpha] of [['one', 0.1], ['two', 0.5]] as const) {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name, env: { id: 'seed-toy' }, agent: { id: 'q-learning', alpha }, episodes: 30, seeds: 2 }));
      const r = aisle(['run', file, '--json'], { db });
      expect(r.code, r.stderr).toBe(0);
    }
    // As a database Aisle did not check holds it: the name's column written by another tool (the config, which compare checks, as stored).
    const sqlite = new Database(db);
    sqlite.prepare('UPDATE experiments SET name = ? WHERE id = 1').run('one\u001b[31mred\u202Eevil\nsplit');
    sqlite.close();
    const out = compared(db);
    expect(out.replace(/\n/g, ' ')).not.toMatch(CONTROL); // the output's own line breaks aside
    expect(out).toMatch(/^A {2}one\\u001b\[31mred\\u202eevil\\u000asplit · q-learning$/m);
    expect(out).toMatch(/^B {2}two · q-learning$/m);
    // The Markdown report names the experiments and labels the groups alike: escaped, its table's row one line.
    const markdown = compared(db, true);
    expect(markdown.replace(/\n/g, ' ')).not.toMatch(CONTROL);
    // Markdown's own escapes (a backslash doubled, a bracket escaped) on top: it renders as one\u001b[31m….
    expect(markdown).toContain('“one\\\\u001b\\[31mred\\\\u202eevil\\\\u000asplit”');
    expect(markdown).toMatch(/^\| A · one\\\\u001b\\\[31mred\\\\u202eevil\\\\u000asplit · q-learning \| 2 \|/m);
  });
});
