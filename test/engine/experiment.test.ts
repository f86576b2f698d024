// The experiment format: defaults, seeds, file parameters through the callback, and errors that
// name the JSON path and the fix, all reported at once.
import { describe, expect, it } from 'vitest';
import { parseExperiment, experimentJsonSchema, behaviourConfig } from '../../src/engine/experiment';
import { ValidationError } from '../../src/engine/params';
import { parsePolicy } from '../../src/engine/policy/format';
import { tabularPolicy } from '../helpers/policy';
import { agents } from '../../src/engine/registry';
import { prepareRun } from '../../src/engine/train';

const chain = {
  format: 'aisle.mdp/v1',
  states: 2,
  actions: ['stay', 'move'],
  start: { '0': 1 },
  terminal: [],
  transitions: [[0, 0, 1, 0, 0], [0, 1, 1, 1, 1], [1, 0, 1, 1, 2], [1, 1, 1, 0, 0]],
};

function base(extra: Record<string, unknown> = {}) {
  return { format: 'aisle.experiment/v1', name: 'chain', env: { id: 'tabular-mdp', mdp: chain }, agent: { id: 'q-learning' }, ...extra };
}

function problems(raw: unknown, readJson?: (p: string) => unknown): string[] {
  try {
    parseExperiment(raw, readJson ? { readJson } : {});
  } catch (e) {
    if (e instanceof ValidationError) return [...e.problems];
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('parseExperiment', () => {
  it('fills every default and expands a seed count', () => {
    const e = parseExperiment(base({ seeds: 3 }));
    expect(e.seeds).toEqual([0, 1, 2]);
    expect(e.episodes).toBe(500);
    expect(e.checkpoints).toBe(10);
    expect(e.env).toMatchObject({ id: 'tabular-mdp', maxSteps: 1000 });
    expect(e.agent).toEqual({ id: 'q-learning', alpha: 0.1, gamma: 0.99, epsilon: 0.1, initialQ: 0 });
  });

  it("says what a field must be in the house words where zod's own would stand (evaluation null, a policy's provenance a string, a name too long)", () => {
    expect(problems(base({ evaluation: null }))).toEqual(['evaluation: must be an object, got null']);
    expect(problems(base({ evaluation: [10, 10] }))).toEqual(['evaluation: must be an object, got an array']);
    const policy = (extra: Record<string, unknown>) => ({ ...tabularPolicy(), ...extra });
    const policyProblem = (doc: unknown) => {
      try {
        parsePolicy(doc);
      } catch (e) {
        if (e instanceof ValidationError) return e.problems;
        throw e;
      }
      return [];
    };
    expect(policyProblem(policy({ provenance: 'x' }))).toEqual(['policy.provenance: must be an object, got a string']);
    expect(policyProblem(policy({ provenance: { ...tabularPolicy().provenance, runId: '1' } }))).toEqual(['policy.provenance.runId: must be a number, got a string']);
    expect(policyProblem(policy({ name: 'x'.repeat(501) }))).toEqual(['policy.name: has more than 500 characters: shorten it']);
    expect(policyProblem(policy({ provenance: { ...tabularPolicy().provenance, episodes: -5, seed: 1.5 } }))).toEqual([
      'policy.provenance.seed: must be a whole number',
      'policy.provenance.episodes: must be ≥ 0',
    ]);
  });

  it('keeps an explicit seed list and refuses repeats', () => {
    expect(parseExperiment(base({ seeds: [5, 9] })).seeds).toEqual([5, 9]);
    // Named by the seed and both places, which a long list hid.
    expect(problems(base({ seeds: [5, 5] }))).toEqual(['seeds: lists seed 5 twice (values 1 and 2 of the list): each seed gives one run, remove the repeat']);
    expect(problems(base({ seeds: [0, 1, 2, 3, 1, 3] }))).toEqual(['seeds: lists seed 1 twice (values 2 and 5 of the list): each seed gives one run, remove the repeat']);
  });

  it('reads file parameters through the callback, relative paths untouched', () => {
    const seen: string[] = [];
    const e = parseExperiment(base({ env: { id: 'tabular-mdp', mdp: 'chain.mdp.json' } }), { readJson: (p) => (seen.push(p), chain) });
    expect(seen).toEqual(['chain.mdp.json']);
    expect((e.env.mdp as { states: number }).states).toBe(2);
  });

  it('says when a file parameter cannot be read here', () => {
    expect(problems(base({ env: { id: 'tabular-mdp', mdp: 'x.json' } }))[0]).toMatch(/^env\.mdp: "x\.json" is a file path/);
  });

  it('reports every problem at once, each naming its path', () => {
    const p = problems({ format: 'aisle.experiment/v1', name: '', episodes: 0, env: { id: 'tabular-mdp', mdp: chain, maxSteps: -1 }, agent: { id: 'q-learning', alpha: -0.5, epsilon: 1.5, bogus: 1 } });
    expect(p).toEqual(
      expect.arrayContaining([
        'name: must not be empty: give the experiment a name',
        'episodes: must be a whole number in [1, 100,000,000], got 0',
        expect.stringMatching(/^env\.maxSteps: must be a whole number/),
        'agent.alpha: must be a number in (0, 1], got -0.5',
        'agent.epsilon: must be a number in [0, 1], got 1.5',
        'agent: unknown field "bogus": remove it or check the spelling',
      ]),
    );
  });

  it('says a missing name is required, and a name of another type is not a text', () => {
    const base = { format: 'aisle.experiment/v1', env: { id: 'seed-toy' }, agent: { id: 'q-learning' } };
    expect(problems(base)).toEqual(['name: is required: give the experiment a name, such as "cliff q-learning"']);
    expect(problems({ ...base, name: 7 })).toEqual(['name: must be a text such as "cliff q-learning"']);
  });

  it('says once what is wrong with an env or agent that is missing, not an object, or has no string id', () => {
    expect(problems(base({ env: null }))).toEqual(['env: must be an object with an "id" and its parameters']);
    expect(problems({ ...base(), agent: undefined })).toEqual(['agent: is required: an object such as { "id": "q-learning" }']);
    expect(problems(base({ env: { id: 5 } }))).toEqual(['env.id: must be a string naming the environment, e.g. "tabular-mdp", got 5']);
    expect(problems(base({ agent: { id: { name: 'q' } } }))).toEqual(['agent.id: must be a string naming the agent, e.g. "q-learning", got an object']);
    expect(problems(base({ env: { mdp: chain } }))).toEqual(['env.id: is required: name the environment, e.g. "tabular-mdp"']);
  });

  it('quotes a value of the wrong kind by its kind: an array is not its first element', () => {
    expect(problems(base({ episodes: [1] }))).toEqual(['episodes: must be a whole number in [1, 100,000,000], got an array']);
    expect(problems(base({ episodes: { n: 1 } }))).toEqual(['episodes: must be a whole number in [1, 100,000,000], got an object']);
  });

  it('names unknown environments and agents with the known ids', () => {
    expect(problems(base({ agent: { id: 'dqn-9000' } }))).toEqual([`agent.id: unknown agent "dqn-9000": choose one of ${agents.map((a) => a.id).join(', ')}`]);
    expect(agents.map((a) => a.id)).toEqual(expect.arrayContaining(['q-learning', 'sarsa', 'expected-sarsa', 'double-q-learning', 'epsilon-greedy', 'ucb1', 'thompson', 'random']));
    expect(problems(base({ env: { id: 'gridworld' } }))[0]).toMatch(/^env\.id: unknown environment "gridworld": choose one of shop, tabular-mdp, bandit-testbed, seed-toy/);
  });

  it('prefixes MDP validation errors with env.mdp', () => {
    const bad = { ...chain, transitions: [[0, 0, 0.5, 0, 0], [0, 1, 1, 1, 1], [1, 0, 1, 1, 2], [1, 1, 1, 0, 0]] };
    const p = problems(base({ env: { id: 'tabular-mdp', mdp: bad } }));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^env\.mdp\.transitions: probabilities for \(state 0.*action 0 "stay"\) sum to 0\.5/);
  });

  it('refuses non-objects and a wrong format', () => {
    expect(problems([])[0]).toMatch(/must be a JSON object/);
    expect(problems(base({ format: 'aisle.experiment/v2' }))).toEqual(['format: must be "aisle.experiment/v1"']);
  });

  it('refuses a new ε schedule that rises, on its end field, with every other problem, and reads a stored one', () => {
    const rising = { id: 'q-learning', epsilon: { start: 0.1, end: 0.5, decayEpisodes: 100 } };
    const endProblem = 'agent.epsilon.end: must not exceed start (0.1), got 0.5: ε falls from start to end, so lower end or raise start (for a fixed rate choose constant)';
    expect(problems(base({ agent: rising }))).toEqual([endProblem]);
    // Said together with the agent's other problems, as when the rule was part of its schema.
    expect(problems(base({ agent: { ...rising, alpha: 2 } }))).toEqual(['agent.alpha: must be a number in (0, 1], got 2', endProblem]);
    // A problem elsewhere in the schedule does not hide it (the form counted one problem of two).
    const both = problems(base({ agent: { ...rising, epsilon: { ...rising.epsilon, decayEpisodes: 0 } } }));
    expect(both).toHaveLength(2);
    expect(both[0]).toMatch(/^agent\.epsilon\.decayEpisodes: must be a whole number/);
    expect(both[1]).toBe(endProblem);
    // Equal ends are a constant rate written as a schedule: allowed.
    expect(parseExperiment(base({ agent: { id: 'q-learning', epsilon: { start: 0.2, end: 0.2, decayEpisodes: 1 } } })).agent.epsilon).toEqual({ start: 0.2, end: 0.2, decayEpisodes: 1 });
    // Written before the rule (a file, a database row): read as it is, and a run of it still builds.
    const stored = parseExperiment(base({ agent: rising }), { stored: true });
    expect(stored.agent.epsilon).toEqual(rising.epsilon);
    expect(prepareRun({ env: stored.env, agent: stored.agent, episodes: 1, seed: 0 }).agent).toBeDefined();
    // Only the newer rule is waived: a stored experiment's other problems are still said.
    expect(() => parseExperiment(base({ agent: { ...rising, alpha: 2 } }), { stored: true })).toThrow('agent.alpha: must be a number in (0, 1], got 2');
  });

  it('names the field of an ε schedule that is missing or unknown with the shape to write, and one of the wrong type at its own path', () => {
    const shape = 'agent.epsilon: a schedule needs "start", "end" and "decayEpisodes" (e.g. { "start": 1, "end": 0.05, "decayEpisodes": 500 }): ';
    const schedule = (epsilon: unknown) => problems(base({ agent: { id: 'dqn', epsilon } }));
    expect(schedule({ start: 1, end: 0.05 })).toEqual([`${shape}"decayEpisodes" is missing`]);
    expect(schedule({ start: 1, end: 0.05, decay: 500 })).toEqual([`${shape}"decayEpisodes" is missing; unknown field "decay": remove it or check the spelling`]);
    // Every field there, one of the wrong type (a text, a fraction where a whole number goes): named
    // at its own path, as an out-of-range one is, so that the form marks and focuses that field.
    expect(schedule({ start: '1', end: 0.05, decayEpisodes: 500 })).toEqual(['agent.epsilon.start: must be a number in [0, 1], got "1"']);
    expect(schedule({ start: 1, end: 0.05, decayEpisodes: 1.5 })).toEqual(['agent.epsilon.decayEpisodes: must be a whole number ≥ 1, got 1.5']);
    expect(schedule({ start: 2, end: 0.05, decayEpisodes: 1.5 })).toEqual(['agent.epsilon.start: must be a number in [0, 1], got 2', 'agent.epsilon.decayEpisodes: must be a whole number ≥ 1, got 1.5']);
    // One missing beside one wrong: the shape, with both.
    expect(schedule({ start: 1, decayEpisodes: 1.5 })).toEqual([`${shape}"end" is missing; decayEpisodes: must be a whole number ≥ 1, got 1.5`]);
    // Neither a number nor an object: the general message, as before.
    expect(schedule('high')).toEqual(['agent.epsilon: must be a number in [0, 1] or a schedule { "start", "end", "decayEpisodes" }, got "high"']);
    expect(schedule([1, 0.05, 500])).toEqual(['agent.epsilon: must be a number in [0, 1] or a schedule { "start", "end", "decayEpisodes" }, got [1,0.05,500]']);
    // A schedule with every field present keeps the field's own path (unchanged).
    expect(schedule({ start: 1, end: 0.05, decayEpisodes: 0 })).toEqual(['agent.epsilon.decayEpisodes: must be a whole number ≥ 1, got 0']);
  });

  it('hashes behaviour, not names or seeds', () => {
    const a = parseExperiment(base({ seeds: 2, name: 'a' }));
    const b = parseExperiment(base({ seeds: [7], name: 'b' }));
    expect(behaviourConfig(a)).toEqual(behaviourConfig(b));
  });

  it('generates a JSON Schema with one variant per environment and agent', () => {
    const schema = experimentJsonSchema() as { properties: { agent: { anyOf: { properties: { id: { const: string } } }[] } } };
    const ids = schema.properties.agent.anyOf.map((v) => v.properties.id.const);
    expect(ids).toContain('q-learning');
    expect(ids).toContain('thompson');
  });
});
