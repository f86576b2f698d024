// `aisle check`: the whole database read back. A sound database says what was read, exit 0; damage
// that no command had read yet (a metric chunk's values, a stored policy, a page of the file) is
// named line by line, exit 2, with what to do.
import { copyFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { aisle, cliffExperimentFile } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('aisle check', () => {
  it('reads a sound database back whole, and names damage only a read of it would meet', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(aisle(['run', cliffExperimentFile(dir)], { db }).code).toBe(0);
    expect(aisle(['export', '1', '-o', join(dir, 'p.json')], { db }).code).toBe(0);
    const raw = new Database(db);
    const values = raw.prepare('SELECT sum(count) FROM metric_chunks').pluck().get() as number;
    raw.close();

    const sound = aisle(['check'], { db });
    expect(sound.code, sound.stderr).toBe(0);
    expect(sound.stdout).toMatch(new RegExp(`^${db} is sound: SQLite's integrity check passed, and 1 experiment, 2 runs, ${values.toLocaleString('en-US')} metric values, \\d+ checkpoints?, 0 saved run states and 1 policy read back whole\\n$`));
    expect(JSON.parse(aisle(['check', '--json'], { db }).stdout)).toMatchObject({ database: db, sound: true, problems: [], read: { experiments: 1, runs: 2, metricValues: values, policies: 1 } });

    // Damage inside rows, where SQLite's pages stay whole: one value of a metric chunk changed, and a
    // stored policy's file without its actions. Other commands still run; check names both.
    const edit = new Database(db);
    // The return's first chunk, its lowest bit flipped: whatever its encoding (float32, or int16 for whole returns), one value moves.
    const chunk = edit.prepare("SELECT c.rowid, c.data FROM metric_chunks c JOIN metric_series s ON s.id = c.series_id WHERE s.run_id = 1 AND s.name = 'return' ORDER BY c.start_episode LIMIT 1").get() as { rowid: number; data: Buffer };
    const data = Buffer.from(chunk.data);
    data[0] = data[0]! ^ 1;
    edit.prepare('UPDATE metric_chunks SET data = ? WHERE rowid = ?').run(data, chunk.rowid);
    edit.prepare("UPDATE policies SET json = json_remove(json, '$.actions') WHERE id = 1").run();
    edit.close();
    expect(aisle(['runs'], { db }).code).toBe(0);
    const damaged = aisle(['check'], { db });
    expect(damaged.code).toBe(2);
    const lines = damaged.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${db} is damaged:`);
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^ {2}run 1's metric "return", episodes 0–\d+: the stored values do not match the summary stored beside them$/), expect.stringMatching(/^ {2}stored policy #1: policy\.actions: /)]);
    expect(damaged.stderr).toBe(`aisle: ${db} is damaged (2 problems above): restore it from a backup; or carry what reads whole to a new database with \`aisle results export\` of the experiments that export, then \`aisle --db new.db results import\`\n`);

    // Damage to the file's pages: SQLite's own check names it, and the rows are not read past it.
    const pages = join(dir, 'pages.db');
    copyFileSync(db, pages);
    const fd = openSync(pages, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096); // page 2: the pointer map (auto_vacuum), or a table's root
    closeSync(fd);
    const broken = aisle(['check', '--json'], { db: pages });
    expect(broken.code).toBe(2);
    const report = JSON.parse(broken.stdout) as { sound: boolean; problems: string[]; read: { runs: number } };
    expect(report.sound).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
    expect(report.problems.every((p) => !p.startsWith('***'))).toBe(true);
    expect(report.read.runs).toBe(0);
  }, 60_000);
});
