// The policy file: the dependency-free runtime and the validated import, against hostile input.
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/engine/policy/runtime';
import { checkpointNote, parsePolicy, type PolicyFile } from '../../src/engine/policy/format';
import { ValidationError } from '../../src/engine/params';
import { loadError, tabularPolicy } from '../helpers/policy';

const policy = tabularPolicy;

describe('policy runtime', () => {
  it('serves the greedy action by index or label, from text or object', () => {
    const p = loadPolicy(JSON.stringify(policy()));
    expect(p.act(0)).toBe(1);
    expect(p.act('cart')).toBe(0);
    expect(p.actLabel('home')).toBe('hats');
    expect(p.values(1)).toEqual([5, 1, 1]);
    expect(() => p.act(2)).toThrow(/out of range/);
    expect(() => p.act('checkout')).toThrow(/unknown state label/);
  });

  it('refuses a field the format does not have, as eval and import do: a misspelt `updated` is not ignored', () => {
    const misspelt = policy({ upated: [true, false] });
    expect(loadError(misspelt)).toBe(
      'policy.upated: a tabular policy has no field "upated" (its fields: format, kind, name, env, provenance, states, actions, q, greedy, updated): remove it or correct its name',
    );
    expect(() => parsePolicy(misspelt)).toThrow(/policy\.upated/);
    // Without the provenance and fingerprint a service need not keep, it still serves.
    const { env: _env, provenance: _provenance, ...bare } = policy();
    expect(loadPolicy(bare).act(0)).toBe(1);
    // env and provenance, which serving does not read, are the import's to check (README).
    const provenance = { ...policy().provenance, sed: 3 };
    expect(loadPolicy(policy({ provenance })).act(0)).toBe(1);
    expect(() => parsePolicy(policy({ provenance }))).toThrow(/policy\.provenance: unknown field "sed"/);
  });

  it('refuses a number that a numeric label names as another state, naming both readings; serves it where they agree', () => {
    // Open Bandit's positions, learned with `aisle logs mdp`: states "1", "2", "3" at indices 0, 1, 2.
    const positions = loadPolicy(policy({ states: ['1', '2', '3'], q: [[0, 2, 1], [5, 1, 1], [0, 0, 3]], greedy: [1, 0, 2] }));
    expect(positions.act('1')).toBe(1);
    expect(positions.act('2')).toBe(0);
    expect(positions.act(0)).toBe(1); // no label is "0": an index only
    expect(() => positions.act(1)).toThrow(
      'state 1 is ambiguous: the state labelled "1" is at index 0, and the state at index 1 is labelled "2": pass the label as a string, "1" or "2" (policy.states[1])',
    );
    expect(() => positions.actLabel(2)).toThrow(/^state 2 is ambiguous/);
    expect(() => positions.values(1)).toThrow(/^state 1 is ambiguous/);
    expect(() => positions.trained(1)).toThrow(/^state 1 is ambiguous/);
    expect(() => positions.act(3)).toThrow('state 3 is out of range: the policy has 3 states (0..2); the state labelled "3" is at index 2: pass its label as a string, "3"');
    // Labels that are their own indices read the same either way; so does a number no label names as another state.
    const own = loadPolicy(policy({ states: ['0', '1'] }));
    expect([own.act(0), own.act(1), own.act('0'), own.act('1')]).toEqual([1, 0, 1, 0]);
    const mixed = loadPolicy(policy({ states: ['home', '07'] }));
    expect(mixed.act(1)).toBe(0);
    expect(() => mixed.act(7)).toThrow(/the state labelled "07" is at index 1/);
  });

  it('refuses malformed, mis-sized and non-finite policies naming the field', () => {
    expect(loadError('{')).toMatch(/^policy: malformed JSON/);
    // A byte-order mark before the JSON (a Windows editor's) is no part of it: loaded as the CLI reads it.
    expect(loadPolicy(`\uFEFF${JSON.stringify(policy())}`).kind).toBe('tabular');
    // The file's bytes (readFileSync without 'utf8') or a read not awaited: said so, not "policy.format: … missing".
    const bytes = new TextEncoder().encode(JSON.stringify(policy()));
    expect(loadError(bytes)).toBe("policy: got the file's bytes, not its text: read it as text, readFileSync(path, 'utf8'), or pass the parsed object");
    expect(loadError(bytes.buffer)).toBe("policy: got the file's bytes, not its text: read it as text, readFileSync(path, 'utf8'), or pass the parsed object");
    expect(loadError(Promise.resolve(JSON.stringify(policy())))).toBe("policy: got a Promise: await it first, loadPolicy(await readFile(path, 'utf8'))");
    expect(loadError(policy({ format: 'x' }))).toMatch(/^policy\.format/);
    expect(loadError(policy({ q: [[0, 2, 1]] }))).toBe('policy.q: must have one row per state (2), got 1');
    expect(loadError(policy({ q: [[0, 2, 1], [5, 1]] }))).toBe('policy.q[1]: must have one value per action (3), got 2');
    expect(loadError(policy({ q: [[0, 2, 1], [5, 1, 'x']] }))).toBe('policy.q[1][2]: must be a finite number, got "x"');
    expect(loadError(policy({ greedy: [1, 3] }))).toBe('policy.greedy[1]: must be an action index in 0..2, got 3');
    // A label printed as nothing, which actLabel('') would look up: Aisle writes none.
    expect(loadError(policy({ states: ['home', ''] }))).toBe('policy.states[1]: label must not be empty: name each one (the format requires it)');
  });

  it('refuses huge arrays before walking them', () => {
    const states = new Array(2_000_000).fill('s');
    expect(loadError(policy({ states }))).toMatch(/policy\.states: has 2,000,000 entries, allowed 1\.\.1,000,000/);
    const many = new Array(5000).fill('s');
    const actions = new Array(5000).fill('a');
    expect(loadError(policy({ states: many, actions }))).toMatch(/exceed the 10,000,000 limit/);
  });
});

describe('parsePolicy', () => {
  it('accepts an exported policy', () => {
    expect(parsePolicy(policy())).toMatchObject({ kind: 'tabular', states: ['home', 'cart'] });
  });

  it('rejects __proto__ keys and unknown fields without polluting prototypes', () => {
    const hostile = JSON.parse(JSON.stringify(policy()).replace('"kind"', '"__proto__":{"polluted":true},"kind"'));
    expect(() => parsePolicy(hostile)).toThrow(ValidationError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    try {
      parsePolicy(hostile);
    } catch (e) {
      expect((e as ValidationError).problems[0]).toMatch(/__proto__/);
    }
  });

  it('names missing provenance fields', () => {
    const p = policy();
    delete (p.provenance as Record<string, unknown>).seed;
    expect(() => parsePolicy(p)).toThrow(/policy\.provenance\.seed: is required/);
  });

  it('names the values a field of a few may take, in words, not zod\'s "Invalid option: expected one of …|…"', () => {
    const problems = (doc: unknown) => {
      try {
        parsePolicy(doc);
      } catch (e) {
        return (e as ValidationError).problems;
      }
      throw new Error('expected a refusal');
    };
    // A paused run exports as cancelled: "paused" is a status the format does not have.
    expect(problems(policy({ provenance: { ...policy().provenance, status: 'paused' } }))).toEqual(['policy.provenance.status: must be one of "completed", "running", "cancelled", "failed" or "interrupted"']);
  });
});

describe('checkpointNote', () => {
  const provenance = (status: string | undefined, episodes: number) => ({ runId: 7, seed: 0, configHash: 'f'.repeat(64), appVersion: '0.1.0', episodes, ...(status ? { status } : {}) }) as unknown as PolicyFile['provenance'];
  it("says the run's status as it was when the policy was exported: read later, the run may have finished", () => {
    expect(checkpointNote(provenance('running', 4909))).toBe('run 7 was still running when the policy was exported: the policy is its last checkpoint, what it had learned after 4,909 episodes');
    expect(checkpointNote(provenance('cancelled', 1))).toBe('run 7 was cancelled: the policy is its last checkpoint, what it had learned after 1 episode');
    expect(checkpointNote(provenance('completed', 500))).toBeUndefined();
    expect(checkpointNote(provenance(undefined, 500))).toBeUndefined();
  });
});
