import { describe, expect, it } from 'vitest';
import { canonicalMdpJson, mdpFileSchema, mdpToFile, parseMdp, type Mdp } from '../../src/engine/mdp/format';
import { ValidationError } from '../../src/engine/params';
import { jsonSchemaOf } from '../../src/engine/json-schema';

/** The brief's two-state chain. */
const chain = () => ({
  format: 'aisle.mdp/v1',
  name: 'two-state chain',
  states: 2,
  actions: ['stay', 'move'],
  start: { '0': 1.0 },
  terminal: [] as number[],
  transitions: [
    [0, 0, 1.0, 0, 0.0],
    [0, 1, 1.0, 1, 1.0],
    [1, 0, 1.0, 1, 2.0],
    [1, 1, 1.0, 0, 0.0],
  ] as unknown[],
});

/** Four labelled states, s3 terminal; every other pair goes to s3 or stays. */
const labelled = () => ({
  format: 'aisle.mdp/v1',
  states: ['s0', 's1', 's2', 's3'],
  actions: ['stay', 'move'],
  start: { '0': 0.5, '1': 0.5 },
  terminal: [3],
  transitions: [
    [0, 0, 1, 0, 0],
    [0, 1, 1, 1, 1],
    [1, 0, 0.5, 1, 0],
    [1, 0, 0.5, 3, 5],
    [1, 1, 1, 2, 0],
    [2, 0, 1, 2, 0],
    [2, 1, 0.25, 3, 1],
    [2, 1, 0.75, 0, 0],
  ] as unknown[],
});

function problemsOf(raw: unknown, prefix?: string): readonly string[] {
  try {
    parseMdp(raw, prefix);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).problems;
  }
  throw new Error('expected a ValidationError');
}

function arrays(mdp: Mdp) {
  return { ...mdp, start: [...mdp.start], terminal: [...mdp.terminal], offsets: [...mdp.offsets], next: [...mdp.next], prob: [...mdp.prob], cumProb: [...mdp.cumProb], reward: [...mdp.reward] };
}

describe('parseMdp: valid files', () => {
  it('compiles the two-state chain into CSR arrays', () => {
    const mdp = parseMdp(chain());
    expect(mdp.name).toBe('two-state chain');
    expect([mdp.states, mdp.actions]).toEqual([2, 2]);
    expect(mdp.stateLabels).toEqual(['0', '1']); // a count gets index labels
    expect(mdp.actionLabels).toEqual(['stay', 'move']);
    expect([...mdp.start]).toEqual([1, 0]);
    expect([...mdp.terminal]).toEqual([0, 0]);
    expect([...mdp.offsets]).toEqual([0, 1, 2, 3, 4]);
    expect([...mdp.next]).toEqual([0, 1, 1, 0]);
    expect([...mdp.reward]).toEqual([0, 1, 2, 0]);
    expect([...mdp.cumProb]).toEqual([1, 1, 1, 1]);
  });

  it('accepts labels or counts for states and actions, and defaults terminal to []', () => {
    const counts = parseMdp({ ...chain(), actions: 2, terminal: undefined });
    expect(counts.actionLabels).toEqual(['0', '1']);
    const mdp = parseMdp(labelled());
    expect(mdp.stateLabels).toEqual(['s0', 's1', 's2', 's3']);
    expect([...mdp.terminal]).toEqual([0, 0, 0, 1]);
    // Pair (2, move) lists s3 before s0 in the file; compiled rows are sorted by next state.
    const pair = 2 * 2 + 1;
    expect([...mdp.next.subarray(mdp.offsets[pair], mdp.offsets[pair + 1])]).toEqual([0, 3]);
    expect([...mdp.cumProb.subarray(mdp.offsets[pair], mdp.offsets[pair + 1])]).toEqual([0.75, 1]);
  });

  it('round-trips through mdpToFile and parseMdp', () => {
    for (const file of [chain(), labelled()]) {
      const mdp = parseMdp(file);
      const back = mdpToFile(mdp);
      expect(mdpFileSchema.safeParse(back).success).toBe(true);
      expect(arrays(parseMdp(back))).toEqual(arrays(mdp));
      expect(mdpToFile(parseMdp(back))).toEqual(back);
    }
    expect(mdpToFile(parseMdp(chain())).states).toBe(2); // default labels become a count again
  });

  it('gives a canonical JSON text that ignores row order and is itself a valid file', () => {
    const file = labelled();
    const text = canonicalMdpJson(parseMdp(file));
    const shuffled = { ...file, transitions: [...file.transitions].reverse() };
    expect(canonicalMdpJson(parseMdp(shuffled))).toBe(text);
    expect(canonicalMdpJson(parseMdp(JSON.parse(text)))).toBe(text);
    expect(text.startsWith('{"format":"aisle.mdp/v1","states":["s0","s1","s2","s3"],"actions":["stay","move"],"start":{"0":0.5,"1":0.5},"terminal":[3],"transitions":[[0,0,1,0,0],')).toBe(true);
    const changed = { ...file, transitions: file.transitions.map((r, i) => (i === 0 ? [0, 0, 1, 0, 0.5] : r)) };
    expect(canonicalMdpJson(parseMdp(changed))).not.toBe(text);
  });

  it('produces a JSON Schema', () => {
    const schema = jsonSchemaOf(mdpFileSchema) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(['format', 'name', 'states', 'actions', 'start', 'terminal', 'transitions']);
    expect(schema.required).toEqual(['format', 'states', 'actions', 'start', 'transitions']);
  });
});

describe('parseMdp: every problem names its field, its pair and the fix', () => {
  const withRows = (rows: unknown[]) => ({ ...labelled(), transitions: rows });
  const rows = labelled().transitions;

  it('probabilities of a pair that do not sum to 1', () => {
    const bad = rows.map((r, i) => (i === 3 ? [1, 0, 0.4, 3, 5] : r));
    expect(problemsOf(withRows(bad))).toEqual(['mdp.transitions: probabilities for (state 1 "s1", action 0 "stay") sum to 0.9, must sum to 1 (±1e-9): fix the probabilities of that pair']);
  });

  it('indices out of range', () => {
    const bad = rows.map((r, i) => (i === 3 ? [1, 0, 0.5, 7, 5] : i === 4 ? [1, 2, 1, 2, 0] : r));
    expect(problemsOf(withRows(bad))).toEqual([
      'mdp.transitions[3][3]: nextState 7 is out of range: the MDP has 4 states (0..3): use an index in 0..3, or add its label to "states"',
      'mdp.transitions[4][1]: action 2 is out of range: the MDP has 2 actions (0..1): use an index in 0..1, or add its label to "actions"',
    ]);
    // States and actions given as counts: the fix is the count.
    expect(problemsOf({ format: 'aisle.mdp/v1', states: 2, actions: 1, start: { '0': 1 }, terminal: [1], transitions: [[0, 0, 1, 2, 0]] })).toEqual([
      'mdp.transitions[0][3]: nextState 2 is out of range: the MDP has 2 states (0..1): use an index in 0..1, or raise "states"',
    ]);
  });

  it('a missing action', () => {
    expect(problemsOf(withRows(rows.filter((_, i) => i !== 6 && i !== 7)))).toEqual([
      'mdp.transitions: state 2 "s2" has no transitions for action 1 "move": every non-terminal state must define every action',
    ]);
  });

  it('a state with no transitions at all: one line, saying it may be meant as terminal', () => {
    expect(problemsOf(withRows(rows.filter((r) => (r as number[])[0] !== 2)))).toEqual([
      'mdp.transitions: state 2 "s2" has no transitions for any action: list it in mdp.terminal if episodes end there, else define every action from it',
    ]);
  });

  it("an inline MDP's state with no transitions names the terminal list where it is (env.mdp.terminal), not a file's", () => {
    expect(problemsOf(withRows(rows.filter((r) => (r as number[])[0] !== 2)), 'env.mdp')).toEqual([
      'env.mdp.transitions: state 2 "s2" has no transitions for any action: list it in env.mdp.terminal if episodes end there, else define every action from it',
    ]);
  });

  it('duplicate (state, action, nextState) rows', () => {
    const bad = [...rows.filter((_, i) => i !== 3), [1, 0, 0.25, 1, 0]].map((r, i) => (i === 2 ? [1, 0, 0.75, 1, 0] : r));
    const problems = problemsOf(withRows(bad));
    expect(problems).toContain('mdp.transitions[7]: repeats (state 1 "s1", action 0 "stay") → state 1 "s1" of transitions[2]: merge them into one entry with the summed probability (and the probability-weighted mean reward)');
  });

  it('transitions out of a terminal state', () => {
    expect(problemsOf(withRows([...rows, [3, 0, 1, 3, 0]]))).toEqual(['mdp.transitions[8]: state 3 "s3" is terminal: remove its transitions (an episode ends on entering a terminal state)']);
  });

  it('malformed rows, each field on its own line', () => {
    const bad = [...rows, 'x', [0, 0, 1], [0.5, -1, 0, 1, Infinity], [0, 0, 1.5, 1, '2']];
    expect(problemsOf(withRows(bad))).toEqual([
      'mdp.transitions[8]: must be [state, action, probability, nextState, reward], got "x"',
      'mdp.transitions[9]: must be [state, action, probability, nextState, reward], got an array of 3',
      'mdp.transitions[10][0]: state must be a whole number ≥ 0, got 0.5',
      'mdp.transitions[10][1]: action must be a whole number ≥ 0, got -1',
      'mdp.transitions[10][2]: probability must be a number in (0, 1], got 0',
      'mdp.transitions[10][4]: reward must be a number in [-1e9, 1e9], got a number too large to represent (it reads as Infinity)',
      'mdp.transitions[11][2]: probability must be a number in (0, 1], got 1.5',
      'mdp.transitions[11][4]: reward must be a number in [-1e9, 1e9], got "2"',
    ]);
  });

  it('the start distribution and terminal list', () => {
    const problems = problemsOf({ ...labelled(), start: { '0': 0.5, '3': 0.25, '9': 0.1, x: 0.1, '01': 0.05 }, terminal: [3, 3, 4] });
    expect(problems).toEqual([
      'mdp.terminal[1]: state 3 is listed twice: remove the repeat',
      'mdp.terminal[2]: state 4 is out of range: the MDP has 4 states (0..3): use an index in 0..3, or add its label to "states"',
      'mdp.start.3: state 3 "s3" is terminal: an episode cannot start in a terminal state; remove it from start or from terminal',
      'mdp.start.9: state 9 is out of range: the MDP has 4 states (0..3): use an index in 0..3, or add its label to "states"',
      'mdp.start.x: keys must be state indices written as strings ("0", "1", …), got "x"',
      'mdp.start.01: keys must be state indices written as strings ("0", "1", …), got "01"',
    ]);
    expect(problemsOf({ ...labelled(), start: { '0': 0.5 } })).toEqual(['mdp.start: probabilities sum to 0.5, must sum to 1 (±1e-9): fix the start probabilities']);
  });

  it('names a "__proto__" key of start as any other non-index key (the schema drops it), its probability counted', () => {
    const file = (start: string) => JSON.parse(`{"format":"aisle.mdp/v1","states":2,"actions":1,"start":${start},"transitions":[[0,0,1,1,0],[1,0,1,0,1]]}`) as unknown;
    const named = 'mdp.start.__proto__: keys must be state indices written as strings ("0", "1", …), got "__proto__"';
    expect(problemsOf(file('{"__proto__": 0.5, "0": 1}'))).toEqual([named, 'mdp.start: probabilities sum to 1.5, must sum to 1 (±1e-9): fix the start probabilities']);
    expect(problemsOf(file('{"__proto__": 1}'))).toEqual([named]);
    expect(parseMdp(file('{"0": 1}')).start[0]).toBe(1);
  });

  it('the header, through the schema, with the given prefix', () => {
    const problems = problemsOf({ format: 'aisle.mdp/v2', states: 0, actions: ['a', 'a'], start: { '0': 2 }, extra: 1 }, 'env.params.mdp');
    expect(problems).toEqual([
      'env.params.mdp.format: must be "aisle.mdp/v1", got "aisle.mdp/v2"',
      'env.params.mdp.states: must be the number of states (a whole number in [1, 1,000,000]) or an array of 1 to 1,000,000 non-empty state labels, got 0',
      'env.params.mdp.start.0: must be a number in (0, 1], got 2',
      'env.params.mdp: unknown field "extra": remove it or check the spelling',
      'env.params.mdp.transitions: must be an array of [state, action, probability, nextState, reward] entries, got nothing (the field is required)',
    ]);
    expect(problemsOf('not an mdp')).toEqual(['mdp: must be an aisle.mdp/v1 object, got "not an mdp"']);
    expect(problemsOf({ ...chain(), actions: ['go', 'go'] })).toEqual(['mdp.actions[1]: label "go" repeats mdp.actions[0]: labels must be unique']);
  });

  it('a list of labels with labels that are not text: named at its first, as labels, with how many more', () => {
    // `"actions": [0, 1, 2, 3]` gave a line per label, each in the whole field's words ("must be the
    // number of actions … or an array of … labels, got 0"), and 48 numbered states filled the 20 lines.
    expect(problemsOf({ ...chain(), actions: [0] })).toEqual([
      'mdp.actions[0]: an action label must be text, got 0: write each label in quotes (0 as "0"), or give the number of actions in place of the list',
    ]);
    expect(problemsOf({ ...chain(), states: [0, 1] })).toEqual([
      'mdp.states[0]: a state label must be text, got 0: write each label in quotes (0 as "0"), or give the number of states in place of the list (1 more of its labels is refused too)',
    ]);
    expect(problemsOf({ ...chain(), states: ['a', ''] })).toEqual(['mdp.states[1]: a state label must not be empty: name the state']);
    const many = problemsOf({ ...chain(), states: Array.from({ length: 48 }, (_, i) => i) });
    expect(many).toEqual([expect.stringMatching(/^mdp\.states\[0\]: a state label must be text, got 0: .* \(47 more of its labels are refused too\)$/)]);
  });

  it('caps the list at 20 lines and says how many more', () => {
    const bad = Array.from({ length: 100 }, () => [0, 0, 2, 0, 0]);
    const problems = problemsOf({ ...chain(), transitions: bad });
    expect(problems).toHaveLength(21);
    expect(problems[20]).toBe('… and 80 more problems');
  });

  it('agrees with mdpFileSchema on what a well-formed row is', () => {
    const candidates: unknown[] = [[0, 1, 1, 1, 1], [0, 1, 1, 1, -2.5], [0, 1, 0, 1, 1], [0, 1, 1.01, 1, 1], [0, 1, -0.5, 1, 1], [0.5, 1, 1, 1, 1], [0, -1, 1, 1, 1], [0, 1, 1, 1.5, 1], [0, 1, 1, 1, NaN], [0, 1, 1, 1, Infinity], [0, 1, '1', 1, 1], [0, 1, 1, 1, null], [0, 1, 1, 1], [0, 1, 1, 1, 1, 1], 'row', null, {}];
    for (const row of candidates) {
      const file = { ...chain(), transitions: [...chain().transitions.slice(0, 1), row, ...chain().transitions.slice(2)] };
      const schemaAccepts = mdpFileSchema.safeParse(file).success;
      let rowProblems: string[] = [];
      try {
        parseMdp(file);
      } catch (e) {
        rowProblems = (e as ValidationError).problems.filter((p) => p.startsWith('mdp.transitions[1]'));
      }
      expect({ row, rejected: rowProblems.length > 0 }).toEqual({ row, rejected: !schemaAccepts });
    }
  });
});

describe('parseMdp: hostile sizes are refused quickly', () => {
  const quick = (raw: unknown, expected: RegExp) => {
    const t0 = performance.now();
    const problems = problemsOf(raw);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(problems.join('\n')).toMatch(expected);
  };

  it('huge counts', () => {
    quick({ ...chain(), states: 1e12 }, /mdp\.states: must be the number of states \(a whole number in \[1, 1,000,000\]\).*got 1,000,000,000,000$/);
    quick({ ...chain(), actions: 20_000 }, /mdp\.actions: .*\[1, 10,000\]/);
    quick({ ...chain(), states: 1_000_000, actions: 10_000 }, /mdp: 1,000,000 states × 10,000 actions = 10,000,000,000 pairs, more than the limit of 10,000,000: use fewer states or actions/);
  });

  it('too many transitions or labels', () => {
    quick({ ...chain(), transitions: new Array(10_000_001) }, /mdp\.transitions: has 10,000,001 transitions, more than the limit of 10,000,000/);
    quick({ ...chain(), states: new Array(1_000_001).fill('s') }, /mdp\.states: .*got an array of 1000001/);
  });
});
