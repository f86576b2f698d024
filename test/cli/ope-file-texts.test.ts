// `aisle ope`'s report names the logs by their path and columns and each target by its file or
// label: the files' and options' texts, which its lines printed raw, so a policy file named with an
// ESC sequence recoloured the terminal and a reward column named with U+202E reversed the line.
// Each line is now escaped (engine/params' escapeControl), as its errors and warnings are; so are
// `aisle logs mdp`'s, which name the columns too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle } from '../helpers/cli';
import { contextFreePolicy } from '../helpers/policy';
import { tempDir } from '../helpers/tmp';

/** Any control character a terminal acts on: C0, C1, DEL, the bidirectional overrides and isolates. */
const CONTROL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** A folder holding logs.csv: 120 rows of three items at two positions under `header` (item, position, click, pscore, as named). */
function logsIn(header: string): string {
  const dir = tempDir();
  const lines = [header];
  for (let i = 0; i < 120; i++) lines.push(`${['bags', 'hats', 'shoes'][i % 3]},${1 + (i % 2)},${i % 4 === 0 ? 1 : 0},${1 / 3}`);
  writeFileSync(join(dir, 'logs.csv'), `${lines.join('\n')}\n`);
  return dir;
}

describe("aisle ope's report", () => {
  it('escapes a control character in a target file\'s path and a column\'s name', () => {
    const dir = logsIn('item,position,click\u202Eevil,pscore');
    const policy = 'p\u001b[31m.json';
    writeFileSync(join(dir, policy), JSON.stringify(contextFreePolicy({ actions: ['bags', 'hats', 'shoes'], values: [0.1, 0.3, 0.2] })));
    const r = aisle(['ope', 'logs.csv', '--reward-column', 'click\u202Eevil', '--target', policy, '--resamples', '20'], { db: join(dir, 'never.db'), cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.replace(/\n/g, ' ')).not.toMatch(CONTROL); // its own line breaks aside
    expect(r.stdout).toMatch(/^logging policy: mean click\\u202eevil /m);
    expect(r.stdout).toMatch(/^target: the policy in p\\u001b\[31m\.json \(always hats\)$/m);
  });
});

describe("aisle logs mdp's report", () => {
  it("escapes a control character in a column's name, which the header gave", () => {
    const dir = logsIn('item,position\u001b[31m,click\u202Eevil,pscore');
    const r = aisle(['logs', 'mdp', 'logs.csv', '--context-column', 'position\u001b[31m', '--reward-column', 'click\u202Eevil', '-o', 'sim.mdp.json'], { db: join(dir, 'never.db'), cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.replace(/\n/g, ' ')).not.toMatch(CONTROL);
    expect(r.stdout).toContain('a state per context, 2 (column "position\\u001b[31m")');
    expect(r.stdout).toContain('the logging policy\'s mean "click\\u202eevil" on these rows');
  });
});
