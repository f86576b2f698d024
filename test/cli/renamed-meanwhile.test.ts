// `aisle run`'s sweep while another process renames its experiments (`aisle rename`, the app):
// the output names each experiment as it was launched throughout (its progress, its summary, the
// comparison, whose group labels read the stored names and so gave the new one beside the old),
// and says on stderr that it was renamed meanwhile.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { aisle, aisleSpawn, seedToyExperiment, untilRuns, unwrapped } from '../helpers/cli';

describe('experiments renamed by another process while aisle run trains their sweep', () => {
  it('keep the names they were launched with in the whole output, the renaming said', { timeout: 180_000 }, async () => {
    const { db, file } = seedToyExperiment('toy', 20, 1);
    // One worker: experiment 1's long run trains (seconds) while experiment 2's short one waits.
    const child = aisleSpawn(['run', file, '--workers', '1', '--set', 'episodes=2000000,20'], { db });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');
    await untilRuns(db, (runs) => runs.some((r) => r.id === 1 && r.status === 'running' && r.episodesDone > 0));
    for (const id of ['1', '2']) {
      const renamed = aisle(['rename', id, '--name', `renamed ${id}`], { db });
      expect(renamed.code, renamed.stderr).toBe(0);
    }
    expect((await exited)[0]).toBe(0);
    const experiments = JSON.parse(aisle(['experiments', '--json'], { db }).stdout) as { name: string }[];
    expect(experiments.map((e) => e.name).sort()).toEqual(['renamed 1', 'renamed 2']);

    const launchNames = [...stderr.matchAll(/^experiment (\d) "([^"]+)": /gm)].map((m) => [m[1], m[2]]);
    expect(launchNames).toHaveLength(2);
    for (const [id, name] of launchNames) {
      expect(name).toMatch(/^toy \(episodes=/);
      expect(stdout).toContain(`\nexperiment ${id} "${name}"\n`);
      // The comparison's groups, by the same names.
      expect(stdout).toContain(`${name} · q-learning`);
      expect(unwrapped(stderr)).toContain(
        `aisle: warning: experiment ${id} was renamed "renamed ${id}" by another process (\`aisle rename\`, or the app) while this one trained it: named here "${name}", as it was launched`,
      );
    }
    expect(stdout).not.toContain('renamed');
  });
});
