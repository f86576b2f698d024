// `aisle run --set path=v1,v2`: a value over the file's, or a sweep (an experiment per combination,
// trained together and compared); every combination checked before anything is stored.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSample, searchPlan } from '../../src/cli/search';
import { expandSweep, parseSetting } from '../../src/cli/sweep';
import { ValidationError } from '../../src/engine/params';
import { Store } from '../../src/main/store';
import { aisle, aisleSpawn, ROOT, unwrapped } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const cliffMdp = join(ROOT, 'resources/experiments/cliff.mdp.json');

/** A fresh folder with a database path and a short cliff-walking Q-learning experiment in it. */
function cliff(fields: Record<string, unknown> = {}): { db: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'exp.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'aisle.experiment/v1',
      name: 'cliff',
      env: { id: 'tabular-mdp', mdp: cliffMdp, maxSteps: 100 },
      agent: { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1 },
      episodes: 20,
      seeds: 2,
      ...fields,
    }),
  );
  return { db: join(dir, 'a.db'), file };
}

interface StoredExperiment {
  id: number;
  name: string;
  agent: Record<string, unknown>;
  runs: number;
}

function stored(db: string): StoredExperiment[] {
  if (!existsSync(db)) return [];
  const store = Store.open(db, { reader: true });
  try {
    return store.listExperiments().map((e) => ({ id: e.id, name: e.name, agent: (e.config as { agent: Record<string, unknown> }).agent, runs: e.runsTotal }));
  } finally {
    store.close();
  }
}

function runsOf(db: string, experimentId: number): { id: number; seed: number }[] {
  const store = Store.open(db, { reader: true });
  try {
    return store.listRuns({ experimentId }).map((r) => ({ id: r.id, seed: r.seed }));
  } finally {
    store.close();
  }
}

describe('aisle run --set', () => {
  it('sweeps the product of the values: an experiment each, named by its values, then their comparison', () => {
    const { db, file } = cliff();
    const r = aisle(['run', file, '--set', 'agent.alpha=0.1,0.5', '--set', 'agent.epsilon=0.05,0.2', '--workers', '2'], { db, env: { COLUMNS: '80' } });
    expect(r.code, r.stderr).toBe(0);
    const experiments = stored(db);
    expect(experiments.map((e) => e.name)).toEqual([
      'cliff (alpha=0.1, epsilon=0.05)',
      'cliff (alpha=0.1, epsilon=0.2)',
      'cliff (alpha=0.5, epsilon=0.05)',
      'cliff (alpha=0.5, epsilon=0.2)',
    ]);
    expect(experiments.map((e) => [e.agent.alpha, e.agent.epsilon])).toEqual([
      [0.1, 0.05],
      [0.1, 0.2],
      [0.5, 0.05],
      [0.5, 0.2],
    ]);
    expect(experiments.map((e) => e.runs)).toEqual([2, 2, 2, 2]);
    for (const e of experiments) expect(r.stdout).toContain(`experiment ${e.id} "${e.name}"`);
    // Off a terminal each progress line says its run's experiment by its values, as its name does.
    for (const e of experiments) {
      const values = e.name.slice('cliff '.length);
      for (const run of runsOf(db, e.id)) {
        const label = `run ${run.id} seed ${run.seed} ${values}: `;
        const lines = r.stderr.split('\n').filter((line) => line.startsWith(`run ${run.id} `));
        expect(lines.map((line) => line.slice(0, label.length))).toEqual(lines.map(() => label));
        expect(lines).toContain(`${label}completed`);
      }
    }
    // The comparison is `aisle compare`'s own, whole.
    const ids = experiments.map((e) => String(e.id));
    const compared = aisle(['compare', ...ids], { db, env: { COLUMNS: '80' } });
    expect(compared.code, compared.stderr).toBe(0);
    expect(compared.stdout).toMatch(/settings that differ: agent\.alpha, agent\.epsilon/);
    expect(r.stdout).toContain(compared.stdout);
    expect(r.stdout).toContain(`experiments ${ids.join(', ')}: to compare them again, aisle --db ${db} compare ${ids.join(' ')}`);
  });

  it('gives every experiment of a sweep with --json, the value each --set gave it, and their comparison', () => {
    const { db, file } = cliff({ seeds: 1 });
    const r = aisle(['run', file, '--json', '--set', 'agent.id=sarsa,q-learning', '--set', 'episodes=5'], { db });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      experiments: { experimentId: number; name: string; settings: Record<string, unknown>; runs: { status: string; episodes: number }[] }[];
      comparison: unknown;
    };
    expect(report.experiments.map((e) => [e.name, e.settings])).toEqual([
      ['cliff (id=sarsa)', { 'agent.id': 'sarsa', episodes: 5 }],
      ['cliff (id=q-learning)', { 'agent.id': 'q-learning', episodes: 5 }],
    ]);
    expect(report.experiments.map((e) => e.experimentId)).toEqual(stored(db).map((e) => e.id));
    expect(report.experiments.flatMap((e) => e.runs.map((run) => [run.status, run.episodes]))).toEqual([
      ['completed', 5],
      ['completed', 5],
    ]);
    expect(stored(db).map((e) => e.agent.id)).toEqual(['sarsa', 'q-learning']);
    // The comparison is the object `aisle compare --json` prints of the experiments, whole.
    const compared = aisle(['compare', '--json', ...report.experiments.map((e) => String(e.experimentId))], { db });
    expect(compared.code, compared.stderr).toBe(0);
    expect(report.comparison).toEqual(JSON.parse(compared.stdout));
    expect(report.comparison).toMatchObject({ groups: [{ label: expect.stringContaining('sarsa') }, { label: expect.stringContaining('q-learning') }] });
  });

  it('one value sets the field over the file: one experiment, under the file’s name, as --json always gave it', () => {
    const { db, file } = cliff();
    const r = aisle(['run', file, '--json', '--set', 'agent.alpha=0.25', '--set', 'agent.epsilon={"start":1,"end":0.05,"decayEpisodes":10}'], { db });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { experimentId: number; runs: unknown[] };
    expect(report.runs).toHaveLength(2);
    const [experiment] = stored(db);
    expect(experiment).toMatchObject({ id: report.experimentId, name: 'cliff', agent: { alpha: 0.25, epsilon: { start: 1, end: 0.05, decayEpisodes: 10 } } });
  });

  it('another agent leaves the file’s parameters it lacks behind, as the app’s form does, and says so', () => {
    const { db, file } = cliff({ env: { id: 'seed-toy' }, agent: { id: 'ucb1', c: 1.5 }, seeds: 1 });
    const r = aisle(['run', file, '--set', 'agent.id=sarsa,ucb1'], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(unwrapped(r.stderr)).toContain("aisle: warning: --set agent.id=sarsa: ucb1's parameter c is left out: sarsa has no such parameter");
    expect(unwrapped(r.stderr)).not.toContain('agent.id=ucb1:');
    // Sarsa without c; ucb1, the file's own agent, keeps it.
    expect(stored(db).map((e) => [e.agent.id, e.agent.c])).toEqual([['sarsa', undefined], ['ucb1', 1.5]]);
    // Set by another --set as well, it is the user's own and refused by name.
    const both = aisle(['run', file, '--set', 'agent.id=sarsa', '--set', 'agent.c=2'], { db });
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('aisle: --set agent.id=sarsa --set agent.c=2: agent.c: agent sarsa has no parameter "c": its parameters are alpha, gamma, epsilon, initialQ\n');
  });

  it('stores nothing when one combination is invalid, and names its --set', () => {
    const { db, file } = cliff();
    expect(aisle(['run', file, '--episodes', '2'], { db }).code).toBe(0);
    const before = stored(db);
    const r = aisle(['run', file, '--set', 'agent.alpha=0.1,1.5', '--set', 'agent.epsilon=0.05,0.2'], { db });
    expect(r.code).toBe(2);
    // Once, for the value that makes it, not once per combination.
    expect(r.stderr).toBe('aisle: --set agent.alpha=1.5: agent.alpha: must be a number in (0, 1], got 1.5\n');
    expect(stored(db)).toEqual(before);

    const unknown = aisle(['run', file, '--set', 'agent.alpah=0.1,0.5'], { db });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('aisle: --set agent.alpah=0.1,0.5: agent.alpah: agent q-learning has no parameter "alpah": its parameters are alpha, gamma, epsilon, initialQ\n');
    const other = aisle(['run', file, '--set', 'agent.id=sarsa,ppo', '--set', 'agent.alpha=0.2'], { db });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^aisle: --set agent\.id=ppo --set agent\.alpha=0\.2: agent\.alpha: agent ppo has no parameter "alpha": its parameters are learningRate, /);
    const notObject = aisle(['run', file, '--set', 'agent.epsilon.end=0.01'], { db });
    expect(notObject.code).toBe(2);
    expect(notObject.stderr).toMatch(/^aisle: --set agent\.epsilon\.end=0\.01: agent\.epsilon: is 0\.1 in the experiment, not an object with fields/);
    const tooMany = aisle(['run', file, '--set', 'agent.alpha=0.1,0.2,0.3,0.4,0.5', '--set', 'agent.epsilon=0.1,0.2,0.3,0.4', '--set', 'seeds=1,2,3,4'], { db });
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/5 × 4 × 4 values give 80 experiments, more than 64/);
    const twice = aisle(['run', file, '--set', 'episodes=5', '--episodes', '3'], { db });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/--set episodes and --episodes both set episodes/);
    // Two --set of one field would not sweep together: the later overrode the earlier, unsaid.
    const sameField = aisle(['run', file, '--set', 'agent.alpha=0.1', '--set', 'agent.alpha=0.5,0.9'], { db });
    expect([sameField.code, sameField.stderr]).toEqual([2, 'aisle: --set agent.alpha is given twice (--set agent.alpha=0.1, --set agent.alpha=0.5,0.9): give all its values in one, --set agent.alpha=0.1,0.5,0.9\n']);
    // A value in both is suggested once: the suggestion is not itself refused as a value given twice.
    const overlapping = aisle(['run', file, '--set', 'agent.alpha=0.1,0.5', '--set', 'agent.alpha=5e-1,0.9'], { db });
    expect(overlapping.stderr).toBe('aisle: --set agent.alpha is given twice (--set agent.alpha=0.1,0.5, --set agent.alpha=5e-1,0.9): give all its values in one, --set agent.alpha=0.1,0.5,0.9\n');
    const same = aisle(['run', file, '--set', 'agent.alpha=0.1', '--set', 'agent.alpha=0.1'], { db });
    expect(same.stderr).toBe('aisle: --set agent.alpha is given twice (--set agent.alpha=0.1, --set agent.alpha=0.1): give it once, --set agent.alpha=0.1\n');
    const inside = aisle(['run', file, '--set', 'agent.epsilon={"start":1,"end":0.1,"decayEpisodes":5}', '--set', 'agent.epsilon.end=0.01,0.05'], { db });
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/^aisle: --set agent\.epsilon=\{"start":1,"end":0\.1,"decayEpisodes":5\} and --set agent\.epsilon\.end=0\.01,0\.05 both set agent\.epsilon\.end: give one of them\n/);
    // Fields that change no run: experiments alike (one group in Compare), or the same seeds trained again.
    const seeds = aisle(['run', file, '--set', 'seeds=5,6'], { db });
    expect([seeds.code, seeds.stderr]).toEqual([2, 'aisle: --set seeds=5,6: several values of seeds train the same seeds again (seeds=5,6 trains seeds 0–4 twice): give one count or one list, the largest\n']);
    const names = aisle(['run', file, '--set', 'name=a,b'], { db });
    expect(names.code).toBe(2);
    expect(names.stderr).toMatch(/^aisle: --set name=a,b: several values of name make experiments that train alike, which Compare counts as one group: give one value/);
    expect(aisle(['run', file, '--sample', 'seeds=int:1:9', '--trials', '2'], { db }).stderr).toMatch(/^aisle: --sample seeds=int:1:9: values drawn for seeds train the same seeds again/);
    expect(stored(db)).toEqual(before);
  });

  it('warns of a swept parameter the environment ignores, and trains anyway', () => {
    const db = join(tempDir(), 'a.db');
    const calibrated = join(ROOT, 'resources/experiments/shop-calibrated.json');
    const r = aisle(['run', calibrated, '--json', '--episodes', '2', '--seeds', '1', '--set', 'env.items=20,50'], { db });
    expect(r.code, r.stderr).toBe(0);
    // Its explicit catalog replaces the generator's items.
    expect(unwrapped(r.stderr)).toContain("aisle: warning: --set env.items=20,50: the shop environment's other settings make env.items do nothing here: the experiments it makes train alike");
    const generated = aisle(['run', join(ROOT, 'resources/experiments/shop-small.json'), '--json', '--episodes', '2', '--seeds', '1', '--set', 'env.items=20,50'], { db });
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stderr).not.toMatch(/warning/);
  });

  it.each([
    ['agent.alpha', /give a path and its values joined by "="/],
    ['=0.1', /the path before "=" is empty/],
    ['agent..alpha=0.1', /has an empty part/],
    ['agent.alpha=', /no value after "="/],
    ['agent.alpha=0.1,,0.5', /an empty value in the list/],
    ['agent.alpha=0.1,1e-1,0.5', /"1e-1" is the same value as "0\.1": give each value once/],
  ])('refuses a malformed --set %s as a usage error, before opening the database', (set, message) => {
    const { db, file } = cliff();
    const r = aisle(['run', file, '--set', set], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(db)).toBe(false);
  });

  it('cancels every run of every experiment of a sweep on SIGTERM', async () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const file = join(dir, 'long.json');
    writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'long', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 50_000_000, seeds: 2 }));
    // One worker: one run trains while the three others wait in the queue.
    const child = aisleSpawn(['run', file, '--workers', '1', '--set', 'agent.alpha=0.1,0.5'], { db });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    const deadline = Date.now() + 30_000;
    while (!/^run \d+ seed \d+ \(alpha=0\.[15]\): running$/m.test(stderr)) {
      if (Date.now() > deadline) throw new Error(`no run started:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    const list = JSON.parse(aisle(['runs', '--json'], { db }).stdout) as { runs: { status: string }[] };
    expect(list.runs.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(stored(db).map((e) => e.name)).toEqual(['long (alpha=0.1)', 'long (alpha=0.5)']);
  });
});

describe('parseSetting', () => {
  it('reads each value as JSON when it is JSON, else as text, and splits at commas outside brackets and quotes', () => {
    expect(parseSetting('agent.alpha=0.1,0.5').values).toEqual([0.1, 0.5]);
    expect(parseSetting('agent.id=sarsa,q-learning').values).toEqual(['sarsa', 'q-learning']);
    expect(parseSetting('x=true,null,"a,b"').values).toEqual([true, null, 'a,b']);
    expect(parseSetting('seeds=[0,1],[2,3]').values).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(parseSetting('agent.epsilon={"start":1,"end":0.1},0.2')).toEqual({ path: ['agent', 'epsilon'], texts: ['{"start":1,"end":0.1}', '0.2'], values: [{ start: 1, end: 0.1 }, 0.2] });
    expect(() => parseSetting('__proto__.x=1')).toThrow(/is not a field/);
  });

  it('refuses a prototype\'s name, or a name longer than any field\'s, as no field, saying what to name (option fuzz seeds 88, 94)', () => {
    const fix = 'is not a field of an experiment file: name one of its fields (e.g. agent.alpha, env.items, episodes)';
    expect(() => parseSetting('__proto__.x=1')).toThrow(`--set __proto__.x=1: "__proto__" ${fix}`);
    expect(() => parseSample('constructor.prototype=log:0.001:1')).toThrow(`--sample constructor.prototype=log:0.001:1: "constructor" ${fix}`);
    // A part of 5,000 characters was taken for a field, and named whole by every line after.
    const long = 'y'.repeat(5000);
    expect(() => parseSetting(`agent.${long}=1`)).toThrow(`--set agent.${'y'.repeat(54)}…: "${'y'.repeat(60)}…" ${fix}`);
    expect(() => parseSample(`${long}=uniform:0:1`)).toThrow(`--sample ${'y'.repeat(60)}…: "${'y'.repeat(60)}…" ${fix}`);
    expect(parseSetting(`agent.${'y'.repeat(60)}=1`).path).toEqual(['agent', 'y'.repeat(60)]);
  });

  it('shows a value given twice the option with each value once, not the general example of two values', () => {
    expect(() => parseSetting('agent.alpha=0.1,1e-1')).toThrow('--set agent.alpha=0.1,1e-1: "1e-1" is the same value as "0.1": give each value once (each makes an experiment of its own) (--set agent.alpha=0.1)');
    expect(() => parseSetting('agent.gamma=0.9,0.99,0.9,0.90')).toThrow('--set agent.gamma=0.9,0.99,0.9,0.90: "0.9" is given twice: give each value once (each makes an experiment of its own) (--set agent.gamma=0.9,0.99)');
    // Another problem keeps the general example.
    expect(() => parseSetting('agent.alpha=0.1,,0.5')).toThrow('--set agent.alpha=0.1,,0.5: an empty value in the list: separate the values by single commas (e.g. --set agent.alpha=0.1,0.5)');
  });

  it('repeats a value of thousands of characters cut after 60, in every refusal that names it (option fuzz seeds 189, 278, 316)', () => {
    const long = 'x'.repeat(5000);
    const messages: string[] = [];
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        messages.push(...(e instanceof ValidationError ? e.problems : [(e as Error).message]));
        return;
      }
      throw new Error('accepted');
    };
    const cut = `${'x'.repeat(60)}…`;
    refused(() => parseSetting(`agent.alpha=0.1,,${long}`));
    refused(() => parseSetting(`agent.alpha=${long},"${long}"`));
    refused(() => parseSample(`agent.alpha=${long}:1:2`));
    refused(() => parseSample(`agent.alpha=uniform:${long}`));
    refused(() => parseSample(`agent.alpha=choice:${long},${long}`));
    // Read, then refused by the field's check, naming the --set's values.
    refused(() => expandSweep(join(ROOT, 'resources/experiments/quickstart.json'), [parseSetting(`agent.alpha=0.1,${long}`)], {}));
    refused(() => expandSweep(join(ROOT, 'resources/experiments/quickstart.json'), [parseSetting(`env.items=1,${long}`)], {}));
    // A choice the field refuses, named by checkSampleBounds (plausible fuzz seeds 3559, 7819).
    refused(() => expandSweep(join(ROOT, 'resources/experiments/quickstart.json'), [], {}, searchPlan({ sample: [parseSample(`agent.id=choice:"sarsa",${long}`)], trials: 2 }, [])));
    // A file path of 5,000 characters (ENAMETOOLONG), the field's own message naming it (option fuzz seed 6288 with AISLE_FUZZ_FROM=3001).
    refused(() => expandSweep(join(ROOT, 'resources/experiments/shop-small-random.json'), [parseSetting(`env.catalog=${long}`)], {}));
    expect(messages.length).toBeGreaterThanOrEqual(9);
    expect(messages.at(-1)).toMatch(/^--set env\.catalog=x+…: env\.catalog: x+…: the path is too long for this system \(5,\d{3} characters, ENAMETOOLONG\): give a shorter one$/);
    for (const m of messages) {
      expect(m.length, m.slice(0, 200)).toBeLessThan(700);
      expect(m).toContain(cut.slice(0, 20));
    }
  });

  it('refuses a value with a control character by its field alone, not also by the name it makes (plausible fuzz seed 95)', () => {
    const problems = (option: string) => {
      try {
        expandSweep(join(ROOT, 'resources/experiments/quickstart.json'), [parseSetting(option)], {});
      } catch (e) {
        return (e as ValidationError).problems;
      }
      return [];
    };
    // The name "quickstart: … (id=a\u001bb)" was refused too: 'name: must not contain control characters …: remove it', a name never typed.
    expect(problems('agent.id="a\\u001bb",sarsa')).toEqual([
      '--set agent.id="a\\u001bb": agent.id: unknown agent "a\\u001bb": choose one of q-learning, sarsa, expected-sarsa, double-q-learning, epsilon-greedy, ucb1, thompson, linucb, dqn, ppo, random, most-popular, myopic-oracle',
    ]);
  });

  it('shows numbers separated by spaces one fix, the option with commas, not two hints in a row', () => {
    const refusal = (option: string) => {
      try {
        parseSetting(option);
      } catch (e) {
        return (e as Error).message;
      }
      return undefined;
    };
    expect(refusal('agent.gamma=0.9 0.99')).toBe('--set agent.gamma=0.9 0.99: "0.9 0.99" is 2 numbers separated by spaces: separate the values by commas (--set agent.gamma=0.9,0.99)');
    // The other values kept as given, the spaced ones split.
    expect(refusal('agent.alpha=0.1, 0.2 0.3 -4,"a b"')).toBe('--set agent.alpha=0.1, 0.2 0.3 -4,"a b": "0.2 0.3 -4" is 3 numbers separated by spaces: separate the values by commas (--set agent.alpha=0.1,0.2,0.3,-4,"a b")');
  });
});
