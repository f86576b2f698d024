// `aisle results export` and `import`: a colleague's experiment read back in another database as it
// reads at home, through the commands a user looks with (show, metrics, compare, export, policies).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { Rng } from '../../src/engine/rng';
import { aisle, aisleSpawn, CLI, cliffExperimentFile } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** `aisle run` of the cliff experiment (three seeds) in `db`: its run ids. */
function trained(db: string, dir: string, name = 'cliff q-learning'): number[] {
  const run = aisle(['run', cliffExperimentFile(dir, { seeds: 3, name }), '--json'], { db });
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { runs: { runId: number }[] }).runs.map((r) => r.runId);
}

function ok(args: string[], db: string): string {
  const r = aisle(args, { db });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

interface Imported {
  experiments: { from: number; id: number; alreadyImported: boolean; runs: { from: number; id: number }[]; policies: { from: number; id: number }[] }[];
}

describe('aisle results', () => {
  it('carries an experiment to a database whose ids collide, where show, metrics, compare and export read as at home; a second import adds nothing', () => {
    const dir = tempDir();
    const home = join(dir, 'home.db');
    const away = join(dir, 'away.db');
    const homeRuns = trained(home, dir);
    const policy = JSON.parse(ok(['export', String(homeRuns[1]), '-o', join(dir, 'home-policy.json'), '--json'], home)) as { policyId: number };
    // Away already has experiments 1–3 and runs 1–9 (under another name: one of the same name is named apart, below).
    for (let i = 0; i < 3; i++) trained(away, dir, 'cliff away');

    const file = join(dir, 'cliff.aisle-results');
    expect(ok(['results', 'export', '1', '-o', file], home)).toBe(`wrote ${file}: 1 experiment\n  experiment 1 "cliff q-learning": 3 runs, 33 checkpoints, 1 policy\n`);
    // A file to hand on takes the mode any file the user saves takes (the databases are 0600).
    writeFileSync(join(dir, 'saved.txt'), '');
    expect(statSync(file).mode & 0o777).toBe(statSync(join(dir, 'saved.txt')).mode & 0o777);
    expect(statSync(home).mode & 0o777).toBe(0o600);
    const imported = JSON.parse(ok(['results', 'import', file, '--json'], away)) as Imported;
    const [experiment] = imported.experiments;
    expect(experiment).toMatchObject({ from: 1, id: 4, alreadyImported: false, runs: homeRuns.map((from, i) => ({ from, id: 10 + i })), policies: [{ from: policy.policyId, id: 1 }] });

    // Each run, as `aisle show` and `aisle metrics` give it (the same CSV, byte for byte).
    experiment!.runs.forEach(({ from, id }) => {
      const atHome = ok(['show', String(from)], home).replace(`run ${from} (experiment 1)`, `run ${id} (experiment 4)`);
      expect(ok(['show', String(id)], away)).toBe(atHome);
      expect(ok(['metrics', String(id)], away)).toBe(ok(['metrics', String(from)], home));
    });
    expect(ok(['compare', '4'], away)).toBe(ok(['compare', '1'], home));
    // The policy exported at home, written back out byte for byte; exported again here from the
    // imported run, it is that stored policy (its provenance naming the run at home), not a second
    // row of it under the ids the import gave.
    expect(ok(['policies', 'export', '1', '-o', join(dir, 'away-stored.json')], away)).toContain('run 11');
    expect(readFileSync(join(dir, 'away-stored.json'), 'utf8')).toBe(readFileSync(join(dir, 'home-policy.json'), 'utf8'));
    expect(JSON.parse(ok(['export', '11', '-o', join(dir, 'away-policy.json'), '--json'], away))).toMatchObject({ policyId: 1, runId: 11 });
    expect(readFileSync(join(dir, 'away-policy.json'), 'utf8')).toBe(readFileSync(join(dir, 'home-policy.json'), 'utf8'));
    expect(JSON.parse(ok(['policies', '--json'], away))).toEqual([expect.objectContaining({ id: 1, runId: 11, origin: 'export' })]);

    const again = aisle(['results', 'import', file], { db: away });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^\S+cliff\.aisle-results: exported [-0-9]+ [:0-9]+ from home\.db on \S+ by Aisle \S+\n {2}experiment 1 "cliff q-learning": already imported as experiment 4, not imported again\n$/);
    expect((JSON.parse(ok(['experiments', '--json'], away)) as unknown[]).length).toBe(4);

    // A database that holds the policy already (imported as a file) keeps that one, and says so.
    const third = join(dir, 'third.db');
    Store.open(third).close(); // a new database (`aisle policies import` opens one that exists)
    ok(['policies', 'import', join(dir, 'home-policy.json')], third);
    expect(ok(['results', 'import', file], third)).toContain('experiment 1 "cliff q-learning": imported as experiment 1, 3 runs (1, 2, 3), 33 checkpoints, 1 policy (already stored: policy 1)\n');
    expect((JSON.parse(ok(['policies', '--json'], third)) as unknown[]).length).toBe(1);

    // Beside an experiment of its name, the copy is named apart, and the line says both names.
    const fourth = join(dir, 'fourth.db');
    trained(fourth, dir);
    expect(ok(['results', 'import', file], fourth)).toContain('experiment 1 "cliff q-learning": imported as experiment 2 "cliff q-learning (2)" (an experiment here is named "cliff q-learning"), 3 runs (4, 5, 6),');
    // ~25 commands, each a Node process of its own (results import and export start a worker too): 63 s on
    // a loaded 2-core machine, past the suite's 60 s default, which is there to catch a hang, not to time this.
  }, 180_000);

  it('refuses an unknown experiment, a truncated file and another program\'s file: one line each in plain words, exit 2', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    trained(db, dir);
    const file = join(dir, 'r.aisle-results');
    const unknown = aisle(['results', 'export', '1', '8', '-o', file], { db });
    expect(unknown).toMatchObject({ code: 2, stdout: '', stderr: 'aisle: experiment 8 does not exist: list experiments with `aisle experiments`\n' });
    // `-o /dev/stdout` into a shell's pipe (`| cat`) or this process's (spawnSync's stdout, a socket),
    // refused as docs/cli.md says. It said 'cannot write it (ENOENT: no such file or directory, open
    // '/proc/<pid>/fd/pipe:[…].<pid>.tmp')': the link's text leads to no file.
    const streamed = (what: string) => `aisle: -o /dev/stdout: is ${what}: a results file is a database written whole to a file, not streamed: give the path of a file (then copy or send that file)\n`;
    const piped = spawnSync('sh', ['-c', '"$1" "$2" --db "$3" results export 1 -o /dev/stdout | cat', 'sh', process.execPath, CLI, db], { encoding: 'utf8', env: { ...process.env, AISLE_DB: '' } });
    expect(piped).toMatchObject({ stdout: '', stderr: streamed('a pipe (FIFO)') });
    expect(aisle(['results', 'export', '1', '-o', '/dev/stdout'], { db })).toMatchObject({ code: 2, stdout: '', stderr: streamed('a socket') });
    expect(readdirSync(dir).filter((f) => f.includes('tmp'))).toEqual([]);
    ok(['results', 'export', '1', '-o', file], db);
    // A run whose episodes done no longer match its metrics (the progress figure beside a curve of
    // another length): refused, naming the run and metric, and nothing imported.
    const edited = join(dir, 'edited.aisle-results');
    copyFileSync(file, edited);
    const sql = new Database(edited);
    sql.prepare('UPDATE runs SET episodes_done = episodes_done - 1 WHERE id = 1').run();
    sql.close();
    const mismatch = aisle(['results', 'import', edited], { db });
    expect(mismatch).toMatchObject({ code: 2, stdout: '' });
    expect(mismatch.stderr).toMatch(/^aisle: \S+edited\.aisle-results: run 1's metric "[^"]+": its values cover (\d+) episodes, and the run's row lists \d+ episodes done \(a file edited by hand\? export it again from the source\)\n$/);
    expect(JSON.parse(ok(['experiments', '--json'], db))).toHaveLength(1);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length / 2));
    const damaged = `${file}: is damaged (its database failed SQLite's integrity check): export it again from the source, or copy it again in full if it was cut short`;
    expect(aisle(['results', 'import', file], { db })).toMatchObject({ code: 2, stdout: '', stderr: `aisle: ${damaged}\n` });
    // SQLite's own words only for a script that asks.
    const damagedJson = aisle(['results', 'import', file, '--json'], { db });
    expect(damagedJson.code).toBe(2);
    expect(JSON.parse(damagedJson.stdout)).toEqual({ error: { exitCode: 2, problems: [damaged], details: ['database disk image is malformed'] } });
    const json = aisle(['results', 'import', 'exp.json', '--json'], { db, cwd: dir });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: { exitCode: 2, problems: ['exp.json: is an experiment file, not an Aisle results file: run it with `aisle run` (the app: New experiment, Import…)'] } });
    writeFileSync(join(dir, 'notes.txt'), 'not a results file\n');
    const text = aisle(['results', 'import', 'notes.txt', '--json'], { db, cwd: dir });
    expect(JSON.parse(text.stdout)).toEqual({ error: { exitCode: 2, problems: ['notes.txt: is not an Aisle results file (not a SQLite database): give a file `aisle results export` wrote'] } });
  });
  it('makes the database --db names when it does not exist yet, and leaves none behind for a file it refuses', () => {
    const dir = tempDir();
    const home = join(dir, 'home.db');
    trained(home, dir);
    const file = join(dir, 'cliff.aisle-results');
    ok(['results', 'export', '1', '-o', file], home);
    const fresh = join(dir, 'colleague.db');
    const out = ok(['results', 'import', file], fresh);
    expect(out.split('\n')[0]).toBe(`made the database ${fresh}`);
    expect(out).toContain('imported as experiment 1, 3 runs (1, 2, 3)');
    expect(ok(['metrics', '2'], fresh)).toBe(ok(['metrics', '2'], home));
    // A second import into it is an import into an existing database: nothing is made, nothing added.
    expect(ok(['results', 'import', file], fresh)).not.toContain('made the database');
    // A file refused: the database made for it is removed, with SQLite's files beside it.
    writeFileSync(join(dir, 'bad.aisle-results'), 'not a database');
    const refused = join(dir, 'refused.db');
    const r = aisle(['results', 'import', join(dir, 'bad.aisle-results')], { db: refused });
    expect(r.code).toBe(2);
    expect(readdirSync(dir).filter((f) => f.startsWith('refused.db'))).toEqual([]);
    // Other commands still refuse a --db that does not exist.
    expect(aisle(['runs'], { db: join(dir, 'typo.db') }).code).toBe(2);
    expect(existsSync(join(dir, 'typo.db'))).toBe(false);
  });
  it('stops an export at Ctrl-C, exit 130, its half-written temporary file removed and the destination as it was', async () => {
    const dir = tempDir();
    const db = join(dir, 'big.db');
    // A run of 20M stored values (~65 MB, random so that they do not compress): long enough to copy
    // that Ctrl-C lands while the copy is under way.
    const store = Store.open(db);
    const spec = { env: { id: 'seed-toy' }, agent: { id: 'random' }, episodes: 5_000_000, seed: 0 };
    // As a launch stores it: the export checks a stored config as `aisle again` does.
    const experiment = { format: 'aisle.experiment/v1', name: 'big', env: spec.env, agent: spec.agent, episodes: spec.episodes, seeds: [0] };
    const { runs: [run] } = store.createExperimentWithRuns({ name: 'big', config: experiment, configHash: 'c'.repeat(64), runs: [{ seed: 0, config: spec, configHash: 'c'.repeat(64), appVersion: 'test', episodesTotal: spec.episodes }] });
    store.markRunning(run!.id);
    const rng = new Rng(7);
    for (let start = 0; start < spec.episodes; start += 250_000) {
      const columns = Object.fromEntries(['a', 'b', 'c', 'd'].map((name) => [name, Float32Array.from({ length: 250_000 }, () => rng.next())]));
      store.appendMetrics(run!.id, { start, count: 250_000, columns }, start + 250_000);
    }
    store.finishRun(run!.id, 'completed');
    store.close();

    const out = join(dir, 'out');
    mkdirSync(out);
    const stopped = async (destination: string, twice = false) => {
      const child = aisleSpawn(['results', 'export', '1', '-o', destination], { db });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | string | null>((done) => child.on('exit', (code, signal) => done(code ?? signal)));
      // Ctrl-C once the temporary file beside the destination holds over 4 MB: the metrics' copy, one
      // statement the worker cannot leave midway, is under way. (At the file's first appearance, the
      // schema still being made, a loaded machine let the first Ctrl-C stop the worker between two
      // statements, before the second could come: exit 130, not the quit at once this asks for.)
      const copying = () => readdirSync(out).some((f) => f.endsWith('.tmp') && (statSync(join(out, f), { throwIfNoEntry: false })?.size ?? 0) > 4_000_000);
      while (!copying()) await new Promise((r) => setTimeout(r, 2));
      child.kill('SIGINT');
      if (twice) {
        // Again, once the first is heard ("again to quit at once"): it quits without waiting for the copy's statement to end.
        // A SIGTERM, a second signal at once: a second Ctrl-C this soon would be taken as the first
        // delivered twice (signal-stop's repeat window), and one past the window may find the copy ended.
        while (!stderr.includes('again to quit at once')) await new Promise((r) => setTimeout(r, 2));
        child.kill('SIGTERM');
      }
      return { code: await exited, stderr };
    };
    const twice = await stopped(join(out, 'twice.aisle-results'), true);
    // Ended by the signal, as a program without a handler is (the shell's 143).
    expect(twice.code, twice.stderr).toBe('SIGTERM');
    expect(twice.stderr).toContain(`aisle: quit at once: nothing written to ${join(out, 'twice.aisle-results')}, its temporary file removed\n`);
    expect(readdirSync(out)).toEqual([]);
    const fresh = await stopped(join(out, 'new.aisle-results'));
    expect(fresh.code, fresh.stderr).toBe(130);
    expect(fresh.stderr).toContain(`aisle: the export was stopped: nothing written to ${join(out, 'new.aisle-results')}\n`);
    expect(readdirSync(out)).toEqual([]);
    // A file already at the destination is left whole.
    writeFileSync(join(out, 'old.aisle-results'), 'before');
    const replaced = await stopped(join(out, 'old.aisle-results'));
    expect(replaced.code, replaced.stderr).toBe(130);
    expect(replaced.stderr).toContain(`${join(out, 'old.aisle-results')} is as it was\n`);
    expect(readdirSync(out)).toEqual(['old.aisle-results']);
    expect(readFileSync(join(out, 'old.aisle-results'), 'utf8')).toBe('before');
    // Not stopped, it writes the file.
    expect(aisle(['results', 'export', '1', '-o', join(out, 'whole.aisle-results')], { db }).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['old.aisle-results', 'whole.aisle-results']);

    // Its import stops at Ctrl-C too, and says so (QA: it ended with nothing said, the database
    // made for it left behind): nothing imported, the database as it was or removed if made for it.
    const scratch = join(dir, 'scratch');
    mkdirSync(scratch);
    const importStopped = async (into: string, signal: NodeJS.Signals = 'SIGINT') => {
      const child = aisleSpawn(['results', 'import', join(out, 'whole.aisle-results')], { db: into, env: { TMPDIR: scratch } });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | string | null>((done) => child.on('exit', (code, sig) => done(code ?? sig)));
      // Once the worker has begun copying the file into its private folder.
      while (!readdirSync(scratch).some((f) => existsSync(join(scratch, f, 'results.aisle-results')))) await new Promise((r) => setTimeout(r, 2));
      child.kill(signal);
      return { code: await exited, stderr };
    };
    const colleague = join(dir, 'colleague.db');
    const made = await importStopped(colleague);
    expect(made.code, made.stderr).toBe(130);
    expect(made.stderr).toContain('aisle: the import was stopped: nothing imported: the database made for it removed\n');
    expect(readdirSync(dir).filter((f) => f.startsWith('colleague.db'))).toEqual([]);
    const kept = join(dir, 'kept.db');
    trained(kept, dir);
    const before = ok(['runs'], kept);
    const existing = await importStopped(kept, 'SIGTERM');
    expect(existing.code, existing.stderr).toBe(143);
    expect(existing.stderr).toContain(`aisle: the import was stopped: nothing imported: ${kept} is as it was\n`);
    expect(ok(['runs'], kept)).toBe(before);
    expect(aisle(['check'], { db: kept }).code).toBe(0);
    // The worker's private folder, a copy as large as the file, is gone with it.
    expect(readdirSync(scratch)).toEqual([]);
  }, 180_000);
});
