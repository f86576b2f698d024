// What the built `aisle again` does with seeded fuzz cases it refuses (test/helpers/option-fuzz's
// hostile option values, the cases test/main/again-fuzz checks in-process by the hundred): the first
// few seeds that againExperiments refuses, given to the command on the database of stored presets
// (test/helpers/again-fuzz): exit 2, stderr the in-process refusal's lines as main() prints them,
// nothing on stdout (with --json, the same problems as JSON), and the database's rows as they were.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import { againExperiments } from '../../src/cli/again';
import { UsageError } from '../../src/cli/context';
import { printable } from '../../src/cli/index';
import { NotFoundError } from '../../src/main/store';
import { dump, idOf, parsedAgain, storedExperiments } from '../helpers/again-fuzz';
import { aisle } from '../helpers/cli';
import { optionsOf } from '../helpers/option-fuzz';
import { tempDir } from '../helpers/tmp';

/** The problems againExperiments refuses the case with (after commander's parsers took it); undefined when it is accepted, or commander refuses it. */
async function refusedWith(db: string, id: string, args: readonly string[]): Promise<readonly string[] | undefined> {
  const parsed = await parsedAgain(db, id, args);
  if (!('opts' in parsed)) return undefined;
  try {
    againExperiments(parsed.id, parsed.opts);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    if (e instanceof UsageError || e instanceof NotFoundError) return [e.message];
    throw e;
  }
  return undefined;
}

describe('aisle again on seeded fuzz cases it refuses', () => {
  it('exits 2 with the refusal’s lines on stderr, nothing on stdout, and the database unchanged', { timeout: 120_000 }, async () => {
    const dir = tempDir('aisle-again-fuzz-cli-');
    const template = join(dir, 'template.db');
    const stored = storedExperiments(template);
    const rows = dump(template);
    const db = join(dir, 'lab.db');
    copyFileSync(template, db);
    // The first four seeds of stream 44 that get past commander and are refused after, the last given with --json.
    const cases: { seed: number; id: string; args: string[]; problems: readonly string[] }[] = [];
    for (let seed = 1; cases.length < 4; seed++) {
      const rng = new Rng(seed, 44);
      const id = idOf(rng, stored);
      const args = optionsOf(rng);
      const problems = await refusedWith(db, id, args);
      if (problems) cases.push({ seed, id, args, problems });
    }
    for (const [i, { seed, id, args, problems }] of cases.entries()) {
      const json = i === cases.length - 1;
      const r = aisle([...(json ? ['--json'] : []), 'again', id, ...args], { db, cwd: dir });
      const tag = `seed ${seed}: again ${id} ${args.join(' ')}`;
      expect(r.code, `${tag}\n${r.stderr}`).toBe(2);
      expect(r.stderr, tag).toBe(problems.map((p) => `aisle: ${printable(p)}\n`).join(''));
      expect(r.stdout, tag).toBe(json ? `${JSON.stringify({ error: { exitCode: 2, problems } })}\n` : '');
      expect(dump(db), tag).toBe(rows);
    }
  });
});
