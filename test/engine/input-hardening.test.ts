// Hostile or careless input found by testing: each is refused with one line naming the field and the
// fix. A policy whose greedy list contradicts its Q-table, repeated labels, numbers JSON cannot
// represent, MDP rewards that overflow the stored returns, control characters in an experiment's
// name, and a folder given as a JSON file.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCatalog } from '../../src/engine/envs/shop/catalog';
import { parseExperiment } from '../../src/engine/experiment';
import { mdpFileSchema, parseMdp } from '../../src/engine/mdp/format';
import { ValidationError } from '../../src/engine/params';
import { parsePolicy } from '../../src/engine/policy/format';
import { loadPolicy } from '../../src/engine/policy/runtime';
import { readJsonFile, unreadable } from '../../src/main/files';
import { ROOT } from '../helpers/cli';
import { loadError, tabularPolicy } from '../helpers/policy';

/** The one problem a ValidationError names (the test fails on success or on several problems). */
function problem(work: () => unknown): string {
  try {
    work();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).problems).toHaveLength(1);
    return (e as ValidationError).problems[0]!;
  }
  throw new Error('expected a ValidationError');
}

const tabular = tabularPolicy;

function mlp(extra: Record<string, unknown> = {}) {
  return {
    ...tabular(),
    kind: 'mlp',
    q: undefined,
    greedy: undefined,
    actions: ['shoes', 'hats'],
    network: { layers: [{ in: 2, out: 2, activation: 'linear' }], weights: [1, 0, 0, 1, 0, 0], encoding: { kind: 'one-hot', n: 2 }, output: 'q' },
    ...extra,
  };
}

/** Both gates say the same: the dependency-free runtime and the app's import. */
function refused(doc: unknown): string {
  const message = loadError(doc);
  expect(problem(() => parsePolicy(doc))).toBe(message);
  return message;
}

describe('a tabular policy whose greedy list contradicts its Q-table', () => {
  it('is refused, naming the state, the action and the best actions', () => {
    expect(refused(tabular({ greedy: [1, 1] }))).toBe(
      'policy.greedy[1]: action 1 (q 1) is not a best action of policy.q[1] (best: 0, q 5): re-export the policy, or fix greedy to match q',
    );
    expect(refused(tabular({ q: [[0, 2, 1], [5, 1, 5]], greedy: [1, 1] }))).toMatch(/^policy\.greedy\[1\]: action 1 \(q 1\) is not a best action of policy\.q\[1\] \(best: 0, 2, q 5\)/);
  });

  it('rounds the values it names as tables show them, with more decimals only where the two would read alike', () => {
    expect(refused(tabular({ q: [[-112.99995618073817, -5.123456, -7], [5, 1, 1]], greedy: [0, 0] }))).toMatch(
      /^policy\.greedy\[0\]: action 0 \(q -113\) is not a best action of policy\.q\[0\] \(best: 1, q -5\.1235\)/,
    );
    expect(refused(tabular({ q: [[1.23456781, 1.23456789, 0], [5, 1, 1]], greedy: [0, 0] }))).toMatch(/\(q 1\.2345678\) is not a best action of policy\.q\[0\] \(best: 1, q 1\.2345679\)/);
  });

  it('accepts any of tied best actions, and compares exactly', () => {
    const tied = loadPolicy(tabular({ q: [[2, 2, 1], [5, 1, 5]], greedy: [1, 2] }));
    expect([tied.act(0), tied.act(1)]).toEqual([1, 2]);
    expect(parsePolicy(tabular({ q: [[2, 2, 1], [5, 1, 5]], greedy: [1, 2] }))).toMatchObject({ greedy: [1, 2] });
    // 1 + 2^-52 is the next double above 1: not a tie.
    expect(refused(tabular({ q: [[1, 1 + 2 ** -52, 0], [5, 1, 1]], greedy: [0, 0] }))).toMatch(/^policy\.greedy\[0\]: action 0 \(q 1\) is not a best action/);
  });
});

describe('repeated labels', () => {
  it('are refused in a tabular policy, naming the repeat and the first', () => {
    expect(refused(tabular({ states: ['home', 'home'] }))).toBe('policy.states[1]: label "home" repeats policy.states[0]: labels must be unique');
    expect(refused(tabular({ actions: ['shoes', 'hats', 'shoes'] }))).toBe('policy.actions[2]: label "shoes" repeats policy.actions[0]: labels must be unique');
  });

  it('are refused in an mlp policy', () => {
    expect(loadPolicy(mlp()).act('cart')).toBe(1);
    expect(refused(mlp({ actions: ['shoes', 'shoes'] }))).toBe('policy.actions[1]: label "shoes" repeats policy.actions[0]: labels must be unique');
    expect(refused(mlp({ states: ['home', 'home'] }))).toBe('policy.states[1]: label "home" repeats policy.states[0]: labels must be unique');
  });
});

describe('what a policy message says was found', () => {
  it('says a required field is missing', () => {
    const without = (field: string) => {
      const doc: Record<string, unknown> = tabular();
      delete doc[field];
      return refused(doc);
    };
    expect(without('q')).toBe('policy.q: must have one row per state (2), but it is missing');
    expect(without('greedy')).toBe('policy.greedy: must have one action per state (2), but it is missing');
    expect(without('states')).toBe('policy.states: must be an array of labels, but it is missing');
    expect(without('format')).toBe('policy.format: must be "aisle.policy/v1", but it is missing');
  });

  it('says a number JSON cannot represent (1e999 reads as Infinity) plainly, not as null', () => {
    const text = JSON.stringify(tabular()).replace('"q":[[0,2,1]', '"q":[[0,1e999,1]');
    const message = 'policy.q[0][1]: must be a finite number, got a number too large to represent (it reads as Infinity)';
    expect(loadError(text)).toBe(message);
    expect(problem(() => parsePolicy(JSON.parse(text)))).toBe(message);
    const weights = JSON.stringify(mlp()).replace('"weights":[1,', '"weights":[-1e999,');
    expect(loadError(weights)).toBe('policy.network.weights[0]: must be a finite float32, got a number too large to represent (it reads as -Infinity)');
    // Past the runtime, zod's "expected number, received Infinity" is said the same way.
    const seed = JSON.stringify(tabular()).replace('"seed":0', '"seed":1e999');
    expect(problem(() => parsePolicy(JSON.parse(seed)))).toBe('policy.provenance.seed: must be a finite number, got a number too large to represent (it reads as Infinity)');
  });
});

describe('MDP rewards', () => {
  const chain = (reward: unknown) => ({
    format: 'aisle.mdp/v1',
    states: 2,
    actions: 2,
    start: { '0': 1 },
    transitions: [[0, 0, 1, 0, 0], [0, 1, 1, 1, reward], [1, 0, 1, 1, 2], [1, 1, 1, 0, 0]],
  });

  it('beyond ±1e9 are refused, naming the transition (1e308 would overflow the stored float32 returns)', () => {
    expect(problem(() => parseMdp(chain(1e308)))).toBe('mdp.transitions[1][4]: reward must be a number in [-1e9, 1e9], got 1e+308: scale the rewards down (larger ones overflow the stored returns)');
    expect(problem(() => parseMdp(chain(-2e9)))).toMatch(/^mdp\.transitions\[1\]\[4\]: reward must be a number in \[-1e9, 1e9\], got -2,000,000,000: scale/);
    expect(problem(() => parseMdp(JSON.parse(JSON.stringify(chain(0)).replace(',1,1,0]', ',1,1,1e999]'))))).toBe(
      'mdp.transitions[1][4]: reward must be a number in [-1e9, 1e9], got a number too large to represent (it reads as Infinity)',
    );
  });

  it('of ±1e9 are accepted, and the schema agrees', () => {
    expect([...parseMdp(chain(-1e9)).reward]).toContain(-1e9);
    expect(parseMdp(chain(1e9)).reward).toContain(1e9);
    expect(mdpFileSchema.safeParse(chain(1e9)).success).toBe(true);
    expect(mdpFileSchema.safeParse(chain(1e308)).success).toBe(false);
  });
});

describe('a number too large to represent in an experiment', () => {
  // JSON.parse reads 1e999 as Infinity; "got Infinity" named nothing the user wrote.
  it('is said plainly, in the top-level fields and in the agent\'s and environment\'s', () => {
    const text = JSON.stringify({ format: 'aisle.experiment/v1', name: 'big', env: { id: 'seed-toy', states: 10 }, agent: { id: 'q-learning', alpha: 0.5 }, episodes: 5 });
    const parsed = (from: string, to: string) => () => parseExperiment(JSON.parse(text.replace(from, to)));
    expect(problem(parsed('"episodes":5', '"episodes":1e999'))).toBe('episodes: must be a whole number in [1, 100,000,000], got a number too large to represent (it reads as Infinity)');
    expect(problem(parsed('"alpha":0.5', '"alpha":-1e999'))).toBe('agent.alpha: must be a number in (0, 1], got a number too large to represent (it reads as -Infinity)');
    expect(problem(parsed('"states":10', '"states":1e999'))).toBe('env.states: must be a whole number in [1, 1,000,000], got a number too large to represent (it reads as Infinity)');
  });
});

describe('control characters in an experiment', () => {
  const mdp = { format: 'aisle.mdp/v1', states: 1, actions: 1, start: { '0': 1 }, transitions: [[0, 0, 1, 0, 1]] };
  const experiment = (extra: Record<string, unknown>) => ({ format: 'aisle.experiment/v1', name: 'chain', env: { id: 'tabular-mdp', mdp }, agent: { id: 'q-learning' }, ...extra });

  it('are refused in the name, with the character and where it is', () => {
    expect(problem(() => parseExperiment(experiment({ name: 'chain\u001b[2J' })))).toBe('name: must not contain control characters (found U+001B at character 6): remove it');
    expect(problem(() => parseExperiment(experiment({ name: 'two\nlines' })))).toBe('name: must not contain control characters (found U+000A at character 4): remove it');
    expect(problem(() => parseExperiment(experiment({ name: 'c1 \u009b31m' })))).toMatch(/found U\+009B at character 4/);
    expect(problem(() => parseExperiment(experiment({ name: 'del\u007f' })))).toMatch(/found U\+007F at character 4/);
    // A bidirectional override shows the text after it reversed: "q-learning\u202Egninrael-q" reads as another name.
    expect(problem(() => parseExperiment(experiment({ name: 'ok\u202Eko' })))).toBe('name: must not contain control characters (found U+202E at character 3): remove it');
    expect(problem(() => parseExperiment(experiment({ description: 'a\u2066b' })))).toMatch(/found U\+2066 at character 2/);
    expect(parseExperiment(experiment({ name: 'Café (صفحة)' })).name).toBe('Café (صفحة)'); // right-to-left text itself is fine
    // Surrounding whitespace is trimmed as before, a trailing newline with it.
    expect(parseExperiment(experiment({ name: '  chain\n' })).name).toBe('chain');
  });

  it('are refused in the description, except newline and tab', () => {
    expect(parseExperiment(experiment({ description: 'line one\n\tline two' })).description).toBe('line one\n\tline two');
    expect(problem(() => parseExperiment(experiment({ description: 'ok\r\u001b]0;title\u0007' })))).toBe(
      'description: must not contain control characters other than newline and tab (found U+000D at character 3): remove it',
    );
  });
});

describe('readJsonFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aisle-hardening-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says a folder is a folder, like a missing file, naming the label', () => {
    expect(problem(() => readJsonFile(dir, 'env.mdp'))).toBe(`env.mdp: is a folder (${dir}): give the path of a JSON file`);
    expect(problem(() => readJsonFile(join(dir, 'missing.json'), 'env.mdp'))).toBe(`env.mdp: file not found (${join(dir, 'missing.json')}): check the path`);
    // A path through a file, as if it were a folder, is not found either (not Node's raw ENOTDIR).
    writeFileSync(join(dir, 'plain.json'), '{}');
    expect(problem(() => readJsonFile(join(dir, 'plain.json', 'x.json'), 'env.mdp'))).toBe(`env.mdp: file not found (${join(dir, 'plain.json', 'x.json')}): check the path`);
  });

  it('says a file named with a "/" at its end is a file, where it said the file it names was not found', () => {
    // `aisle run quickstart.json/` (the shell completes a folder so): "file not found (…/quickstart.json)" named a file that is there.
    writeFileSync(join(dir, 'there.json'), '{}');
    expect(problem(() => readJsonFile(`${join(dir, 'there.json')}/`, 'there.json/'))).toBe(`there.json/: is a file, not a folder (${join(dir, 'there.json')}): drop the "/" at its end`);
    expect(problem(() => readJsonFile(`${join(dir, 'gone.json')}/`, 'gone.json/'))).toBe(`gone.json/: file not found (${join(dir, 'gone.json')}): check the path`);
  });

  it('says a file it may not read is not permitted, naming the fix (not a raw EACCES)', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/x/p.json'"), { code: 'EACCES' });
    expect((unreadable('p.json', '/x/p.json', denied) as ValidationError).problems).toEqual(["p.json: cannot be read: permission denied (/x/p.json): check the file's permissions"]);
    const other = Object.assign(new Error('EIO'), { code: 'EIO' });
    expect(unreadable('p.json', '/x/p.json', other)).toBe(other);
    if (process.getuid?.() !== 0) {
      // Not as root, whom permissions do not stop.
      const locked = join(dir, 'locked.json');
      writeFileSync(locked, '{}');
      chmodSync(locked, 0);
      expect(problem(() => readJsonFile(locked, 'p.json'))).toBe(`p.json: cannot be read: permission denied (${locked}): check the file's permissions`);
    }
  });

  it('cuts a label of thousands of characters refused as too long a path between whole characters', () => {
    // The cut fell inside the emoji that straddles the 100th character: half of it (a lone surrogate) was printed.
    const label = `${'x'.repeat(99)}😀${'y'.repeat(2000)}`;
    const tooLong = Object.assign(new Error('ENAMETOOLONG: name too long'), { code: 'ENAMETOOLONG' });
    expect((unreadable(label, label, tooLong) as ValidationError).problems).toEqual([`${'x'.repeat(99)}😀…: the path is too long for this system (2,101 characters, ENAMETOOLONG): give a shorter one`]);
  });

  it('refuses text that is not UTF-8, naming where the first bad byte is', () => {
    const latin1 = join(dir, 'latin1.json');
    writeFileSync(latin1, Buffer.concat([Buffer.from('{\n  "name": "Caf'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]));
    expect(problem(() => readJsonFile(latin1, 'policy.json'))).toBe('policy.json: is not UTF-8 text (at line 2, column 15): save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)');
    const utf8 = join(dir, 'utf8.json');
    writeFileSync(utf8, '\ufeff{"name": "Café \ufffd"}');
    expect(readJsonFile(utf8, 'policy.json')).toEqual({ name: 'Café \ufffd' }); // a real U+FFFD, in UTF-8, and a byte-order mark, are fine
  });
});

/** The problems a call throws (none: it passed). */
function problemsOf(f: () => unknown): readonly string[] {
  try {
    f();
  } catch (e) {
    return (e as ValidationError).problems;
  }
  return [];
}

describe('experiment files that are something else', () => {

  it('a policy, MDP or catalog file given as an experiment is one line saying what it is', () => {
    for (const [format, kind] of [['aisle.policy/v1', 'a policy'], ['aisle.mdp/v1', 'an MDP']]) {
      expect(problemsOf(() => parseExperiment({ format, kind: 'tabular', states: ['a'], q: [[0]] }))).toEqual([
        `format: this is ${kind} ("${format}"), not an experiment: give an experiment file ("aisle.experiment/v1") here`,
      ]);
    }
    const catalog = JSON.parse(readFileSync(join(ROOT, 'resources/shops/online-retail.shop.json'), 'utf8')) as unknown;
    expect(problemsOf(() => parseExperiment(catalog))).toEqual(['format: this is a shop catalog, not an experiment: give an experiment file ("aisle.experiment/v1") here']);
  });

  it('an experiment or catalog given as an MDP, or an experiment as a catalog, is one line too', () => {
    const experiment = JSON.parse(readFileSync(join(ROOT, 'resources/experiments/quickstart.json'), 'utf8')) as unknown;
    const catalog = JSON.parse(readFileSync(join(ROOT, 'resources/shops/online-retail.shop.json'), 'utf8')) as unknown;
    expect(problemsOf(() => parseMdp(experiment, 'mdp'))).toEqual(['mdp.format: this is an experiment ("aisle.experiment/v1"), not an MDP: give an MDP file ("aisle.mdp/v1") here']);
    expect(problemsOf(() => parseMdp(catalog, 'mdp'))).toEqual(['mdp.format: this is a shop catalog, not an MDP: give an MDP file ("aisle.mdp/v1") here']);
    expect(problemsOf(() => parseCatalog(experiment))).toEqual([
      'catalog: this is an experiment ("aisle.experiment/v1"), not a shop catalog: give a shop catalog (categories and items; `aisle shop calibrate` writes one) here',
    ]);
    // Through an experiment's file parameters: env.mdp and env.catalog name an experiment file.
    const quickstart = join(ROOT, 'resources/experiments/quickstart.json');
    const readJson = (path: string) => readJsonFile(path, 'file');
    const asMdp = problemsOf(() => parseExperiment({ format: 'aisle.experiment/v1', name: 'x', env: { id: 'tabular-mdp', mdp: quickstart }, agent: { id: 'q-learning' }, episodes: 1 }, { readJson }));
    expect(asMdp).toEqual(['env.mdp.format: this is an experiment ("aisle.experiment/v1"), not an MDP: give an MDP file ("aisle.mdp/v1") here']);
    const asCatalog = problemsOf(() => parseExperiment({ format: 'aisle.experiment/v1', name: 'x', env: { id: 'shop', catalog: quickstart }, agent: { id: 'q-learning' }, episodes: 1 }, { readJson }));
    expect(asCatalog).toHaveLength(1);
    expect(asCatalog[0]).toMatch(/^env\.catalog: this is an experiment \("aisle\.experiment\/v1"\), not a shop catalog: /);
  });

  it('reports a problem once even when two checks word it alike', () => {
    expect(new ValidationError(['episodes: bad', 'seeds: bad', 'episodes: bad']).problems).toEqual(['episodes: bad', 'seeds: bad']);
    let problems: readonly string[] = [];
    try {
      parseExperiment({ format: 'aisle.experiment/v1', name: 'x', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 1e308 });
    } catch (e) {
      problems = (e as ValidationError).problems;
    }
    expect(problems).toEqual(['episodes: must be a whole number in [1, 100,000,000], got 1e+308']);
  });
});

describe('names and labels printed in a terminal', () => {
  const ESC = '\u001b';
  const mdp = (extra: Record<string, unknown>) => ({
    format: 'aisle.mdp/v1',
    states: ['a', 'b'],
    actions: ['go', 'stay'],
    start: { '0': 1 },
    terminal: [1],
    transitions: [
      [0, 0, 1, 1, 1],
      [0, 1, 1, 0, 0],
    ],
    ...extra,
  });

  it('refuses control characters in MDP names and state or action labels, naming where', () => {
    expect(problemsOf(() => parseMdp(mdp({}), 'mdp'))).toEqual([]);
    expect(problemsOf(() => parseMdp(mdp({ name: `n${ESC}[31m` }), 'mdp'))).toEqual(['mdp.name: must not contain control characters (found U+001B at character 2): remove it']);
    expect(problemsOf(() => parseMdp(mdp({ actions: ['go', `st${ESC}[2Jay`] }), 'mdp'))).toEqual([
      'mdp.actions[1]: label must not contain control characters (found U+001B at character 3): remove it',
    ]);
    expect(problemsOf(() => parseMdp(mdp({ states: ['a\nb', 'b'] }), 'mdp'))).toEqual(['mdp.states[0]: label must not contain control characters (found U+000A at character 2): remove it']);
  });

  it('refuses them in catalog category names and item ids, and in policy labels', () => {
    const items = [{ id: `x${ESC}`, category: 0, price: 1, quality: 0.5, attractiveness: 0.5 }];
    expect(problemsOf(() => parseCatalog({ categories: ['fine'], items }))).toEqual(['catalog.items[0].id: must not contain control characters (found U+001B at character 2): remove it']);
    expect(problemsOf(() => parseCatalog({ categories: [`c${ESC}`], items: [{ ...items[0], id: 'x' }] }))).toEqual([
      'catalog.categories[0]: must not contain control characters (found U+001B at character 2): remove it',
    ]);
    expect(loadError(tabularPolicy({ actions: ['left', `r${ESC}[2J`] }))).toBe('policy.actions[1]: label "r\\u001b[2J" must not contain control characters: remove them');
  });
});

describe('a misspelt field', () => {
  const mdp = { format: 'aisle.mdp/v1', states: 1, actions: 1, start: { '0': 1 }, transitions: [[0, 0, 1, 0, 1]] };
  const experiment = (extra: Record<string, unknown>, env: Record<string, unknown> = {}, agent: Record<string, unknown> = {}) => ({
    format: 'aisle.experiment/v1',
    name: 'chain',
    env: { id: 'tabular-mdp', mdp, ...env },
    agent: { id: 'q-learning', ...agent },
    ...extra,
  });

  it('is named with the known field it is closest to, at every level, and nothing is guessed for a name far from all', () => {
    expect(problemsOf(() => parseExperiment(experiment({}, { maxStep: 10 })))).toEqual(['env: unknown field "maxStep" (did you mean "maxSteps"?): remove it or check the spelling']);
    expect(problemsOf(() => parseExperiment(experiment({}, {}, { Alpha: 0.5 })))).toEqual(['agent: unknown field "Alpha" (did you mean "alpha"?): remove it or check the spelling']);
    expect(problemsOf(() => parseExperiment(experiment({ episode: 10 })))).toEqual(['unknown field "episode" (did you mean "episodes"?): remove it or check the spelling']);
    expect(problemsOf(() => parseExperiment(experiment({}, { colour: 'red' })))).toEqual(['env: unknown field "colour": remove it or check the spelling']);
  });
});
