// What `aisle run` does with the seeded fuzz cases it refuses (test/helpers/input-fuzz, the cases
// test/main/input-fuzz checks in-process by the thousand): a sample of them, each a preset with its
// experiment, MDP or catalog mutated, given to the built command: exit 2, one line on stderr that
// starts "aisle: " and is the reader's own (a line each where it finds several problems), nothing on
// stdout, and no database made.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/engine/params';
import { loadExperimentFile } from '../../src/main/files';
import { printable } from '../../src/cli/index';
import { aisle } from '../helpers/cli';
import { fileCase, unclear, type FileCase } from '../helpers/input-fuzz';
import { tempDir } from '../helpers/tmp';

/** The case's files written under `dir` (experiments/, shops/). */
function written(c: FileCase, dir: string): string {
  for (const [path, bytes] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return join(dir, 'experiments', c.name);
}

/** The problems the in-process reading refuses the case with, written under `dir`; none when it is accepted. */
function problemsOf(c: FileCase, dir: string): readonly string[] {
  try {
    loadExperimentFile(written(c, dir));
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  return [];
}

describe('aisle run on seeded fuzz cases it refuses', () => {
  it('exits 2 with an "aisle: " line for each problem (one for the most) and makes no database', () => {
    const dir = tempDir('aisle-fuzz-cli-');
    // 14 refused cases, from each kind of file mutated: the first seeds the reading refuses with one
    // problem; and seed 3316, whose description list crashed the reading (exit 1, cd8a0ffc), two.
    const wanted = { experiment: 6, mdp: 4, catalog: 4 };
    const sample: { c: FileCase; problems: readonly string[] }[] = [];
    for (let seed = 1; sample.length < 14 && seed <= 2000; seed++) {
      const c = fileCase(seed);
      if (sample.filter((s) => s.c.target === c.target).length >= wanted[c.target]) continue;
      const problems = problemsOf(c, join(dir, `seed-${seed}`));
      if (problems.length === 1) sample.push({ c, problems });
    }
    expect(sample.length).toBe(14);
    const known = fileCase(3316);
    sample.push({ c: known, problems: problemsOf(known, join(dir, 'seed-3316')) });
    expect(sample[14]!.problems).toHaveLength(2);
    for (const { c, problems } of sample) {
      const at = join(dir, `seed-${c.seed}`);
      const file = join(at, 'experiments', c.name);
      const db = join(at, 'lab.db');
      const r = aisle(['run', file], { db });
      const tag = `seed ${c.seed} (${c.name}, ${c.target}${c.viaValue ? ', value' : ''})`;
      expect(r.code, `${tag}: ${r.stderr}`).toBe(2);
      expect(r.stdout, tag).toBe('');
      // A line a problem, each the reader's own (its control characters, if any, shown escaped),
      // which names where and what to do: one line where the reading finds one problem.
      expect(r.stderr, tag).toBe(problems.map((p) => `aisle: ${printable(p)}\n`).join(''));
      expect(r.stderr.split('\n'), tag).toHaveLength(problems.length + 1); // no line of its own broken in two
      for (const p of problems) expect(unclear(p), `${tag}: ${p}`).toBeUndefined();
      // Refused before the database is opened: none made, so no experiment or run half-written.
      expect(existsSync(db), tag).toBe(false);
    }
  });
});
