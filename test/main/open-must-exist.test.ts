// openDatabase's mustExist, which the CLI's reading commands open with: a file that went missing
// after they looked for it is an error, and neither it nor its folder is made.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, Store } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

describe('openDatabase with mustExist', () => {
  it('refuses a missing file with SQLITE_CANTOPEN and makes nothing', () => {
    const dir = tempDir();
    for (const file of [join(dir, 'gone.db'), join(dir, 'sub', 'gone.db')]) {
      expect(() => openDatabase(file, { mustExist: true })).toThrow(expect.objectContaining({ code: 'SQLITE_CANTOPEN' }) as Error);
      expect(() => Store.open(file, { reader: true, mustExist: true })).toThrow(expect.objectContaining({ code: 'SQLITE_CANTOPEN' }) as Error);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names a missing folder, where better-sqlite3 threw a TypeError naming no path', () => {
    const dir = tempDir();
    expect(() => openDatabase(join(dir, 'sub', 'gone.db'), { mustExist: true })).toThrow(`unable to open database file: its folder ${join(dir, 'sub')} does not exist`);
  });

  it('opens an in-memory database all the same: there is no file to look for', () => {
    for (const file of [':memory:', '']) {
      const db = openDatabase(file, { mustExist: true });
      try {
        expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'runs'").pluck().get()).toBe(1);
      } finally {
        db.close();
      }
    }
  });

  it('opens one that exists as ever (migrated, WAL)', () => {
    const dir = tempDir();
    const file = join(dir, 'lab.db');
    Store.open(file).close();
    const db = openDatabase(file, { mustExist: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'runs'").pluck().get()).toBe(1);
    } finally {
      db.close();
    }
    expect(existsSync(file)).toBe(true);
  });
});
