// `aisle policies`: the policies the app stores (exported from runs, or imported), listed, shown,
// imported, written back out and deleted through the Policies screen's own code.
import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/cli/display-width';
import { Store } from '../../src/main/store';
import type { PolicySummary } from '../../src/shared/dto';
import { aisle, cliffExperimentFile, unwrapped } from '../helpers/cli';
import { tabularPolicy } from '../helpers/policy';
import { tempDir } from '../helpers/tmp';

const NOT_FOUND = 'policy 999 does not exist: list policies with `aisle policies`';

/** A database with one experiment of two short cliff runs, and the folder it is in. */
function twoRuns(): { dir: string; db: string; runIds: number[] } {
  const dir = tempDir();
  const db = join(dir, 'a.db');
  const run = aisle(['run', cliffExperimentFile(dir), '--json'], { db });
  expect(run.code, run.stderr).toBe(0);
  const { runs } = JSON.parse(run.stdout) as { runs: { runId: number }[] };
  return { dir, db, runIds: runs.map((r) => r.runId) };
}

/** `aisle export <runId> -o <file>`: the stored policy's id. */
function exported(db: string, runId: number, file: string, name?: string): number {
  const r = aisle(['export', String(runId), '-o', file, '--json', ...(name !== undefined ? ['--name', name] : [])], { db });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { policyId: number }).policyId;
}

/** The policies stored, read from the database itself: id, origin and run, oldest first. */
function stored(db: string) {
  const store = Store.open(db, { reader: true });
  try {
    return store.listPolicies().map((p) => ({ id: p.id, origin: p.origin, runId: p.runId }));
  } finally {
    store.close();
  }
}

describe('aisle policies', () => {
  it('lists the stored policies newest first, shows one, and writes it back out as stored', () => {
    const { dir, db, runIds } = twoRuns();
    const [first, second] = runIds as [number, number];
    expect(aisle(['policies'], { db }).stdout).toBe('no policies yet: `aisle export <runId> -o policy.json` stores a run\'s, `aisle policies import <file>` a file\n');
    const a = exported(db, first, join(dir, 'a.json'));
    const b = exported(db, second, join(dir, 'b.json'), 'greedy cliff');

    const list = aisle(['policies', 'list', '--json'], { db });
    expect(list.code, list.stderr).toBe(0);
    const policies = JSON.parse(list.stdout) as PolicySummary[];
    expect(policies.map(({ createdAt: _c, ...p }) => p)).toEqual([
      { id: b, name: 'greedy cliff', runId: second, origin: 'export', envId: 'tabular-mdp', kind: 'tabular', states: 48, actions: 4 },
      { id: a, name: `cliff q-learning — run ${first}`, runId: first, origin: 'export', envId: 'tabular-mdp', kind: 'tabular', states: 48, actions: 4 },
    ]);
    // `aisle policies` alone is the list.
    const text = aisle(['policies'], { db });
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/ {2,}/)).toEqual(['id', 'name', 'kind', 'environment', 'states × actions', 'source', 'created']);
    expect(lines.slice(2).map((l) => l.split(/ {2,}/).slice(0, 6))).toEqual([
      [String(b), 'greedy cliff', 'tabular', 'tabular-mdp', '48 × 4', `run ${second}`],
      [String(a), `cliff q-learning — run ${first}`, 'tabular', 'tabular-mdp', '48 × 4', `run ${first}`],
    ]);

    const show = aisle(['policies', 'show', String(b)], { db });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(
      new RegExp(
        `^policy ${b}\\nname +greedy cliff\\nkind +tabular: 48 states × 4 actions\\nenvironment +tabular-mdp \\(fingerprint [0-9a-f]{12}\\)\\nsource +run ${second}\\n` +
          `trained +run ${second} of "cliff q-learning": q-learning, seed 1, 20 episodes, gamma 1\\nexported +\\S+Z by Aisle \\S+\\nstored +[-0-9]+ [:0-9]+\\n$`,
      ),
    );
    const json = JSON.parse(aisle(['policies', 'show', String(b), '--json'], { db }).stdout) as PolicySummary & { provenance: { runId: number; seed: number }; env: { id: string } };
    expect(json).toMatchObject({ id: b, name: 'greedy cliff', runId: second, kind: 'tabular', env: { id: 'tabular-mdp' }, provenance: { runId: second, seed: 1 } });

    const out = join(dir, 'back', 'b.json');
    const back = aisle(['policies', 'export', String(b), '-o', out], { db });
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toBe(`wrote ${out}: policy ${b} "greedy cliff" (tabular, 48 × 4, tabular-mdp, run ${second})\n`);
    // Byte for byte the file `aisle export` wrote, which is the one stored.
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(dir, 'b.json'), 'utf8'));
  });

  it('a policy brought with its run by `results import`: its file names the run where it was exported, and show and eval find the run here', () => {
    const home = twoRuns();
    const homeRun = home.runIds[0]!;
    exported(home.db, homeRun, join(home.dir, 'home.json'));
    const results = join(home.dir, 'cliff.aisle-results');
    expect(aisle(['results', 'export', '1', '-o', results], { db: home.db }).code).toBe(0);
    // Away, the ids the run had at home are another environment's runs.
    const away = join(home.dir, 'away.db');
    const toy = join(home.dir, 'toy.json');
    writeFileSync(toy, JSON.stringify({ format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy', states: 4, actions: 2 }, agent: { id: 'q-learning' }, episodes: 2, seeds: 2 }));
    expect(aisle(['run', toy], { db: away }).code).toBe(0);
    const imported = aisle(['results', 'import', results, '--json'], { db: away });
    expect(imported.code, imported.stderr).toBe(0);
    const [experiment] = (JSON.parse(imported.stdout) as { experiments: { runs: { from: number; id: number }[]; policies: { id: number }[] }[] }).experiments;
    const here = experiment!.runs.find((r) => r.from === homeRun)!.id;
    const policyId = experiment!.policies[0]!.id;
    expect(here).not.toBe(homeRun);

    const show = aisle(['policies', 'show', String(policyId)], { db: away });
    expect(show.code, show.stderr).toBe(0);
    expect(unwrapped(show.stdout)).toMatch(new RegExp(`\\nsource +run ${here}\\ntrained +run ${homeRun} of "cliff q-learning" where it was exported \\(run ${here} here\\): q-learning, seed 0,`));
    // The file as exported at home (its provenance names run ${homeRun}), evaluated on the MDP of its run here.
    const file = join(home.dir, 'away.json');
    expect(aisle(['policies', 'export', String(policyId), '-o', file], { db: away }).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(home.dir, 'home.json'), 'utf8'));
    const evaluated = aisle(['eval', file, '--episodes', '3'], { db: away });
    expect(evaluated.stderr).toBe('');
    expect(evaluated.code).toBe(0);
    const said = evaluated.stdout.replace(/\n/g, ' ');
    expect(said).toContain(`(the environment it was trained on, read from run ${here} in the database)`);
    expect(said).toContain(`from run ${homeRun} of "cliff q-learning" where it was exported (here run ${here}, of the same config and seed) (q-learning, seed 0,`);
  });

  it("imports a policy file as the app does: once, named by its file when it has no name, without a run", () => {
    const { dir, db, runIds } = twoRuns();
    const file = join(dir, 'cliff.json');
    const exportedId = exported(db, runIds[0]!, file);
    // Exported here: the very file is stored already.
    const again = aisle(['policies', 'import', file], { db });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(`already stored as policy ${exportedId} "cliff q-learning — run ${runIds[0]}" (tabular, 48 × 4, tabular-mdp, run ${runIds[0]}): not stored again\n`);
    expect(stored(db)).toEqual([{ id: exportedId, origin: 'export', runId: runIds[0] }]);

    // Edited (its name removed, its run said stopped early), it is another file: stored, named by
    // the file, belonging to no run here.
    const edited = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; provenance: { status: string } };
    delete edited.name;
    edited.provenance.status = 'cancelled';
    const renamed = join(dir, 'edited.json');
    writeFileSync(renamed, JSON.stringify(edited));
    const first = aisle(['policies', 'import', renamed, '--json'], { db });
    expect(first.code, first.stderr).toBe(0);
    const { policy, alreadyStored } = JSON.parse(first.stdout) as { policy: PolicySummary; alreadyStored: boolean };
    expect(alreadyStored).toBe(false);
    expect(policy).toMatchObject({ name: 'edited.json', origin: 'import', runId: null, kind: 'tabular', states: 48, actions: 4 });
    expect(stored(db)).toEqual([
      { id: exportedId, origin: 'export', runId: runIds[0] },
      { id: policy.id, origin: 'import', runId: null },
    ]);
    const second = aisle(['policies', 'import', renamed], { db });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(`already stored as policy ${policy.id} "edited.json" (tabular, 48 × 4, tabular-mdp, imported): not stored again\n`);
    expect(stored(db)).toHaveLength(2);
    expect(aisle(['policies'], { db }).stdout.split('\n')[2]).toMatch(new RegExp(`^${policy.id} +edited\\.json +tabular +tabular-mdp +48 × 4 +imported +`));
    // Its provenance names a run of the database it came from, and a checkpoint is said to be one.
    // Wide enough for the provenance on one line (at 100 columns it wraps under its first word).
    const show = aisle(['policies', 'show', String(policy.id)], { db, env: { COLUMNS: '200' } });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`\nsource +imported\ntrained +run ${runIds[0]} of "cliff q-learning" where it was exported: q-learning, seed 0, 20 episodes, gamma 1\n`));
    const warning = `run ${runIds[0]} was cancelled: the policy is its last checkpoint, what it had learned after 20 episodes`;
    expect(unwrapped(show.stderr)).toBe(`aisle: warning: ${warning}\n`);
    expect(JSON.parse(aisle(['policies', 'show', String(policy.id), '--json'], { db }).stdout)).toMatchObject({ origin: 'import', warnings: [warning] });
  });

  it('warns at import, as `aisle eval` does, of a file whose settings no longer match its own hash', () => {
    const { dir, db, runIds } = twoRuns();
    const file = join(dir, 'cliff.json');
    exported(db, runIds[0]!, file);
    // Its episode cap edited within range: stored (it is a valid file), but said.
    const policy = JSON.parse(readFileSync(file, 'utf8')) as { env: { params: { maxSteps: number } } };
    policy.env.params.maxSteps = 300;
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, JSON.stringify(policy));
    const warning = /^policy\.env: the settings in the file do not match its own hash [0-9a-f]{12}: the file was edited after export/;
    const text = aisle(['policies', 'import', edited], { db });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^stored policy \d+ "cliff q-learning/);
    expect(unwrapped(text.stderr).replace(/^aisle: warning: /, '')).toMatch(warning);
    const json = aisle(['policies', 'import', edited, '--json'], { db });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { alreadyStored: boolean; warnings: string[] };
    expect(report.alreadyStored).toBe(true);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(warning);
    // The file as exported: nothing to say.
    expect(JSON.parse(aisle(['policies', 'import', file, '--json'], { db }).stdout).warnings).toEqual([]);
  });

  it('refuses a corrupt policy file with the validator\'s words naming the field: exit 2, nothing stored', () => {
    const { dir, db, runIds } = twoRuns();
    const file = join(dir, 'cliff.json');
    exported(db, runIds[0]!, file);
    const before = stored(db);
    const policy = JSON.parse(readFileSync(file, 'utf8')) as { actions: string[]; env: { id: string; params: Record<string, unknown> } };
    const write = (name: string, content: string) => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    };
    const oneActionShort = write('short.json', JSON.stringify({ ...policy, actions: policy.actions.slice(0, 3) }));
    const unknownEnv = write('env.json', JSON.stringify({ ...policy, env: { ...policy.env, id: 'tabular-mdq' } }));
    const cut = write('cut.json', readFileSync(file, 'utf8').slice(0, 40));
    // A setting edited out of range: stored, the policy could not be evaluated on its environment.
    const badSetting = write('setting.json', JSON.stringify({ ...policy, env: { ...policy.env, params: { ...policy.env.params, maxSteps: -3 } } }));
    for (const [path, problem] of [
      [oneActionShort, 'policy.q[0]: must have one value per action (3), got 4'],
      [unknownEnv, 'policy.env.id: unknown environment "tabular-mdq": Aisle\'s environments are '],
      [cut, 'malformed JSON at line 3, column 9 (Unexpected end of JSON input)'],
      [badSetting, 'policy.env.params.maxSteps: must be a whole number in [1, 10,000,000], got -3'],
      // An absolute path was said twice: "/…/missing.json: file not found (/…/missing.json)".
      [join(dir, 'missing.json'), 'file not found: check the path'],
      [dir, 'is a folder: give the path of an aisle.policy/v1 file'],
    ] as const) {
      const r = aisle(['policies', 'import', path], { db });
      expect(r.code, path).toBe(2);
      expect(r.stdout, path).toBe('');
      expect(r.stderr.split('\n'), path).toHaveLength(2); // one line
      expect(r.stderr.startsWith(`aisle: ${path}: ${problem}`), r.stderr).toBe(true);
      expect(r.stderr.split(path), r.stderr).toHaveLength(2); // the file named once
    }
    // Past what Aisle stores (sparse: nothing written), said with what reads it, as the app's Import
    // says it: it was "file is 65 MB, above the 64 MB limit: give a smaller file", which a policy cannot be.
    const huge = write('huge policy.json', '');
    truncateSync(huge, 64 * 2 ** 20 + 1);
    const big = aisle(['policies', 'import', huge], { db });
    expect(big.code).toBe(2);
    expect(unwrapped(big.stderr)).toBe(
      `aisle: ${huge}: file is 64.000001 MB, more than the 64 MB Aisle stores of a policy file: evaluate it with \`aisle eval '${huge}'\`, or serve it with the policy runtime (\`aisle policies runtime\`), which read larger files\n`,
    );
    // Past what a string holds too, aisle eval, which it was sent to, refused it again ("file is 600 MB,
    // above the 512 MB limit"): no reader takes it, said so.
    truncateSync(huge, 600 * 2 ** 20);
    const past = aisle(['policies', 'import', huge], { db });
    expect(past.code).toBe(2);
    expect(unwrapped(past.stderr)).toBe(
      `aisle: ${huge}: file is 600 MB, more than any reader of policy files takes (\`aisle eval\` and the policy runtime read up to 511.9 MB; Aisle stores up to 64 MB): check that it is the policy file you meant\n`,
    );
    expect(aisle(['eval', huge], { db }).stderr).toContain('file is 600 MB, above the 511.9 MB limit');
    // Evaluated with no experiment named, the unknown environment is refused with its fix said once.
    const evaluated = aisle(['eval', unknownEnv], { db });
    expect(evaluated.code).toBe(2);
    expect(unwrapped(evaluated.stderr)).toMatch(/unknown environment "tabular-mdq": Aisle's environments are [^:]*; export the policy again from its run, or correct env\.id\n$/);
    const json = aisle(['policies', 'import', oneActionShort, '--json'], { db });
    expect(JSON.parse(json.stdout)).toEqual({ error: { exitCode: 2, problems: [`${oneActionShort}: policy.q[0]: must have one value per action (3), got 4`] } });
    expect(stored(db)).toEqual(before);
  });

  it('refuses a policy whose own settings make an environment its tables do not fit (a testbed\'s arms edited): at import and at eval, naming the file and the field', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const experiment = join(dir, 'bandit.json');
    writeFileSync(experiment, JSON.stringify({ format: 'aisle.experiment/v1', name: 'arms', env: { id: 'bandit-testbed', arms: 10 }, agent: { id: 'epsilon-greedy', epsilon: 0.1 }, episodes: 50, seeds: 1 }));
    const run = aisle(['run', experiment, '--json'], { db });
    expect(run.code, run.stderr).toBe(0);
    const runId = (JSON.parse(run.stdout) as { runs: { runId: number }[] }).runs[0]!.runId;
    const file = join(dir, 'policy.json');
    exported(db, runId, file);
    const before = stored(db);
    const policy = JSON.parse(readFileSync(file, 'utf8')) as { env: { params: { arms: number } } };
    policy.env.params.arms = 5; // in range, so the settings parse: the policy still has 10 actions
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, JSON.stringify(policy));
    const problem = 'policy.env.params: do not make the environment the policy was trained on (the policy has 10 actions but the environment has 5): export the policy again from its run';
    const imported = aisle(['policies', 'import', edited], { db });
    expect(imported.code).toBe(2);
    expect(unwrapped(imported.stderr)).toBe(`aisle: ${edited}: ${problem}\n`);
    expect(stored(db)).toEqual(before);
    const evaluated = aisle(['eval', edited], { db });
    expect(evaluated.code).toBe(2);
    expect(unwrapped(evaluated.stderr)).toBe(`aisle: ${edited}: ${problem}\n`);
    // The file as exported imports and evaluates.
    expect(aisle(['eval', file, '--episodes', '10'], { db }).code).toBe(0);
  });

  it("refuses an MDP's policy whose actions are not the MDP's the database holds for it: exit 2, one line naming the field, nothing stored", () => {
    const { dir, db, runIds } = twoRuns();
    const file = join(dir, 'cliff.json');
    const exportedId = exported(db, runIds[0]!, file);
    const before = stored(db);
    // The last action removed, label and Q-table column: a sound file by itself (its MDP is only a hash in it).
    const policy = JSON.parse(readFileSync(file, 'utf8')) as { name: string; actions: string[]; q: number[][]; greedy: number[]; env: { mdpHash: string }; provenance: { experimentId: number; experimentName: string } };
    const q = policy.q.map((row) => row.slice(0, -1));
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, JSON.stringify({ ...policy, name: 'edited', actions: policy.actions.slice(0, -1), q, greedy: q.map((row) => row.indexOf(Math.max(...row))) }));
    const problem =
      `${edited}: policy.actions: the policy has 48 states × 3 actions but the MDP it names (sha256 ${policy.env.mdpHash.slice(0, 12)}…, run ${runIds[0]}'s in this database) has 48 states × 4 actions: ` +
      'export the policy again from its run';
    const r = aisle(['policies', 'import', edited], { db });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(unwrapped(r.stderr)).toBe(`aisle: ${problem}\n`);
    expect(JSON.parse(aisle(['policies', 'import', edited, '--json'], { db }).stdout)).toEqual({ error: { exitCode: 2, problems: [problem] } });
    expect(stored(db)).toEqual(before);
    // In a database without its run or experiment, nothing holds its MDP to check it against: stored,
    // with a warning that names the MDP and how to evaluate it (none here can).
    const other = join(dir, 'other.db');
    Store.open(other).close();
    const elsewhere = aisle(['policies', 'import', edited], { db: other });
    expect(elsewhere).toMatchObject({ code: 0, stdout: expect.stringMatching(/^stored policy 1 "edited" \(tabular, 48 × 3, tabular-mdp, imported\)\n$/) });
    // In the words of the app's picker ("the one it was trained on — unavailable: …"), the picker's
    // other choice replaced by the command that evaluates it meanwhile.
    const notHere =
      `its MDP (sha256 ${policy.env.mdpHash.slice(0, 12)}…) is not in this database (its file names it by hash only, and no run or experiment here is on it): ` +
      "create an experiment on that MDP (from the MDP's file, or import the results that hold one), or evaluate it meanwhile with ";
    expect(unwrapped(elsewhere.stderr)).toBe(`aisle: warning: policy.env.mdpHash: ${notHere}\`aisle eval ${edited} --env <an experiment file on that MDP>\`\n`);
    // `policies show` said nothing of it: a line in the same words, with the commands that evaluate
    // the stored policy (exported to a file first); --json among its warnings.
    const missing = `${notHere}\`aisle --db ${other} policies export 1 -o policy.json\` then \`aisle eval policy.json --env <an experiment file on that MDP>\``;
    const show = aisle(['policies', 'show', '1'], { db: other });
    expect(show.code, show.stderr).toBe(0);
    expect(unwrapped(show.stdout)).toContain(`\n${'MDP'.padEnd('environment'.length)}  ${missing}\n`);
    expect(JSON.parse(aisle(['policies', 'show', '1', '--json'], { db: other }).stdout)).toMatchObject({ warnings: [`policy.env.mdpHash: ${missing}`] });
    // Where its run is (the database it was exported from), nothing to say.
    const home = aisle(['policies', 'show', String(exportedId)], { db });
    expect(home.code, home.stderr).toBe(0);
    expect(home.stdout).not.toMatch(/\nMDP /);
  });

  it('deletes a policy only with --yes, and leaves its run', () => {
    const { dir, db, runIds } = twoRuns();
    const a = exported(db, runIds[0]!, join(dir, 'a.json'));
    const b = exported(db, runIds[1]!, join(dir, 'b.json'));
    const what = `policy ${a} "cliff q-learning — run ${runIds[0]}" (tabular, 48 × 4, tabular-mdp, run ${runIds[0]})`;

    const preview = aisle(['policies', 'delete', String(a)], { db });
    expect(preview.code).toBe(1);
    expect(preview.stdout).toBe(`would delete ${what}\n`);
    expect(preview.stderr).toBe('aisle: nothing deleted: add --yes to delete\n');
    const previewJson = aisle(['policies', 'delete', String(a), '--json'], { db });
    expect(previewJson.code).toBe(1);
    expect(JSON.parse(previewJson.stdout)).toEqual({ error: { exitCode: 1, problems: ['nothing deleted: add --yes to delete'], wouldDelete: { id: a, name: `cliff q-learning — run ${runIds[0]}` } } });
    expect(stored(db).map((p) => p.id)).toEqual([a, b]);

    const done = aisle(['policies', 'delete', String(a), '--yes'], { db });
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toBe(`deleted ${what}\n`);
    expect(stored(db).map((p) => p.id)).toEqual([b]);
    expect(aisle(['show', String(runIds[0])], { db }).code).toBe(0);

    const json = aisle(['policies', 'delete', String(b), '--yes', '--json'], { db });
    expect(JSON.parse(json.stdout)).toEqual({ deleted: b, name: `cliff q-learning — run ${runIds[1]}` });
    expect(stored(db)).toEqual([]);
  });

  it('refuses an unknown policy id, naming it and `aisle policies`: exit 2, nothing written or deleted', () => {
    const { dir, db, runIds } = twoRuns();
    exported(db, runIds[0]!, join(dir, 'a.json'));
    const before = stored(db);
    const out = join(dir, 'out.json');
    for (const args of [['show', '999'], ['export', '999', '-o', out], ['delete', '999', '--yes'], ['delete', '999']]) {
      const r = aisle(['policies', ...args], { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(`aisle: ${NOT_FOUND}\n`);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    expect(JSON.parse(aisle(['policies', 'show', '999', '--json'], { db }).stdout)).toEqual({ error: { exitCode: 2, problems: [NOT_FOUND] } });
    expect(existsSync(out)).toBe(false);
    expect(stored(db)).toEqual(before);
    // A mistyped command is not read as the list's arguments.
    // A mistyped --db is refused, not created empty (nor written to by an import).
    const missing = join(dir, 'typo.db');
    for (const args of [['policies'], ['policies', 'import', join(dir, 'a.json')]]) {
      const r = aisle(args, { db: missing });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^aisle: --db: .*typo\.db does not exist: check the path, or create a database there by running an experiment/);
    }
    expect(existsSync(missing)).toBe(false);
    const typo = aisle(['policies', 'shwo', '1'], { db });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("aisle: unknown command 'shwo' of aisle policies: its commands are list, show, import, export, runtime, delete (see aisle policies --help)\n");
    // A subcommand refuses arguments it does not take (`delete 1 2` had deleted 1 alone and exited 0).
    for (const args of [['delete', String(before[0]!.id), '2', '--yes'], ['import', join(dir, 'a.json'), join(dir, 'b.json')], ['list', 'extra'], ['show', '1', '2']]) {
      const r = aisle(['policies', ...args], { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^aisle: too many arguments for '(delete|import|list|show)'/);
    }
    expect(stored(db)).toEqual(before);
  });

  it('cuts a long or wide name to fit the terminal, ending in "…", and keeps every other cell', () => {
    const { dir, db, runIds } = twoRuns();
    const long = 'greedy cliff after twenty episodes of q-learning with a constant step, for the comparison with sarsa';
    const wide = '悬崖上的贪心策略，二十个回合之后，与 SARSA 比较';
    exported(db, runIds[0]!, join(dir, 'a.json'), long);
    exported(db, runIds[1]!, join(dir, 'b.json'), wide);
    const rows = (columns: string) => {
      const r = aisle(['policies'], { db, env: { COLUMNS: columns } });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trimEnd().split('\n');
    };
    const whole = rows('100000');
    expect(Math.max(...whole.map(displayWidth))).toBeGreaterThan(130);
    // At 100 columns (off a terminal, without COLUMNS), one table still: a policy a line, every
    // cell but the name as it is whole.
    const narrow = rows('100');
    expect(narrow).toHaveLength(whole.length);
    for (const line of narrow) expect(displayWidth(line), line).toBeLessThanOrEqual(100);
    narrow.slice(2).forEach((line, i) => {
      const [cells, wholeCells] = [line.split(/ {2,}/), whole[i + 2]!.split(/ {2,}/)];
      expect(cells.length).toBe(wholeCells.length);
      expect(cells.filter((_, k) => k !== 1)).toEqual(wholeCells.filter((_, k) => k !== 1));
      expect(cells[1]!.endsWith('…') && wholeCells[1]!.startsWith(cells[1]!.slice(0, -1)), `${cells[1]} / ${wholeCells[1]}`).toBe(true);
    });
    // Narrower, the columns after the name are stacked under it as `aisle experiments` does, no line wider.
    for (const line of rows('60')) expect(displayWidth(line), line).toBeLessThanOrEqual(60);
    // --json and show give the names whole.
    expect((JSON.parse(aisle(['policies', '--json'], { db, env: { COLUMNS: '80' } }).stdout) as PolicySummary[]).map((p) => p.name)).toEqual([wide, long]);
  });

  it('says a big table\'s size with grouped digits, as its other counts: 1,000 actions, 20,000 episodes', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    Store.open(db).close();
    const actions = Array.from({ length: 1000 }, (_, a) => `i${a}`);
    const q = [actions.map((_, a) => (a === 7 ? 1 : 0)), actions.map(() => 0)];
    const file = join(dir, 'big.json');
    const provenance = { ...tabularPolicy().provenance, episodes: 20_000 };
    writeFileSync(file, JSON.stringify(tabularPolicy({ name: 'big', actions, q, greedy: [7, 0], provenance })));
    const imported = aisle(['policies', 'import', file, '--json'], { db });
    expect(imported.code, imported.stderr).toBe(0);
    const { policy } = JSON.parse(imported.stdout) as { policy: PolicySummary };
    const show = aisle(['policies', 'show', String(policy.id)], { db });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/\nkind +tabular: 2 states × 1,000 actions\n/);
    expect(show.stdout).toMatch(/: q-learning, seed 0, 20,000 episodes\n/);
  });
});

describe('a stored policy that no longer reads (a database edited by hand)', () => {
  it('is refused naming the stored policy, exit 2', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const store = Store.open(db);
    let id: number;
    try {
      id = store.savePolicy({ runId: null, origin: 'import', name: 'edited', json: JSON.stringify(tabularPolicy({ actions: 'x' })) });
    } finally {
      store.close();
    }
    const shown = aisle(['policies', 'show', String(id)], { db });
    expect(shown.code).toBe(2);
    // With how it came to be and what to do, as an edited stored config is said.
    const refusal = `aisle: stored policy #${id}: policy.actions: must be an array of labels, got "x"; the stored row no longer reads as a policy file (the database edited by hand or damaged, or the policy stored by an earlier Aisle that took it): ` +
      `delete it (\`aisle --db ${db} policies delete ${id} --yes\`) and export it again from its run or import its file again, or restore the database from a backup\n`;
    expect(shown.stderr).toBe(refusal);
    // Nor is it written out as a file the runtime would refuse; it can still be deleted.
    const out = join(dir, 'out.json');
    const written = aisle(['policies', 'export', String(id), '-o', out], { db });
    expect([written.code, written.stderr]).toEqual([2, refusal]);
    expect(existsSync(out)).toBe(false);
    expect(aisle(['policies', 'delete', String(id), '--yes'], { db }).code).toBe(0);
    expect(stored(db)).toEqual([]);
  });
});
