// A run whose process is killed (SIGKILL: no handler runs, as in a power loss) resumes from the
// last autosave its worker wrote while it trained: `aisle show` and `aisle runs` say from which
// episode, `aisle resume` continues it, and the stored metrics, summary, checkpoints and final
// Q-table or weights are those of the run trained straight through, bit for bit (the episodes it
// stored after the autosave, before the kill, are neither kept twice nor left behind), killed
// again once resumed or not. On the
// WebAssembly kernel and the JavaScript loop, for a tabular agent and the DQN preset.
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkpointEpisodes, train, type RunSpec } from '../../src/engine/train';
import { Store } from '../../src/main/store';
import { aisle, aisleSpawn, ROOT, seedToyExperiment } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const preset = (name: string) => JSON.parse(readFileSync(join(ROOT, 'resources/experiments', `${name}.json`), 'utf8')) as Record<string, unknown>;

/** Experiments of one seed that train for a few seconds. */
const CASES: Record<string, Record<string, unknown>> = {
  'q-learning on seed-toy (the kernel)': {
    name: 'kernel',
    env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 10_000 },
    agent: { id: 'q-learning', epsilon: { start: 1, end: 0.05, decayEpisodes: 3000 } },
    // 500M steps, some 5 s of the kernel: at 5,000 episodes (50M steps, half a second) a clean-clone
    // CI run resumed it at episode 1,594 and it ended before a later autosave with episodes stored
    // past it was seen (2026-12-06).
    episodes: 50_000,
    checkpoints: 4,
  },
  // Long enough that, resumed from an autosave, it still autosaves and stores past it before it
  // ends: at 60,000 episodes a quiet machine finished the rest first (CI, 2026-12-01); 200,000 took
  // under a second of training, as the DQN preset's 1,500 episodes did.
  'q-learning on the fatigue shop (JavaScript)': { ...preset('shop-fatigue'), episodes: 800_000, checkpoints: 4 },
  'the DQN preset (JavaScript, weights)': { ...preset('shop-fatigue-dqn'), episodes: 6000, checkpoints: 4 },
};

/** The autosave and the episodes stored, read as another process would while the run trains. */
function progress(db: string): { autosave: number; stored: number } | null {
  if (!existsSync(db)) return null;
  try {
    const raw = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const autosave = raw.prepare('SELECT episode FROM run_states WHERE run_id = 1').pluck().get() as number | undefined;
      const stored = raw.prepare('SELECT episodes_done FROM runs WHERE id = 1').pluck().get() as number | undefined;
      return autosave === undefined || stored === undefined ? null : { autosave, stored };
    } finally {
      raw.close();
    }
  } catch {
    return null; // not created yet, or busy
  }
}

/**
 * Runs `aisle` with `args` and SIGKILLs it once the run has an autosave past episode `after` and
 * has stored episodes after it (to be cut back and played again).
 */
async function killAfterAutosave(args: string[], db: string, after: number): Promise<void> {
  const child = aisleSpawn(args, { db, env: { AISLE_AUTOSAVE_SECONDS: '0.2' } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit');
  const deadline = Date.now() + 60_000;
  let seen = progress(db);
  while (!(seen && seen.autosave > after && seen.stored > seen.autosave)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no autosave before the run ended:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 20));
    seen = progress(db);
  }
  child.kill('SIGKILL');
  await exited;
}

describe('a run killed with its process resumes from its last autosave', () => {
  for (const [name, experiment] of Object.entries(CASES)) {
    it(`${name}: the same metrics, summary, checkpoints and final values as the run straight through`, async () => {
      const dir = tempDir();
      const db = join(dir, 'a.db');
      const file = join(dir, 'exp.json');
      writeFileSync(file, JSON.stringify({ ...experiment, format: 'aisle.experiment/v1', seeds: 1 }));
      await killAfterAutosave(['run', file], db, 0);
      const shown = JSON.parse(aisle(['show', '1', '--json'], { db }).stdout) as { status: string; episodesDone: number; episodesTotal: number };
      expect(shown.status, 'the next command marks it interrupted').toBe('interrupted');
      expect(shown.episodesDone).toBeLessThan(shown.episodesTotal);
      // Killed mid-write or not, the database is whole: SQLite's pages, every metric value, and the
      // autosave's bytes (its checksum), at an episode the stored metrics reach.
      const checked = aisle(['check', '--json'], { db });
      expect(checked.code, checked.stdout + checked.stderr).toBe(0);
      expect(JSON.parse(checked.stdout)).toMatchObject({ sound: true, problems: [], read: { runs: 1, runStates: 1 } });
      const store = Store.open(db, { reader: true });
      const at = store.resumableAt(1)!;
      store.close();
      expect(at).toBeGreaterThan(0);
      expect(shown.episodesDone, 'episodes stored after the autosave, to be played again').toBeGreaterThan(at);
      const episode = at.toLocaleString('en-US');
      expect(aisle(['show', '1'], { db }).stdout).toContain(`to continue it from its last autosave at episode ${episode}:\n  aisle --db ${db} resume 1\n`);
      expect(aisle(['runs'], { db }).stdout).toContain(`run 1 was interrupted: it continues from its last autosave, at episode ${episode}: \`aisle --db ${db} resume 1\`\n`);

      // Resumed, and killed again after a later autosave: it continues from that one.
      await killAfterAutosave(['resume', '1'], db, at);
      const again = Store.open(db);
      const later = again.resumableAt(1)!;
      expect(again.getRun(1).status).toBe('interrupted');
      expect(later).toBeGreaterThan(at);
      expect(again.getRun(1).episodesDone).toBeGreaterThan(later);
      again.close();

      const resumed = aisle(['resume', '1', '--json'], { db });
      expect(resumed.code, resumed.stderr).toBe(0);
      const report = JSON.parse(resumed.stdout) as { experimentId: number; name: string; resumedAt: number; runs: { status: string; episodes: number }[] };
      expect(report.resumedAt).toBe(later);
      // Named as `aisle run --json` names its experiment.
      expect(Object.keys(report).slice(0, 2)).toEqual(['experimentId', 'name']);
      expect(report.name).toBe(JSON.parse(aisle(['--json', 'experiments'], { db }).stdout)[0].name);
      expect(report.runs[0]).toMatchObject({ status: 'completed', episodes: shown.episodesTotal });

      const check = Store.open(db, { reader: true });
      const spec = check.getRunConfig(1) as RunSpec;
      // Each metric's values as the store keeps them (float32), a column per metric.
      const columns: Float32Array[] = [];
      const local = train(spec, {
        onEpisode: (e, row) => {
          if (columns.length === 0) for (let m = 0; m < row.length; m++) columns.push(new Float32Array(spec.episodes));
          for (let m = 0; m < row.length; m++) columns[m]![e] = row[m]!;
        },
      });
      const run = check.getRun(1);
      expect(run.episodesDone).toBe(spec.episodes);
      expect(run.summary).toEqual(JSON.parse(JSON.stringify(local.summary)));
      expect(check.metricNames(1).sort()).toEqual([...local.metricNames].sort());
      local.metricNames.forEach((metric, m) => {
        const stored = check.readMetricRaw(1, metric);
        expect(stored.length, metric).toBe(spec.episodes);
        let same = 0;
        const straight = columns[m]!;
        for (let i = 0; i < spec.episodes; i++) if (Object.is(stored[i], straight[i])) same++;
        expect(same, `every stored ${metric} is the straight run's`).toBe(spec.episodes);
      });
      // Each checkpoint once: the snapshots due and the final one, none written twice.
      const kind = local.values ? 'qtable' : 'weights';
      const checkpoints = check.listCheckpoints(1);
      expect(checkpoints.map((c) => [c.kind, c.episode])).toEqual([...checkpointEpisodes(spec.episodes, spec.checkpoints ?? 0), spec.episodes - 1].map((e) => [kind, e]));
      const last = checkpoints[checkpoints.length - 1]!;
      if (local.values) expect(Array.from(check.getCheckpoint(last.id).data)).toEqual(Array.from(local.values.q));
      else expect(Array.from(check.getWeights(last.id).params)).toEqual(Array.from(local.weights!.params));
      expect(check.resumableAt(1), 'a completed run keeps no autosave').toBeNull();
      check.close();
    }, 180_000);
  }
});

describe('AISLE_AUTOSAVE_SECONDS', () => {
  it('that is not a number of seconds is refused before anything is written, exit 2, one line', () => {
    const { db, file } = seedToyExperiment('toy', 10, 1);
    for (const args of [['run', file], ['resume', '1']]) {
      const refused = aisle(args, { db, env: { AISLE_AUTOSAVE_SECONDS: 'soon' } });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe('aisle: AISLE_AUTOSAVE_SECONDS: "soon" is not a number of seconds ≥ 0: set it to 60 (the default), or 0 for no autosave\n');
      expect(existsSync(db), 'no database made').toBe(false);
    }
    expect(aisle(['run', file], { db, env: { AISLE_AUTOSAVE_SECONDS: '0' } }).code).toBe(0);
  });
});
