// Migration 16: names an earlier Aisle stored and this one's reads refuse are cleaned as today's
// checks take them. A policy exported from the app under a name holding U+202E (until 6bf985d5) read
// as 'stored policy #1: policy.name: must not contain control characters', so policies.fits answered
// 400 and `aisle check` and a results import refused it; an experiment named or described with
// one (until e3d2326d and 61750571) was refused by `aisle check` and a results import, and its
// policies' exports carried the name. The database is made as the earlier build left it: its
// schema at the version before, the rows written with SQL.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, LATEST_VERSION, migrate, schemaVersion, Store } from '../../src/main/store';
import { cleanDescription, cleanName } from '../../src/main/store/stored-names';
import { checkDatabase } from '../../src/main/check-database';
import { parseStoredPolicy } from '../../src/main/policies';
import { cliff, openService } from '../helpers/service';
import { tempDir } from '../helpers/tmp';

const CLEANING = MIGRATIONS.find((m) => m.name.startsWith('names and descriptions'))!.version;
const BAD_EXPERIMENT = 'cliff\u202E q-learning';
const policyNames = {
  // The app's Export, before 6bf985d5, under a pasted name.
  1: '\u202Eevil',
  // An export given no name: the export's default, of the experiment's name as it was.
  2: `${BAD_EXPERIMENT} — run 1`,
  // An imported file's blank name (before 71380423): nothing is left of it.
  3: '\t\t',
  // An imported file's, with no experiment in its provenance; its row is named by its file.
  4: '\u0007',
} as const;

let exported: string;
let oldFile: string;
const texts = new Map<number, string>();

beforeAll(async () => {
  // A real run's policy, exported by this build, to write into the earlier build's database.
  const source = openService();
  const { runIds } = await source.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 20 }) });
  await source.until(runIds);
  const { policyId } = await source.call('policies.export', { runId: runIds[0]!, name: 'good' });
  exported = source.store.getPolicy(policyId).json;
  const sourceFile = source.dbPath;
  await source.close();

  oldFile = join(tempDir('aisle-stored-names-'), 'old.db');
  const db = new Database(oldFile);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, CLEANING - 1));
  db.prepare('ATTACH DATABASE ? AS source').run(sourceFile);
  for (const table of ['experiments', 'runs']) {
    const columns = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name).join(', ');
    db.exec(`INSERT INTO main.${table} (${columns}) SELECT ${columns} FROM source.${table}`);
  }
  db.exec('DETACH DATABASE source');
  const config = db.prepare<[], string>('SELECT config FROM experiments WHERE id = 1').pluck().get()!;
  const described = { ...(JSON.parse(config) as object), name: BAD_EXPERIMENT, description: 'tests\u0007 the\r\nedge\u202E' };
  db.prepare('UPDATE experiments SET name = ?, config = ? WHERE id = 1').run(BAD_EXPERIMENT, JSON.stringify(described));
  // An experiment whose name was nothing but overrides.
  db.prepare(`INSERT INTO experiments (id, name, config, config_hash, created_at) SELECT 2, ?, json_set(config, '$.name', ?), config_hash, created_at FROM experiments WHERE id = 1`).run('\u2066\u2069', '\u2066\u2069');
  const insert = db.prepare('INSERT INTO policies (id, run_id, origin, name, env_id, kind, states, actions, created_at, json) VALUES (?, 1, ?, ?, ?, ?, ?, ?, 0, ?)');
  const file = JSON.parse(exported) as { env: { id: string }; kind: string; states: string[]; actions: string[]; provenance: Record<string, unknown> };
  for (const [key, name] of Object.entries(policyNames)) {
    const id = Number(key);
    const provenance = id === 4 ? { ...file.provenance, experimentName: undefined } : id === 3 ? file.provenance : { ...file.provenance, experimentName: BAD_EXPERIMENT };
    const text = `${JSON.stringify({ ...file, name, provenance }, null, 1)}\n`;
    texts.set(id, text);
    insert.run(id, id >= 3 ? 'import' : 'export', id === 4 ? 'old\u0007.json' : name, file.env.id, file.kind, file.states.length, file.actions.length, text);
  }
  // One the check takes, which stays as it was, byte for byte.
  texts.set(5, exported);
  insert.run(5, 'export', 'good', file.env.id, file.kind, file.states.length, file.actions.length, exported);
  db.close();
});

describe('migration 16: stored names today’s reads refuse', () => {
  it('cleans them as the checks would take them, and every read of them then succeeds', async () => {
    const t = openService({ dbPath: oldFile });
    try {
      expect(schemaVersion(t.store.db)).toBe(LATEST_VERSION);
      const listed = await t.call('policies.list', {});
      expect(listed.map((p) => [p.id, p.name])).toEqual([
        [1, 'evil'],
        [2, 'cliff q-learning — run 1'],
        [3, 'cliff q-learning — run 1'],
        [4, 'old\u0007.json'], // a file's name, which its row keeps (the lists escape it); its file's name is cleaned
        [5, 'good'],
      ]);
      const fileNames = ['evil', 'cliff q-learning — run 1', 'cliff q-learning — run 1', 'policy 4', 'good'];
      for (const { id } of listed) {
        const row = t.store.getPolicy(id);
        const policy = parseStoredPolicy(id, row.json);
        expect(policy.name, `policy ${id}`).toBe(fileNames[id - 1]);
        // Only the names changed: the rest of the file is the text it was, one value per line.
        const before = JSON.parse(texts.get(id)!) as { name: string; provenance: { experimentName?: string } };
        const expected = { ...before, name: fileNames[id - 1], provenance: { ...before.provenance, ...(before.provenance.experimentName !== undefined ? { experimentName: 'cliff q-learning' } : {}) } };
        expect(row.json, `policy ${id}`).toBe(`${JSON.stringify(expected, null, 1)}\n`);
        const fits = await t.call('policies.fits', { policyId: id });
        expect(fits.experiments.find((e) => e.experimentId === 1)?.problem, `policy ${id}`).toBeNull();
        expect((await t.call('policies.get', { id })).text).toBe(row.json);
      }
      expect(t.store.getPolicy(5).json).toBe(exported);

      const experiment = t.store.getExperiment(1);
      expect(experiment.name).toBe('cliff q-learning');
      expect(experiment.config).toMatchObject({ name: 'cliff q-learning', description: 'tests the\nedge' });
      expect(t.store.getExperiment(2).name).toBe('experiment 2');
      expect((t.store.getExperiment(2).config as { name: string }).name).toBe('experiment 2');
      // Its identity is its behaviour's, untouched: `aisle check` finds nothing, as a results import would.
      expect(checkDatabase(t.store).problems).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('leaves a database already clean as it was', () => {
    const file = join(tempDir('aisle-stored-names-'), 'clean.db');
    const db = new Database(file);
    migrate(db, MIGRATIONS.slice(0, CLEANING - 1));
    const config = JSON.stringify({ name: 'cliff «ε»', description: 'line one\n\tline two' });
    db.prepare(`INSERT INTO experiments (id, name, config, config_hash, created_at) VALUES (1, 'cliff «ε»', ?, '${'a'.repeat(64)}', 0)`).run(config);
    const before = db.prepare('SELECT * FROM experiments').all();
    db.close();
    const store = Store.open(file);
    expect(store.db.prepare('SELECT * FROM experiments').all()).toEqual(before);
    store.close();
  });
});

describe('migration 16 on a policy named by the export\'s default', () => {
  it('cuts a default past the 500 characters a policy name may hold (a 495-character experiment name), rather than keeping it as reads refuse it', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, CLEANING - 1));
    const long = 'x'.repeat(495);
    const file = { format: 'aisle.policy/v1', kind: 'tabular', name: `${long} — run 1`, provenance: { runId: 1, experimentName: long, agent: 'q' } };
    db.prepare("INSERT INTO policies (id, run_id, origin, name, env_id, kind, states, actions, created_at, json) VALUES (1, NULL, 'import', ?, 'x', 'tabular', 1, 1, 0, ?)").run(file.name, `${JSON.stringify(file, null, 1)}\n`);
    migrate(db);
    const row = db.prepare<[], { name: string; json: string }>('SELECT name, json FROM policies WHERE id = 1').get()!;
    const name = (JSON.parse(row.json) as { name: string }).name;
    expect([...name]).toHaveLength(500);
    expect(row.name).toBe(name);
    db.close();
  });
});

describe('cleanName and cleanDescription', () => {
  it('drop control characters, turn line breaks into a space, trim and cut between characters', () => {
    expect(cleanName('\u202Eevil', 500)).toBe('evil');
    expect(cleanName('a\r\nb\u0007c', 500)).toBe('a bc');
    expect(cleanName('  \u2066x\u2069  ', 500)).toBe('x');
    expect(cleanName('\u0000\u202E', 500)).toBe('');
    expect(cleanName(`${'x'.repeat(499)}👩‍💻`, 500)).toBe('x'.repeat(499));
    expect(cleanDescription('a\r\n\tb\u202E\u001b[2J')).toBe('a\n\tb[2J');
  });
});
