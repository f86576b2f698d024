// `aisle again <experimentId>`: a stored experiment trained again as a new one named as the app's
// Run again names it, with `aisle run`'s options, without the files it was first run from; bad ids
// refused with nothing written; and `aisle show` / `aisle runs` of a stopped run give the command.
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { Store } from '../../src/main/store';
import { aisle, aisleSpawn, ROOT, seedToyExperiment } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

interface Report {
  experimentId: number;
  runs: { runId: number; seed: number; status: string; episodes: number }[];
}

interface Listed {
  id: number;
  name: string;
}

/** An experiment file in a fresh folder, its file parameter (`key`) a copy of `source` beside it. */
function withFileParameter(env: Record<string, unknown>, key: string, source: string, fields: Record<string, unknown> = {}): { dir: string; db: string; file: string; param: string } {
  const dir = tempDir();
  const param = join(dir, `${key}.json`);
  copyFileSync(source, param);
  const file = join(dir, 'exp.json');
  writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'stored', env: { ...env, [key]: `${key}.json` }, agent: { id: 'q-learning', alpha: 0.5 }, episodes: 6, seeds: 2, ...fields }));
  return { dir, db: join(dir, 'a.db'), file, param };
}

function experiments(db: string): Listed[] {
  const r = aisle(['--json', 'experiments'], { db });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Listed[];
}

function storedConfig(db: string, id: number): Record<string, unknown> {
  const store = Store.open(db);
  try {
    return store.getExperiment(id).config as Record<string, unknown>;
  } finally {
    store.close();
  }
}

describe('aisle again', () => {
  it('trains a stored MDP experiment again as "<name> (2)", then (3), once its files are gone', () => {
    const { db, file, param } = withFileParameter({ id: 'tabular-mdp', maxSteps: 100 }, 'mdp', join(ROOT, 'resources/experiments/cliff.mdp.json'));
    expect(aisle(['run', file], { db }).code).toBe(0);
    rmSync(file);
    rmSync(param);

    const again = aisle(['--json', 'again', '1'], { db });
    expect(again.code, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as Report;
    expect(report.experimentId).toBe(2);
    expect(report.runs.map((r) => [r.seed, r.status, r.episodes])).toEqual([
      [0, 'completed', 6],
      [1, 'completed', 6],
    ]);
    // The same settings, MDP inline included, under the new name: the runs train alike.
    const { name: first, ...settings } = storedConfig(db, 1);
    expect(first).toBe('stored');
    expect(storedConfig(db, 2)).toEqual({ ...settings, name: 'stored (2)' });
    const returns = (id: number) => (JSON.parse(aisle(['--json', 'show', String(id)], { db }).stdout) as { summary: unknown }).summary;
    expect(returns(3)).toEqual(returns(1));

    // Again of the repeat numbers on rather than stacking: "stored (3)", not "stored (2) (2)".
    expect(aisle(['again', '2'], { db }).code).toBe(0);
    expect(experiments(db).map((e) => e.name)).toEqual(['stored', 'stored (2)', 'stored (3)']);
  });

  it("trains a shop whose catalog came from a file, the file gone", { timeout: 60_000 }, () => {
    const { db, file, param } = withFileParameter({ id: 'shop', maxSteps: 5 }, 'catalog', join(ROOT, 'resources/shops/online-retail.shop.json'), { episodes: 3, seeds: 1 });
    expect(aisle(['run', file], { db }).code).toBe(0);
    rmSync(param);
    const again = aisle(['--json', 'again', '1'], { db });
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as Report).runs.map((r) => r.status)).toEqual(['completed']);
    expect(storedConfig(db, 2).env).toEqual(storedConfig(db, 1).env);
  });

  it("takes aisle run's options over the stored experiment's: --episodes, --seeds, a --set sweep", () => {
    const { db, file } = withFileParameter({ id: 'tabular-mdp', maxSteps: 100 }, 'mdp', join(ROOT, 'resources/experiments/cliff.mdp.json'));
    expect(aisle(['run', file], { db }).code).toBe(0);

    const smoke = aisle(['--json', 'again', '1', '--episodes', '3', '--seeds', '1', '--workers', '1'], { db });
    expect(smoke.code, smoke.stderr).toBe(0);
    expect((JSON.parse(smoke.stdout) as Report).runs.map((r) => [r.seed, r.episodes])).toEqual([[0, 3]]);

    const sweep = aisle(['--json', 'again', '1', '--seeds', '1', '--set', 'agent.alpha=0.1,0.2'], { db });
    expect(sweep.code, sweep.stderr).toBe(0);
    const swept = JSON.parse(sweep.stdout) as { experiments: { name: string; settings: Record<string, unknown> }[] };
    expect(swept.experiments.map((e) => [e.name, e.settings])).toEqual([
      ['stored (3) (alpha=0.1)', { 'agent.alpha': 0.1 }],
      ['stored (3) (alpha=0.2)', { 'agent.alpha': 0.2 }],
    ]);
    expect((storedConfig(db, 4).agent as { alpha: number }).alpha).toBe(0.2);

    // One value over a field the sweep's name shows: the name says the new value, not the old one.
    const single = aisle(['--json', 'again', '3', '--seeds', '1', '--episodes', '3', '--set', 'agent.alpha=0.9'], { db });
    expect(single.code, single.stderr).toBe(0);
    expect((JSON.parse(single.stdout) as { name: string }).name).toBe('stored (4) (alpha=0.9)');
    expect((storedConfig(db, 5).agent as { alpha: number }).alpha).toBe(0.9);

    // A sweep of another field of that experiment: the value its name gives is kept beside the new ones, not dropped.
    const resweep = aisle(['--json', 'again', '3', '--seeds', '1', '--episodes', '3', '--set', 'agent.epsilon=0.2,0.3'], { db });
    expect(resweep.code, resweep.stderr).toBe(0);
    expect((JSON.parse(resweep.stdout) as { experiments: { name: string }[] }).experiments.map((e) => e.name)).toEqual(['stored (5) (alpha=0.1, epsilon=0.2)', 'stored (5) (alpha=0.1, epsilon=0.3)']);
    expect(storedConfig(db, 7).agent).toMatchObject({ alpha: 0.1, epsilon: 0.3 });

    // As with a file: one field set twice is refused, nothing trained.
    const twice = aisle(['again', '1', '--episodes', '3', '--set', 'episodes=4'], { db });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe('aisle: --set episodes and --episodes both set episodes: give one of them\n');
    expect(experiments(db)).toHaveLength(7);
  });

  it("numbers a long name's repeats swept apart, the name cut before the number and values it keeps", () => {
    // A 200-character name: its sweep's values cut the repeat's "(2)" off ("y…y (alpha=0.1)"), and
    // the next repeat took "(2)" again.
    const y = (n: number) => 'y'.repeat(n);
    const { db, file } = seedToyExperiment(y(200), 2, 1);
    expect(aisle(['run', file], { db }).code).toBe(0);
    const names = (r: { code: number; stdout: string; stderr: string }) => {
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { name?: string; experiments?: { name: string }[] };
      return out.experiments?.map((e) => e.name) ?? [out.name];
    };
    expect(names(aisle(['--json', 'again', '1', '--set', 'agent.alpha=0.1,0.2'], { db }))).toEqual([`${y(184)} (2) (alpha=0.1)`, `${y(184)} (2) (alpha=0.2)`]);
    expect(names(aisle(['--json', 'again', '1'], { db }))).toEqual([`${y(196)} (3)`]);
    expect(names(aisle(['--json', 'again', '2', '--set', 'agent.alpha=0.3,0.4'], { db }))).toEqual([`${y(184)} (4) (alpha=0.3)`, `${y(184)} (4) (alpha=0.4)`]);
  });

  it.each([
    ['an unknown id', '7', 'aisle: experiment 7 does not exist: list experiments with `aisle experiments`\n'],
    ['a deleted experiment', '1', 'aisle: experiment 1 does not exist: list experiments with `aisle experiments`\n'],
    ['a non-number', 'cliff', 'aisle: experimentId must be a whole number from 1 up, got "cliff"\n(run `aisle again --help` for usage)\n'],
  ])('refuses %s: one error, exit 2, nothing written', (_what, id, message) => {
    const { db, file } = withFileParameter({ id: 'tabular-mdp', maxSteps: 100 }, 'mdp', join(ROOT, 'resources/experiments/cliff.mdp.json'));
    expect(aisle(['run', file], { db }).code).toBe(0);
    expect(aisle(['run', file], { db }).code).toBe(0);
    expect(aisle(['delete', 'experiment', '1', '--yes'], { db }).code).toBe(0);
    const r = aisle(['again', id], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(message);
    expect(r.stdout).toBe('');
    expect(experiments(db).map((e) => e.id)).toEqual([2]);
    expect(JSON.parse(aisle(['--json', 'runs'], { db }).stdout)).toMatchObject({ total: 2 });
  });

  it('creates no database at a --db path that has none', () => {
    const db = join(tempDir(), 'typo.db');
    const r = aisle(['again', '1'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^aisle: --db: .*typo\.db does not exist/);
    expect(existsSync(db)).toBe(false);
  });
});

describe('a stopped run says how to train it again', () => {
  it('killed outright: `aisle show` and `aisle runs` give the `aisle again` that trains it', { timeout: 120_000 }, async () => {
    const { db, file } = seedToyExperiment('long', 50_000_000, 2);
    const child = aisleSpawn(['run', file, '--workers', '1'], { db });
    const exited = once(child, 'exit');
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 60_000;
    while (!/^run \d+ seed \d+: running$/m.test(stderr)) {
      if (Date.now() > deadline) throw new Error(`no run started:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // Killed once run 1 has stored episodes (and long before its first autosave, a minute in): a
    // run killed before its first episode is one `aisle resume` starts (see the next test).
    const done = () => {
      const reader = new Database(db, { readonly: true });
      try {
        return (reader.prepare('SELECT episodes_done FROM runs WHERE id = 1').pluck().get() as number | undefined) ?? 0;
      } finally {
        reader.close();
      }
    };
    while (done() === 0) {
      if (Date.now() > deadline) throw new Error('run 1 stored no episode');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    rmSync(file);

    const shown = aisle(['show', '1'], { db });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^run 1 \(experiment 1\), seed 0: interrupted/);
    // The database the user gave, so that the command trains this experiment and not the default database's.
    expect(shown.stdout).toContain(`to train it again: its experiment anew, all 2 seeds (no checkpoint to resume from):\n  aisle --db ${db} again 1\n`);
    // Run 2, still queued when the process was killed, has played nothing: resuming starts it.
    expect(aisle(['show', '2'], { db }).stdout).toContain(`to start it (it stopped before its first episode):\n  aisle --db ${db} resume 2\n`);
    const listed = aisle(['runs'], { db });
    expect(listed.stdout).toContain(`run 2 stopped before the first episode: \`aisle --db ${db} resume 2\` starts it\n`);
    expect(listed.stdout).toContain(`stopped runs without a checkpoint: to train their experiment again, \`aisle --db ${db} again 1\`\n`);

    const again = aisle(['--json', 'again', '1', '--episodes', '5'], { db });
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as Report).runs.map((r) => [r.status, r.episodes])).toEqual([
      ['completed', 5],
      ['completed', 5],
    ]);
    expect(experiments(db).map((e) => e.name)).toEqual(['long', 'long (2)']);
  });

  it("cancelled: each stopped experiment's command, a path with a space quoted; none for runs that finished", () => {
    const db = join(tempDir(), 'my lab.db');
    const experiment = (name: string) => ({ format: 'aisle.experiment/v1', name, env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 5, seeds: [0] });
    const store = Store.open(db);
    try {
      for (const name of ['first', 'second']) {
        const config = experiment(name);
        const { runs } = store.createExperimentWithRuns({ name, config, configHash: 'c'.repeat(64), runs: [{ seed: 0, config, configHash: 'c'.repeat(64), appVersion: 'test', episodesTotal: 5 }] });
        // Two episodes played and stored, then cancelled inside an episode: no checkpoint to resume from.
        store.markRunning(runs[0]!.id);
        store.appendMetrics(runs[0]!.id, { start: 0, count: 2, columns: { return: Float32Array.of(1, 2) } }, 2);
        store.finishRun(runs[0]!.id, 'cancelled', { summary: {} });
      }
    } finally {
      store.close();
    }
    const shown = aisle(['show', '2'], { db });
    expect(shown.stdout).toMatch(/^run 2 \(experiment 2\), seed 0: cancelled/);
    expect(shown.stdout).toContain(`to train it again: its experiment anew (no checkpoint to resume from):\n  aisle --db '${db}' again 2\n`);
    expect(aisle(['runs'], { db }).stdout).toContain(`to train their experiments again, \`aisle --db '${db}' again 2\`, \`aisle --db '${db}' again 1\`\n`);

    expect(aisle(['again', '2'], { db }).code).toBe(0);
    // A run that completed is not stopped: nothing to train again.
    expect(aisle(['show', '3'], { db }).stdout).not.toContain('again');
    expect(aisle(['runs', '--status', 'completed'], { db }).stdout).not.toContain('again');
  });
});
