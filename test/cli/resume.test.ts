// `aisle resume`: Ctrl-C in `aisle run` leaves the run cancelled with a checkpoint and says how to
// continue it; `aisle resume` continues it, and the stored metrics, summary and final Q-table are
// those of the run trained straight through. Bad input exits 2 with one line naming the problem.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { Store } from '../../src/main/store';
import { train, type RunSpec } from '../../src/engine/train';
import { aisle, aisleSpawn, seedToyExperiment } from '../helpers/cli';
import { stoppedRunsText } from '../../src/cli/run';

/** `aisle <args>` started, sent one Ctrl-C (SIGINT) once its run is training, and waited for: its exit code and output. */
async function interruptOnceRunning(args: string[], db: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = aisleSpawn(args, { db });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!/^run \d+ seed \d+: running$/m.test(stderr)) {
    if (Date.now() > deadline) throw new Error(`no run started:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stdout, stderr };
}

describe('aisle resume', () => {
  it('continues a run Ctrl-C stopped, to the metrics and Q-table of the run straight through', async () => {
    const { db, file } = seedToyExperiment('resume', 1_000_000, 1);
    const { code, stdout, stderr } = await interruptOnceRunning(['run', file, '--set', 'env.stepsPerEpisode=20'], db);
    expect(code).toBe(130);
    expect(stderr).toMatch(/each run keeping a checkpoint to resume from/);
    expect(stdout).toMatch(new RegExp(`run 1 keeps a checkpoint: continue it with aisle --db \\S+ resume 1`));

    const stopped = JSON.parse(aisle(['show', '1', '--json'], { db }).stdout) as { status: string; episodesDone: number };
    expect(stopped.status).toBe('cancelled');
    expect(stopped.episodesDone).toBeLessThan(1_000_000);

    // `aisle show` and `aisle runs` give the command that continues it.
    expect(aisle(['show', '1'], { db }).stdout).toContain(`to continue it from its checkpoint at episode ${stopped.episodesDone.toLocaleString('en-US')}:\n  aisle --db ${db} resume 1\n`);
    expect(aisle(['runs'], { db }).stdout).toContain(`run 1 continues from a checkpoint: \`aisle --db ${db} resume 1\`\n`);

    const resumed = aisle(['resume', '1'], { db });
    expect(resumed.code, resumed.stderr).toBe(0);
    // Its counts grouped, as everywhere else: "resumed at episode 431,104 of 1,000,000".
    expect(resumed.stderr.split('\n')[0]).toBe(`run 1: resumed at episode ${stopped.episodesDone.toLocaleString('en-US')} of 1,000,000`);
    // A line per tenth passed after it (none when it stopped in the last tenth).
    if (stopped.episodesDone < 900_000) expect(resumed.stderr).toMatch(/^run 1: \d{1,3}(,\d{3})*\/1,000,000 episodes$/m);
    expect(JSON.parse(aisle(['show', '1', '--json'], { db }).stdout)).toMatchObject({ status: 'completed', episodesDone: 1_000_000 });

    const store = Store.open(db, { reader: true });
    const spec = store.getRunConfig(1) as RunSpec;
    const returns = store.readMetricRaw(1, 'return');
    let same = 0;
    const local = train(spec, { onEpisode: (episode, row) => void (returns[episode] === Math.fround(row[0]!) && same++) });
    expect(same, 'every stored return is the straight run\'s').toBe(1_000_000);
    expect(store.getRun(1).summary).toEqual(JSON.parse(JSON.stringify(local.summary)));
    const checkpoints = store.listCheckpoints(1);
    expect(Array.from(store.getCheckpoint(checkpoints[checkpoints.length - 1]!.id).data)).toEqual(Array.from(local.values!.q));
    store.close();
  }, 120_000);

  it('says when Ctrl-C stopped a run inside its first, long episode: no checkpoint, and `aisle resume` starts it, as `aisle show` says', async () => {
    // DQN on the JavaScript path, in episodes of a million steps: the stop lands inside the first, far from its end.
    const { db, file } = seedToyExperiment('long episodes', 3, 1);
    const { code, stdout } = await interruptOnceRunning(['run', file, '--set', 'env.stepsPerEpisode=1000000', '--set', 'agent.id=dqn', '--set', 'agent.hidden=[4]'], db);
    expect(code).toBe(130);
    expect(stdout).not.toContain('keeps a checkpoint');
    expect(stdout).toContain(`run 1 stopped before its first episode: aisle --db ${db} resume 1 starts it\n`);
    expect(JSON.parse(aisle(['show', '1', '--json'], { db }).stdout)).toMatchObject({ status: 'cancelled', episodesDone: 0 });
    expect(aisle(['show', '1'], { db }).stdout).toContain(`to start it (it stopped before its first episode):\n  aisle --db ${db} resume 1\n`);
  }, 60_000);

  it("words how each cancelled run goes on: its checkpoint, a start, or its experiment again (a long episode's stop)", () => {
    const opts = { db: '/tmp/lab.db' };
    const text = stoppedRunsText(
      [
        { id: 4, experimentId: 2, next: { how: 'continue', at: 10 } },
        { id: 5, experimentId: 2, next: { how: 'continue', at: 12 } },
        { id: 6, experimentId: 2, next: { how: 'start' } },
        { id: 7, experimentId: 2, next: { how: 'again' } },
        { id: 8, experimentId: 3, next: { how: 'again' } },
      ],
      opts,
    );
    expect(text).toEqual({
      lines: ['runs 4, 5 keep a checkpoint: continue each with aisle --db /tmp/lab.db resume <runId>', 'run 6 stopped before its first episode: aisle --db /tmp/lab.db resume 6 starts it'],
      warnings: ['runs 7, 8 stopped inside a long episode, without a checkpoint: train their experiments again with aisle --db /tmp/lab.db again 2, aisle --db /tmp/lab.db again 3'],
    });
    expect(stoppedRunsText([{ id: 7, experimentId: 2, next: { how: 'again' } }], opts).warnings).toEqual([
      'run 7 stopped inside a long episode, without a checkpoint: train its experiment again with aisle --db /tmp/lab.db again 2',
    ]);
    expect(stoppedRunsText([], opts)).toEqual({ lines: [], warnings: [] });
    // A Ctrl-C early in `--seeds 1000`: 999 runs stopped before their first episode, consecutive ids as a range (which `aisle delete run` reads back).
    const many = [{ id: 1, experimentId: 1, next: { how: 'continue', at: 3 } as const }, ...Array.from({ length: 999 }, (_, i) => ({ id: i + 2, experimentId: 1, next: { how: 'start' } as const }))];
    expect(stoppedRunsText(many, opts).lines).toEqual(['run 1 keeps a checkpoint: continue it with aisle --db /tmp/lab.db resume 1', 'runs 2–1000 stopped before their first episode: aisle --db /tmp/lab.db resume <runId> starts each']);
    expect(stoppedRunsText([4, 5, 6, 9, 11, 12].map((id) => ({ id, experimentId: 1, next: { how: 'start' } as const })), opts).lines).toEqual(['runs 4–6, 9, 11, 12 stopped before their first episode: aisle --db /tmp/lab.db resume <runId> starts each']);
  });

  it('a checkpoint its worker cannot take back (saved by an Aisle whose run held other tables): exit 2, the run paused again with it and why', async () => {
    const { db, file } = seedToyExperiment('unfit', 1_000_000, 1);
    expect((await interruptOnceRunning(['run', file, '--set', 'env.stepsPerEpisode=20'], db)).code).toBe(130);
    const raw = new Database(db);
    const at = raw.prepare<[], number>('SELECT episode FROM run_states WHERE run_id = 1').pluck().get();
    raw.prepare("UPDATE runs SET config = json_set(config, '$.env.states', 12) WHERE id = 1").run();
    raw.close();
    const refused = aisle(['resume', '1'], { db });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stdout).toMatch(/^run 1 \(paused\): could not be resumed: checkpoint\.agent\.\S+: .*the checkpoint does not fit the run .*it stays paused with its checkpoint/m);
    expect(refused.stdout).not.toMatch(/continue it with/);
    const shown = JSON.parse(aisle(['show', '1', '--json'], { db }).stdout) as { status: string; episodesDone: number };
    expect(shown).toMatchObject({ status: 'paused', episodesDone: at });
    // `aisle show` and `aisle runs` say it goes on by its experiment again, not by `aisle resume`;
    // `runs` lists its return from the stored episodes (its summary is empty), marked.
    const show = aisle(['show', '1'], { db }).stdout;
    expect(show).toMatch(/^run 1 \(experiment 1\), seed 0: paused — could not be resumed: /);
    expect(show).toContain(`to train it again: its experiment anew (its checkpoint cannot be resumed, see above):\n  aisle --db ${db} again 1\n`);
    expect(show).not.toContain('resume 1');
    const runs = aisle(['runs'], { db }).stdout;
    // The mean of the last 100 returns, whole where it happens to be (where the pause lands is timing's:
    // a mean of exactly 10 read '10*', which '\d+\.\d+' took for no return).
    expect(runs).toMatch(/ paused .* \d+(\.\d+)?\*\n/);
    expect(runs).toContain(`run 1 is paused with a checkpoint this Aisle cannot resume (\`aisle --db ${db} show 1\` says why): to train its experiment again, \`aisle --db ${db} again 1\``);
    expect(runs).not.toContain('resume 1');
    const after = new Database(db, { readonly: true });
    expect(after.prepare<[], number>('SELECT episode FROM run_states WHERE run_id = 1').pluck().get(), 'its checkpoint kept').toBe(at);
    after.close();
  }, 120_000);

  it('refuses, exit 2, one line each: an unknown run, a finished one, a damaged checkpoint, a bad id', () => {
    const { db, file } = seedToyExperiment('refused', 30, 1);
    expect(aisle(['run', file], { db }).code).toBe(0);
    const unknown = aisle(['resume', '9'], { db });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('aisle: run 9 does not exist: list runs with `aisle runs`\n');
    const finished = aisle(['resume', '1', '--json'], { db });
    expect(finished.code).toBe(2);
    expect(JSON.parse(finished.stdout)).toEqual({ error: { exitCode: 2, problems: ['run 1 is completed: only a paused, cancelled or interrupted run can be resumed (it has finished)'] } });
    expect(aisle(['resume', 'one'], { db }).code).toBe(2);

    // A cancelled run whose checkpoint was damaged on disk.
    const raw = new Database(db);
    raw.prepare("UPDATE runs SET status = 'cancelled', episodes_done = 10 WHERE id = 1").run();
    raw.prepare("INSERT INTO run_states (run_id, episode, created_at, data) VALUES (1, 10, 0, x'4149534c4552554e00')").run();
    raw.close();
    const damaged = aisle(['resume', '1'], { db });
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toBe("aisle: checkpoint: run 1's checkpoint is not an Aisle run state (its first bytes are not \"AISLERUN\"); it cannot be resumed: start the experiment again (Run again in the app, `aisle again 1` in a terminal)\n");
    expect(JSON.parse(aisle(['show', '1', '--json'], { db }).stdout)).toMatchObject({ status: 'cancelled' });
  });
});
