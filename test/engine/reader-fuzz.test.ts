// What fuzzing the readers of user files (experiments, catalogs, policies) turned up: each input
// here once crashed the reader (a stack overflow), or was refused in zod's own words, with a value
// shown wrongly (1e999 as null, a missing field as undefined), or with the whole of a huge value.
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_FORMAT, parseExperiment, readFileParams } from '../../src/engine/experiment';
import { parseCatalog } from '../../src/engine/envs/shop/catalog';
import { parseMdp } from '../../src/engine/mdp/format';
import { parsePolicy } from '../../src/engine/policy/format';
import { CONTROL, firstFive, show, showJson, ValidationError } from '../../src/engine/params';
import { evaluateTargets } from '../../src/engine/ope/run';
import { tabularPolicy } from '../helpers/policy';
import { textLines } from '../../src/engine/csv';
import { parseLogLines, parseLogLinesToFit } from '../../src/engine/ope/csv';
import { parseJsonText } from '../../src/shared/json-text';

const experiment = (fields: Record<string, unknown>) => ({ format: EXPERIMENT_FORMAT, name: 'fuzz', env: { id: 'bandit-testbed' }, agent: { id: 'epsilon-greedy' }, ...fields });

/** The problems a reader throws; a crash (anything but a ValidationError) fails the test with it. */
function problems(read: () => unknown): readonly string[] {
  try {
    read();
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  throw new Error('accepted');
}

/** [[[…[1]…]]], `depth` arrays deep: JSON.parse reads it whatever the depth. */
function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('experiment files', () => {
  it('refuses a value nested thousands deep in its field, not with a stack overflow', () => {
    // JSON.stringify of the value, for the message, overflowed the stack: `aisle run` printed
    // "aisle: Maximum call stack size exceeded" and exited 1.
    expect(problems(() => parseExperiment(experiment({ agent: { id: 'epsilon-greedy', epsilon: nested(5000) } })))).toEqual([
      `agent.epsilon: must be a number in [0, 1] or a schedule { "start", "end", "decayEpisodes" }, got ${'['.repeat(60)}…`,
    ]);
    expect(problems(() => parseExperiment(experiment({ env: { id: 'shop', shiftAt: nested(5000) } })))).toEqual([
      `env.shiftAt: must be a whole number in [0, 100,000,000] or null, got ${'['.repeat(60)}…`,
    ]);
    // A short list still shows as written.
    expect(problems(() => parseExperiment(experiment({ agent: { id: 'epsilon-greedy', epsilon: [1, 0.05, 500] } })))).toEqual([
      'agent.epsilon: must be a number in [0, 1] or a schedule { "start", "end", "decayEpisodes" }, got [1,0.05,500]',
    ]);
  });

  it('shows 1e999 inside a list as Infinity, not null', () => {
    expect(problems(() => parseExperiment(experiment({ agent: { id: 'epsilon-greedy', epsilon: [Infinity] } })))).toEqual([
      'agent.epsilon: must be a number in [0, 1] or a schedule { "start", "end", "decayEpisodes" }, got [Infinity]',
    ]);
    expect(problems(() => parseExperiment(experiment({ env: { id: 'shop', shiftAt: { start: 1, end: -Infinity } } })))).toEqual([
      'env.shiftAt: must be a whole number in [0, 100,000,000] or null, got {"start":1,"end":-Infinity}',
    ]);
  });

  it('says 1e999 given for a text or an object in its own words, not zod’s', () => {
    // Were "description: Invalid input: expected string, received -Infinity" and "must be a string, got a Infinity".
    expect(problems(() => parseExperiment(experiment({ description: -Infinity })))).toEqual([
      'description: must be a string, got a number too large to represent (it reads as -Infinity)',
    ]);
    expect(problems(() => parseExperiment(experiment({ description: Infinity })))).toEqual([
      'description: must be a string, got a number too large to represent (it reads as Infinity)',
    ]);
    expect(problems(() => parseExperiment(experiment({ evaluation: -Infinity })))).toEqual([
      'evaluation: must be an object, got a number too large to represent (it reads as -Infinity)',
    ]);
  });

  it('quotes a long text it refuses in part, not whole', () => {
    const long = 'x'.repeat(100_000);
    const [alpha] = problems(() => parseExperiment(experiment({ agent: { id: 'q-learning', alpha: long } })));
    expect(alpha).toBe(`agent.alpha: must be a number in (0, 1], got "${'x'.repeat(60)}"…`);
    const [id] = problems(() => parseExperiment(experiment({ agent: { id: long } })));
    expect(id).toMatch(new RegExp(`^agent\\.id: unknown agent "x{60}"…: choose one of q-learning, `));
  });

  it('says a whole number past 2^53 is too large, where its field has no upper bound', () => {
    // "must be a whole number ≥ 1, got 10,000,000,000,000,000" named a rule the value keeps.
    expect(problems(() => parseExperiment(experiment({ agent: { id: 'epsilon-greedy', epsilon: { start: 1, end: 0.1, decayEpisodes: 1e16 } } })))).toEqual([
      'agent.epsilon.decayEpisodes: must be a whole number ≥ 1 and ≤ 9,007,199,254,740,991, got 10,000,000,000,000,000',
    ]);
  });

  it('shows what was given for a catalog or an MDP that is neither a path nor an object', () => {
    // null and an array read as "got object".
    expect(problems(() => parseExperiment(experiment({ env: { id: 'shop', catalog: null }, agent: { id: 'random' } })))).toEqual([
      'env.catalog: must be the path of a catalog JSON file or an inline catalog { items: [...] }, got null',
    ]);
    expect(problems(() => parseExperiment(experiment({ env: { id: 'tabular-mdp', mdp: [1, 2] }, agent: { id: 'random' } })))).toEqual([
      'env.mdp: must be the path of an aisle.mdp/v1 file or an inline aisle.mdp/v1 object, got [1,2]',
    ]);
  });

  it('names the field of an inline MDP or catalog nested thousands deep, not "Maximum call stack size exceeded"', () => {
    // The environments' caches keyed the file by JSON.stringify before parsing it, which overflowed:
    // "env: Maximum call stack size exceeded" (found by test/main/input-fuzz, experiment value seeds 56 and 73).
    const mdp = { format: 'aisle.mdp/v1', states: 2, actions: 1, start: { 0: 1 }, terminal: [1], transitions: [[0, 0, 1, 1, 1]] };
    const q = { id: 'q-learning' };
    expect(problems(() => parseExperiment(experiment({ env: { id: 'tabular-mdp', mdp: { ...mdp, name: nested(5000) } }, agent: q })))).toEqual([
      'env.mdp.name: must be a string, got an array',
    ]);
    expect(problems(() => parseExperiment(experiment({ env: { id: 'tabular-mdp', mdp: { ...mdp, start: { 0: nested(5000) } } }, agent: q })))).toEqual([
      'env.mdp.start.0: must be a number in (0, 1], got an array',
    ]);
    expect(problems(() => parseExperiment(experiment({ env: { id: 'shop', catalog: { categories: ['a'], items: nested(5000) } }, agent: q })))).toEqual([
      'env.catalog.items[0]: must be an object, got an array',
    ]);
    expect(problems(() => parseExperiment(experiment({ env: { id: 'shop', catalog: { categories: nested(5000), items: [{ id: 'i', category: 0, price: 1, quality: 0.5, attractiveness: 0.5 }] } }, agent: q })))).toEqual([
      'env.catalog.categories[0]: must be a string, got an array',
    ]);
  });
});

describe('a file path with a control character', () => {
  it('is refused as such, before anything tries to read it', () => {
    // A NUL was read, and refused in Node's words ("The argument 'path' must be a string, Uint8Array,
    // or URL without null bytes. Received …"); a line break split "file not found (…)" or the app's
    // "was not among the files given" in two (test/main/input-fuzz, file seed 4935).
    const readJson = (path: string): unknown => {
      throw new Error(`read ${path}`);
    };
    const env = { id: 'tabular-mdp', mdp: 'cliff.mdp.json\u0000\n' };
    expect(problems(() => parseExperiment(experiment({ env, agent: { id: 'q-learning' } }), { readJson }))).toEqual([
      'env.mdp: must not contain control characters (found U+0000 at character 15): give the path of a JSON file, or the object inline',
    ]);
    expect(readFileParams(experiment({ env }), readJson)).toEqual({ files: {}, problems: [] });
  });
});

describe('a list given for a text', () => {
  it('is refused as no text, once, and never with a TypeError', () => {
    // zod runs a text's length check on a list too: its message took String() of the list, which
    // threw for an element { "toString": 2 } ("Cannot convert object to primitive value", exit 1
    // from aisle run; test/main/input-fuzz file seed 3316), and otherwise added a second line
    // measuring the list as text ("name: has 693 characters, more than 200: shorten it").
    const list = (n: number) => Array.from({ length: n }, (_, i): unknown => (i === 3 ? { toString: 2 } : i));
    expect(problems(() => parseExperiment(experiment({ description: list(10_001) })))).toEqual(['description: must be a string, got an array']);
    expect(problems(() => parseExperiment(experiment({ name: list(201) })))).toEqual(['name: must be a text such as "cliff q-learning"']);
    const mdp = { format: 'aisle.mdp/v1', states: 1, actions: 1, start: { 0: 1 }, terminal: [0], transitions: [] };
    expect(problems(() => parseMdp({ ...mdp, name: list(201) }))).toEqual(['mdp.name: must be a string, got an array']);
  });
});

describe('MDP files', () => {
  it('quotes a long state label or start key in part in every line that names it', () => {
    // Each line naming the state carried the whole label: two labels of 100,000 characters made lines of 200,000.
    const long = 'é'.repeat(100_000);
    const mdp = { format: 'aisle.mdp/v1', states: [long, 'end'], actions: 1, start: { '0': 1 }, terminal: [1], transitions: [[0, 0, 0.9, 1, 0]] };
    const cut = `"${'é'.repeat(40)}…"`;
    expect(problems(() => parseMdp(mdp))).toEqual([`mdp.transitions: probabilities for (state 0 ${cut}, action 0) sum to 0.9, must sum to 1 (±1e-9): fix the probabilities of that pair`]);
    expect(problems(() => parseMdp({ ...mdp, states: [long, long], terminal: [], transitions: [[0, 0, 1, 1, 0], [1, 0, 1, 0, 0]] }))).toEqual([
      `mdp.states[1]: label ${cut} repeats mdp.states[0]: labels must be unique`,
    ]);
    expect(problems(() => parseMdp({ ...mdp, transitions: [[0, 0, 1, 1, 0]], start: { [long]: 1 } }))).toEqual([
      `mdp.start[${cut}]: keys must be state indices written as strings ("0", "1", …), got ${cut}`,
    ]);
  });
});

describe('a key with a line break, an ESC or thousands of characters', () => {
  it('is quoted escaped and in part, so that each problem stays one short line', () => {
    // Keys went into the lines raw: `aisle run` printed 'aisle: unknown field "line' and then 'break…'
    // on a line of its own, without "aisle: ", and a key of 5,000 characters whole (test/main/input-fuzz,
    // experiment value seed 47, catalog value seed 163).
    const key = 'line\nbreak\u001b[2J';
    const long = 'x'.repeat(5000);
    expect(problems(() => parseExperiment({ ...experiment({}), [key]: 1 }))).toEqual(['unknown field "line\\nbreak\\u001b[2J": remove it or check the spelling']);
    expect(problems(() => parseExperiment({ ...experiment({}), [long]: 1 }))).toEqual([`unknown field "${'x'.repeat(40)}…": remove it or check the spelling`]);
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, 1]));
    expect(problems(() => parseExperiment({ ...experiment({}), ...many }))).toEqual([
      'unknown fields "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9" and 2 more: remove them or check the spelling',
    ]);
    // In a path: a start key, and a field of a record's (zod's path) bad value.
    const mdp = { format: 'aisle.mdp/v1', states: 2, actions: 1, start: { 0: 1 }, terminal: [1], transitions: [[0, 0, 1, 1, 0]] };
    expect(problems(() => parseMdp({ ...mdp, start: { [key]: 1 } }))).toEqual([
      'mdp.start["line\\nbreak\\u001b[2J"]: keys must be state indices written as strings ("0", "1", …), got "line\\nbreak\\u001b[2J"',
    ]);
    expect(problems(() => parseMdp({ ...mdp, start: { 0: 0.5, [key]: '1' } }))).toEqual(['mdp.start["line\\nbreak\\u001b[2J"]: must be a number in (0, 1], got "1"']);
    // DEL and a bidirectional override, which JSON's quoting leaves raw (the override showed the rest of the line reversed).
    expect(problems(() => parseExperiment({ ...experiment({}), ['a\u007fb\u202ec']: 1 }))).toEqual(['unknown field "a\\u007fb\\u202ec": remove it or check the spelling']);
    for (const line of [...problems(() => parseCatalog({ categories: ['a'], items: [{ id: 'i', category: 0, price: 1, quality: 0.5, attractiveness: 0.5, [key]: 1 }] }))]) {
      expect(CONTROL.test(line), line).toBe(false);
    }
  });
});

describe('shop catalogs', () => {
  it('quotes a long repeated category name in part', () => {
    const long = 'c'.repeat(100_000);
    const items = [{ category: 0, price: 1, quality: 0.5, attractiveness: 0 }];
    expect(problems(() => parseCatalog({ categories: [long, long], items }))).toEqual([`catalog.categories[1]: "${'c'.repeat(60)}"… repeats catalog.categories[0]: category names must be unique`]);
  });

  it('says a missing field of an item is required, not "got undefined"', () => {
    expect(problems(() => parseCatalog({ items: [{ category: 0, quality: 0.5 }] }))).toEqual([
      'catalog.items[0].price: is required: a number in (0, 1,000,000,000]',
      'catalog.items[0].attractiveness: is required: a number in [-20, 20]',
    ]);
  });
});

describe('policy files', () => {
  it('says 1e999 given for a text is not a text, not "must be a finite number"', () => {
    expect(problems(() => parsePolicy(tabularPolicy({ name: Infinity })))).toEqual(['policy.name: must be a string, got a number too large to represent (it reads as Infinity)']);
    const provenance = { ...tabularPolicy().provenance, agent: -Infinity, seed: Infinity };
    expect(problems(() => parsePolicy(tabularPolicy({ provenance })))).toEqual([
      'policy.provenance.agent: must be a string, got a number too large to represent (it reads as -Infinity)',
      'policy.provenance.seed: must be a finite number, got a number too large to represent (it reads as Infinity)',
    ]);
  });

  it('refuses env.params nested thousands deep, which the fingerprint hash would recurse through', () => {
    // Accepted here, then `aisle eval` and `aisle policies import` hashed the settings (canonical
    // JSON, one call per level) and ended in "aisle: Maximum call stack size exceeded", exit 1.
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    const env = { ...tabularPolicy().env, params: { maxSteps: 10, mdp: deep } };
    expect(problems(() => parsePolicy(tabularPolicy({ env })))).toEqual([
      "policy.env.params: nests objects or arrays more than 64 deep, which no environment's settings do: export the policy again from its run",
    ]);
    // An inline catalog, as a shop policy's settings hold one, is far from it.
    const catalog = { categories: ['a'], items: [{ category: 0, price: 1, quality: 0.5, attractiveness: 0 }] };
    expect(parsePolicy(tabularPolicy({ env: { ...tabularPolicy().env, params: { catalog } } })).env.params).toEqual({ catalog });
  });

  it('says a whole number past 2^53 is too large in its own words, not zod’s', () => {
    // Was "policy.provenance.runId: Too big: expected int to be <=9007199254740991".
    const provenance = { ...tabularPolicy().provenance, runId: 2 ** 53 };
    expect(problems(() => parsePolicy(tabularPolicy({ provenance })))).toEqual(['policy.provenance.runId: must be ≤ 9,007,199,254,740,991']);
  });
});

describe('logged-data CSV', () => {
  /** The problems parseLogLines refuses `text` with. */
  async function csvProblems(text: string): Promise<readonly string[]> {
    try {
      await parseLogLines(textLines(text), 'logs.csv');
    } catch (e) {
      if (e instanceof ValidationError) return e.problems;
      throw e;
    }
    throw new Error('accepted');
  }

  it('quotes a field of thousands of characters cut to 60, not whole (test/cli/logs-fuzz, seed 74)', async () => {
    // A click of 5,000 characters made a line of 5,152: the field was quoted whole.
    const long = 'x'.repeat(5000);
    expect(await csvProblems(`item,position,click,pscore\n1,1,${long},0.5\n`)).toEqual([
      `logs.csv:2: column "click": must be a finite decimal number (the reward, such as a click's 0 or 1), got "${'x'.repeat(60)}"…`,
    ]);
    // Reading stopped on ten rows with one problem: one line, each of its first three values cut.
    const rows = Array.from({ length: 10 }, (_, i) => `1,1,0,${long}${i}`).join('\n');
    const [line] = await csvProblems(`item,position,click,pscore\n${rows}\n`);
    expect(line).toMatch(new RegExp(`^logs\\.csv:2–11: column "pscore": .*, got "x{60}"…, "x{60}"…, "x{60}"…, …, on each of the first 10 rows checked, so reading stopped`));
    expect(line!.length).toBeLessThan(600);
  });
});

describe('control characters a file holds, in the messages that quote it', () => {
  it('escapes a bidirectional override in a quoted field, which JSON leaves raw (test/cli/logs-fuzz, seed 170)', async () => {
    // Was `got "a‮b"`: the override, raw, showed the rest of the line reversed.
    await expect(parseLogLinesToFit(textLines('item,position,click,pscore\na\u202Eb,1,1,0.5\n'), 'logs.csv')).rejects.toThrow(
      new ValidationError([`logs.csv:2: column "item": holds a control character (U+202E at character 2), which a simulator's action label cannot hold: remove it, got "a\\u202eb"`]),
    );
    expect(show('x\u0085y\u2066')).toBe('"x\\u0085y\\u2066"');
    expect(showJson(['\u202E'])).toBe('["\\u202e"]');
  });

  it('escapes the character a JSON syntax error names (test/main/policy-fuzz, seed 17 of the damaged bytes)', () => {
    // Was "(Unexpected token '␀')" with the NUL itself, which hid the rest of the line on a terminal.
    expect(problems(() => parseJsonText('{"a": \u0000}', 'f.json'))).toEqual(["f.json: malformed JSON at line 1, column 7 (Unexpected token '\\u0000'): fix the syntax and try again"]);
  });
});

describe('a file\'s names listed in a message', () => {
  it('quotes a log\'s action listed with an ESC in it, or thousands of characters long (test/cli/logs-fuzz, seed 319)', async () => {
    // Was "never appears in the logs' actions (␛[31m7, 2)": the ESC sequence, raw, recoloured the terminal.
    const data = await parseLogLines(textLines(`item,position,click,pscore\n\u001b[31m7,1,1,0.5\n${'x'.repeat(5000)},1,0,0.5\n2,1,0,0.5\n`), 'logs.csv');
    await expect(evaluateTargets(data, [{ kind: 'action', action: '9' }], () => Promise.resolve(data), { resamples: 10 })).rejects.toThrow(
      new ValidationError([`target action:9: "9" never appears in the logs' actions ("\\u001b[31m7", 2, "${'x'.repeat(60)}"…): give one of them`]),
    );
    expect(firstFive(['a', 'b\u202Ec'])).toBe('a, "b\\u202ec"');
  });

  it('quotes a header\'s column with a NUL in it (test/cli/logs-fuzz, seed 1156)', async () => {
    await expect(parseLogLines(textLines('item,\u0000position,click\n1,1,1\n'), 'logs.csv')).rejects.toThrow(/\(its columns: item, "\\u0000position", click\)/);
  });
});
