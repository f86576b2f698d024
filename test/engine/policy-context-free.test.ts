// Context-free policies (`kind: "context-free"`, a bandit agent's one row of action values): the
// dependency-free runtime serves the greedy action for any observation, refuses input no policy
// could take, and refuses corrupt or hostile files at load naming the field.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/engine/params';
import { actionRanking, parsePolicy, type ContextFreePolicyFile } from '../../src/engine/policy/format';
import { rankingText } from '../../src/cli/policy';
import { loadPolicy, type PolicyInput } from '../../src/engine/policy/runtime';
import { contextFreePolicy as policy, loadError } from '../helpers/policy';

/** The one problem parsePolicy names (the test fails if it parses). */
function parseProblem(doc: unknown): string {
  try {
    parsePolicy(doc);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).problems.join('\n');
  }
  throw new Error('expected a ValidationError');
}

describe('context-free policy runtime', () => {
  it('serves its greedy action for a state index, a state label or a feature vector alike', () => {
    const p = loadPolicy(JSON.stringify(policy()));
    expect(p.kind).toBe('context-free');
    expect(p.states).toEqual([]);
    expect(p.features).toEqual([]);
    expect(p.actions).toEqual(['shoes', 'hats', 'bags']);
    const inputs: PolicyInput[] = [0, 7, 123_456, 'anyone', '', [0.2, 1, 0], new Float32Array([3, -1]), [5]];
    for (const input of inputs) {
      expect(p.act(input)).toBe(1);
      expect(p.actLabel(input)).toBe('hats');
      expect(p.values(input)).toEqual([0.25, 0.5, 0.125]);
    }
  });

  it('gives a copy of its values', () => {
    const p = loadPolicy(policy());
    const v = p.values(0);
    v[0] = 99;
    expect(p.values(0)).toEqual([0.25, 0.5, 0.125]);
    expect(p.act(0)).toBe(1);
  });

  it('refuses an observation no policy could take, as the other kinds do', () => {
    const p = loadPolicy(policy());
    expect(() => p.act(-1)).toThrow(RangeError);
    expect(() => p.act(1.5)).toThrow(/state 1\.5 is not a state index/);
    expect(() => p.act(Number.NaN)).toThrow(RangeError);
    expect(() => p.act([0.2, Number.NaN])).toThrow(/observation\[1\] must be a finite number within float32's range \(±3\.4e38\), got NaN/);
    expect(() => p.act([0.2, Number.POSITIVE_INFINITY])).toThrow(/observation\[1\]/);
    expect(() => p.act([])).toThrow(/must have 1\.\.1000000 features, got 0/);
    // A hostile array-like is refused on its length, before anything walks it.
    expect(() => p.act({ length: 1e12 } as ArrayLike<number>)).toThrow(/got 1000000000000/);
    expect(() => p.act(undefined as unknown as PolicyInput)).toThrow(TypeError);
    expect(() => p.act(null as unknown as PolicyInput)).toThrow(TypeError);
    expect(() => p.act({} as unknown as PolicyInput)).toThrow(TypeError);
    expect(() => p.values(-1)).toThrow(RangeError);
    expect(() => p.actLabel([Number.NaN])).toThrow(RangeError);
  });

  it('accepts any of tied best actions as greedy, and compares exactly', () => {
    expect(loadPolicy(policy({ values: [1, 1, 0], greedy: 1 })).act(0)).toBe(1);
    expect(loadPolicy(policy({ values: [1, 1, 0], greedy: 0 })).act(0)).toBe(0);
    // 1 + 2^-52 is the next double above 1: not a tie.
    expect(loadError(policy({ values: [1, 1 + 2 ** -52, 0], greedy: 0 }))).toMatch(/^policy\.greedy: action 0 \(value 1\) is not a best action of policy\.values/);
  });

  it('refuses a greedy action that is not a best action of its values, naming the best', () => {
    const message = 'policy.greedy: action 0 (value 0.25) is not a best action of policy.values (best: 1, value 0.5): re-export the policy, or fix greedy to match values';
    expect(loadError(policy({ greedy: 0 }))).toBe(message);
    expect(parseProblem(policy({ greedy: 0 }))).toBe(message);
  });

  it('refuses malformed, mis-sized and non-finite policies naming the field', () => {
    const cases: [unknown, string | RegExp][] = [
      [policy({ values: [0.25, 0.5] }), 'policy.values: must have one value per action (3), got 2'],
      // A values list longer than the actions, greedy within it: a label was left out.
      [policy({ values: [0.25, 0.5, 0.125, 0.0625] }), 'policy.actions: has 3 labels, but policy.values has 4 values, one per action: give one label per action (to take an action out, remove its value from policy.values too)'],
      [policy({ values: [0.25, 0.5, 0.125, 0.0625], greedy: 7 }), 'policy.values: must have one value per action (3), got 4'],
      [policy({ values: undefined }), 'policy.values: must have one value per action (3), but it is missing'],
      [policy({ values: { 0: 1 } }), 'policy.values: must have one value per action (3), got an object'],
      [policy({ values: [0.25, '0.5', 0.125] }), 'policy.values[1]: must be a finite number, got "0.5"'],
      [policy({ values: [0.25, null, 0.125] }), 'policy.values[1]: must be a finite number, got null'],
      [policy({ greedy: 3 }), 'policy.greedy: must be an action index in 0..2, got 3'],
      [policy({ greedy: -1 }), 'policy.greedy: must be an action index in 0..2, got -1'],
      [policy({ greedy: 1.5 }), 'policy.greedy: must be an action index in 0..2, got 1.5'],
      [policy({ greedy: [1] }), 'policy.greedy: must be an action index in 0..2, got an array of 1'],
      [policy({ greedy: undefined }), 'policy.greedy: must be an action index in 0..2, but it is missing'],
      [policy({ actions: [] }), 'policy.actions: has 0 entries, allowed 1..10,000'],
      [policy({ actions: ['shoes', 'hats', 'shoes'] }), 'policy.actions[2]: label "shoes" repeats policy.actions[0]: labels must be unique'],
      [policy({ actions: ['shoes', 'h\u001b[2Jats', 'bags'] }), /^policy\.actions\[1\]: label .* must not contain control characters/],
      [policy({ actions: ['shoes', '', 'bags'] }), 'policy.actions[1]: label must not be empty: name each one (the format requires it)'],
      [policy({ states: ['home', 'cart'] }), /^policy\.states: a context-free policy has no states/],
    ];
    for (const [doc, message] of cases) {
      // Through JSON text, as a file arrives (undefined fields drop out there).
      expect(loadError(JSON.stringify(doc)), String(message)).toMatch(message);
      expect(() => parsePolicy(JSON.parse(JSON.stringify(doc))), String(message)).toThrow(ValidationError);
    }
  });

  it('says a number JSON cannot represent (1e999 reads as Infinity) plainly', () => {
    const text = JSON.stringify(policy()).replace('"values":[0.25', '"values":[-1e999');
    const message = 'policy.values[0]: must be a finite number, got a number too large to represent (it reads as -Infinity)';
    expect(loadError(text)).toBe(message);
    expect(parseProblem(JSON.parse(text))).toBe(message);
  });

  it('refuses huge arrays before walking them', () => {
    const actions = Array.from({ length: 20_000 }, (_, a) => `item ${a}`);
    expect(loadError(policy({ actions }))).toBe('policy.actions: has 20,000 entries, allowed 1..10,000');
    // A values array far longer than the actions is refused on its length alone.
    const values = new Array(5_000_000).fill(0);
    expect(loadError(policy({ values }))).toBe('policy.values: must have one value per action (3), got 5000000');
  });

  it('rejects __proto__ keys and unknown fields without polluting prototypes, the runtime as the parser', () => {
    const text = JSON.stringify(policy()).replace('"values"', '"__proto__":{"polluted":true},"values"');
    const hostile: unknown = JSON.parse(text);
    expect(loadError(hostile)).toBe('policy.__proto__: a context-free policy has no field "__proto__" (its fields: format, kind, name, env, provenance, actions, values, greedy): remove it or correct its name');
    expect(parseProblem(hostile)).toMatch(/__proto__/);
    expect(loadError(policy({ notes: 'x' }))).toMatch(/^policy\.notes: a context-free policy has no field "notes"/);
    expect(parseProblem(policy({ q: [[0.25, 0.5, 0.125]] }))).toMatch(/"q"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('parses as its own kind, keeping values and greedy as written', () => {
    expect(parsePolicy(policy())).toMatchObject({ kind: 'context-free', values: [0.25, 0.5, 0.125], greedy: 1 });
    const missing = policy();
    delete (missing.provenance as Record<string, unknown>).agent;
    expect(parseProblem(missing)).toMatch(/policy\.provenance\.agent: is required/);
  });

  it('refuses control characters in the texts Aisle prints (a terminal would act on an ESC sequence), and a blank name', () => {
    const provenance = policy().provenance;
    expect(parseProblem(policy({ name: 'evil\u001b[31mred' }))).toBe('policy.name: must not contain control characters (found U+001B at character 5): remove it');
    expect(parseProblem(policy({ name: 'right\u202eleft' }))).toMatch(/^policy\.name: must not contain control characters \(found U\+202E/);
    expect(parseProblem(policy({ provenance: { ...provenance, experimentName: 'x\u001b[2J' } }))).toMatch(/^policy\.provenance\.experimentName: must not contain control characters/);
    expect(parseProblem(policy({ provenance: { ...provenance, agent: 'q\u001b[32mlearn' } }))).toMatch(/^policy\.provenance\.agent: must not contain control characters/);
    expect(parseProblem(policy({ name: '  ' }))).toBe('policy.name: must not be blank: give the policy a name, or leave the field out (an imported file is then named by its file)');
    expect(parseProblem(policy({ name: '' }))).toMatch(/^policy\.name: must not be blank/);
    expect(parsePolicy(policy({ name: 'shoes first — run 3' })).name).toBe('shoes first — run 3');
  });
});

describe('actionRanking', () => {
  it('orders actions by value, high to low, ties to the lower index (as greedy)', () => {
    expect(actionRanking([0.25, 0.5, 0.125])).toEqual([1, 0, 2]);
    expect(actionRanking([1, 3, 3, 2], 3)).toEqual([1, 2, 3]);
    expect(actionRanking([0, 0, 0], 5)).toEqual([0, 1, 2]);
  });
});

describe('servedRanking', () => {
  it('puts the action the policy serves first where the file chose another of the tied best, as aisle policies show and export print it', () => {
    // Values [0.5, 0.5, 0.1] with greedy b: by value alone a headed the list beside "serves b".
    const tied = parsePolicy(policy({ actions: ['a', 'b', 'c'], values: [0.5, 0.5, 0.1], greedy: 1 })) as ContextFreePolicyFile;
    expect(rankingText(tied)).toBe('b (0.5), a (0.5), c (0.1)');
    expect(rankingText(tied, 2)).toBe('b (0.5), a (0.5), …');
    // The lowest-index best, as every export writes it: the order by value.
    const exported = parsePolicy(policy({ actions: ['a', 'b', 'c'], values: [0.5, 0.5, 0.1], greedy: 0 })) as ContextFreePolicyFile;
    expect(rankingText(exported)).toBe('a (0.5), b (0.5), c (0.1)');
  });
});
