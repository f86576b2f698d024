// OwnImports (src/main/service/own-imports.ts): a write held up by the app's own import waits for
// it and is made then, without stopping the thread for the busy timeout; one held up past the
// wait is refused naming the import; a write another process holds up is left as it was; a read
// (wrapped too, as every command is) does not wait on an import.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OwnImports } from '../../src/main/service/own-imports';
import { ContractFailure } from '../../src/shared/dispatch';
import { tempDir } from '../helpers/tmp';

let db: Database.Database;
let importer: Database.Database;
beforeEach(() => {
  const file = join(tempDir(), 'own.db');
  db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 1000');
  db.exec('CREATE TABLE notes (text TEXT)');
  importer = new Database(file);
});
afterEach(() => {
  if (importer.inTransaction) importer.exec('ROLLBACK');
  importer.close();
  db.close();
});

const withoutWaiting = <T>(fn: () => T): T => {
  db.pragma('busy_timeout = 0');
  try {
    return fn();
  } finally {
    db.pragma('busy_timeout = 1000');
  }
};

/** An import that holds the write lock until `end` is called, then commits. */
function heldImport(): { done: Promise<string>; end: () => void } {
  importer.exec('BEGIN IMMEDIATE');
  let end = () => {};
  const done = new Promise<string>((resolve) => {
    end = () => {
      importer.exec('COMMIT');
      resolve('imported');
    };
  });
  return { done, end };
}

describe('OwnImports', () => {
  it('names the import under way, and makes a write it held up once it ends, without waiting out the busy timeout first', async () => {
    const imports = new OwnImports(withoutWaiting);
    const held = heldImport();
    const importing = imports.run('night.aisle-results', () => held.done);
    expect(imports.writer()).toBe('this app is importing results (night.aisle-results)');
    let tries = 0;
    const started = performance.now();
    const writing = imports.waitingForImports(() => {
      tries++;
      return db.prepare("INSERT INTO notes VALUES ('launched')").run().changes;
    });
    // The first try failed at once (no busy timeout): the thread was free again within it.
    expect(performance.now() - started).toBeLessThan(500);
    expect(tries).toBe(1);
    setTimeout(held.end, 50);
    expect(await writing).toBe(1);
    expect(tries).toBe(2);
    expect(await importing).toBe('imported');
    expect(imports.writer()).toBeNull();
  });

  it('refuses a write still held up after the wait, naming the import; one another process holds up stays Busy', async () => {
    const imports = new OwnImports(withoutWaiting, 100);
    const held = heldImport();
    void imports.run('large.aisle-results', () => held.done);
    const refused = await imports.waitingForImports(() => db.prepare("INSERT INTO notes VALUES ('late')").run()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ContractFailure);
    expect(refused).toMatchObject({ status: 503, message: 'this app is importing results (large.aisle-results), which holds the database: try again when it has finished' });
    held.end();
    await Promise.resolve();
    // No import now: another process's lock is SQLite's Busy, left for the contract to word.
    importer.exec('BEGIN IMMEDIATE');
    db.pragma('busy_timeout = 0');
    const busy = await imports.waitingForImports(() => db.prepare("INSERT INTO notes VALUES ('other')").run()).catch((e: unknown) => e);
    expect(busy).toMatchObject({ code: 'SQLITE_BUSY' });
    expect(db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(0);
  });

  it('answers a read while an import holds the write lock, at once and from what was committed, without waiting for the import', async () => {
    db.prepare("INSERT INTO notes VALUES ('before')").run();
    const imports = new OwnImports(withoutWaiting, 100);
    const held = heldImport();
    importer.prepare("INSERT INTO notes VALUES ('importing')").run(); // not committed yet
    const importing = imports.run('night.aisle-results', () => held.done);
    let tries = 0;
    const read = await imports.waitingForImports(() => {
      tries++;
      return db.prepare('SELECT text FROM notes').pluck().all();
    });
    expect(read).toEqual(['before']);
    expect(tries).toBe(1);
    expect(imports.writer(), 'the import is still under way: the read did not wait for it').toBe('this app is importing results (night.aisle-results)');
    held.end();
    expect(await importing).toBe('imported');
  });
});
