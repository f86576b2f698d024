// The commands `aisle logs mdp` and `aisle ope` print for the user to copy, on logs whose path and
// filter value hold a space: `logs mdp`'s "train with `aisle run my exp.json`" and ope's "score it on
// the rows the fit held out: `aisle ope my logs.csv --where page=home top --holdout 3 …`" were
// written unquoted, so pasted into a shell they named other files. Each word is now quoted as a
// shell reads it back, as logs mdp's own `aisle ope` command already was; and the env it suggests
// without --experiment holds the MDP's path as a JSON string.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aisle as aisleWith, unwrapped } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'aisle-logs-quoted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const aisle = (args: string[]) => aisleWith(args, { db: join(dir, 'aisle.db'), cwd: dir });

{
  const lines = ['page,item,click,pscore'];
  for (let i = 0; i < 600; i++) lines.push(`${i % 2 === 0 ? 'home top' : 'cart'},${i % 3},${i % 7 === 0 ? 1 : 0},${1 / 3}`);
  writeFileSync(join(dir, 'my logs.csv'), `${lines.join('\n')}\n`);
}

describe('commands printed to copy, on a path and a filter value with spaces', () => {
  // Without --experiment it says what an experiment's env would hold: the path was put between quotes
  // as it is, so a quote (or a Windows path's backslash) in it made the JSON to paste invalid.
  it("give the MDP's path as a JSON string in the env to paste", () => {
    const r = aisle(['logs', 'mdp', 'my logs.csv', '-o', 'sim "v2".mdp.json']);
    expect(r.code, r.stderr).toBe(0);
    const env = /an experiment whose "env" is (\{.*\}) \(--experiment writes one\)/.exec(r.stdout)?.[1];
    expect(JSON.parse(env!)).toEqual({ id: 'tabular-mdp', mdp: 'sim "v2".mdp.json', maxSteps: 1 });
  });

  it('quote each word as a shell reads it back', () => {
    const fit = aisle(['logs', 'mdp', 'my logs.csv', '--where', 'page=home top', '--holdout', '3', '-o', 'my sim.mdp.json', '--experiment', 'my exp.json']);
    expect(fit.code, fit.stderr).toBe(0);
    expect(fit.stdout).toContain("`aisle ope 'my logs.csv' --where 'page=home top' --holdout 3 --target policy.json`");
    expect(fit.stdout).toContain("train with `aisle run 'my exp.json'`");
    const run = aisle(['run', 'my exp.json', '--seeds', '1', '--episodes', '300', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [trained] = (JSON.parse(run.stdout) as { runs: { runId: number }[] }).runs;
    expect(aisle(['export', String(trained!.runId), '-o', 'my policy.json']).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'my policy.json'), 'utf8'))).toMatchObject({ provenance: { fittedTo: { where: { page: 'home top' }, holdout: 3 } } });
    // Scored on every row of the page, the rows it was fitted on among them: the warning's command scores the others.
    const scored = aisle(['ope', 'my logs.csv', '--where', 'page=home top', '--target', 'my policy.json', '--resamples', '20']);
    expect(scored.code, scored.stderr).toBe(0);
    expect(unwrapped(scored.stderr)).toContain("score it on the rows the fit held out: `aisle ope 'my logs.csv' --where 'page=home top' --holdout 3 …`");
  });
});
