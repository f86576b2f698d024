// The command-line values of the option fuzz tests (test/main/option-fuzz for `aisle run`,
// test/main/again-fuzz for `aisle again`): --set, --sample, --trials, --search-seed, --episodes,
// --seeds and --workers as typed, drawn from the engine's Rng only (a case is its seed), and the
// check that a refusal's printed line is clear. Moved here from option-fuzz as they were: the seeds
// its commits name still make the same cases.
import { CONTROL } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';

export function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)]!;
}

/** Fields the presets have, and paths that are none: unknown, a prototype's, into a list or a number, malformed. */
const PATHS = [
  'agent.alpha', 'agent.gamma', 'agent.epsilon', 'agent.epsilon.end', 'agent.epsilon.start', 'agent.c', 'agent.id', 'env.id', 'env.items', 'env.arms',
  'episodes', 'seeds', 'name', 'description', 'env.mdp', 'env.catalog', 'agent.zzz', 'zzz', 'env.zzz.y', '__proto__', 'constructor.prototype',
  'agent.__proto__.x', 'toString', 'hasOwnProperty', 'agent.valueOf', 'seeds.0', 'seeds.1', 'agent.epsilon.0', 'env.mdp.transitions.0', 'episodes.x',
  'agent.alpha.x', 'a..b', '.agent', 'agent.', '', ' agent.alpha ', 'agent.ålpha', 'agent.al\u001bpha', 'agent.alpha\n', 'agent.a\u202Eb', 'agent.\u0000',
];

/** One value as typed: JSON of every type, numbers JSON does not write, hostile texts. */
const VALUES = [
  '0.1', '0.5', '0.9', '0.99', '1', '2', '5', '10', '100', '-1', '-0', '0', 'NaN', 'Infinity', '-Infinity', '1e308', '-1e308', '1e-320', '1e999', '0x10',
  '1_000', ' 0.5 ', '.5', '5.', '+0.5', '2e2', '9007199254740993', 'null', 'true', 'false', '[]', '[0.1,0.2]', '[0, 1]', '{}', '{"start":1,"end":0.1,"decayEpisodes":5}',
  '{"__proto__":{"x":1}}', '"x"', '"a,b"', '"0.1"', '""', 'sarsa', 'q-learning', 'ucb1', 'epsilon-greedy', 'bandit', 'cliff', 'shop', 'é', 'x'.repeat(5000),
  '\u001b[31mred', 'a\u202Eb', 'a\nb', '\t', '\u0000', '"\\u0000"', '[[[[[[[[[[1]]]]]]]]]]', `${'['.repeat(3000)}1${']'.repeat(3000)}`, '{"a":', '"', '0.9 0.99',
];

/** A --set's list: one to four values, joined by commas, sometimes badly (an empty item, a trailing comma, spaces, a value twice). */
function valueList(rng: Rng): string {
  const n = 1 + rng.int(4);
  const values = Array.from({ length: n }, () => pick(rng, VALUES));
  switch (rng.int(8)) {
    case 0:
      return values.join(',,');
    case 1:
      return `${values.join(',')},`;
    case 2:
      return values.join(' ');
    case 3:
      return pick(rng, ['0.1,1e-1', '0.5,0.50', '1,1.0', '{"a":1,"b":2},{"b":2,"a":1}', '"x",x', 'null,null']);
    default:
      return values.join(',');
  }
}

/** A bound as typed. */
const BOUNDS = ['0', '1', '2', '0.001', '0.5', '10', '-1', '1.5', '1e-400', '1e308', '-1e308', 'NaN', 'Infinity', '', ' ', '0x10', '1_0', 'x', '1e-300', '64', '1e9'];

/** A --sample's distribution: a good one, or bad bounds, kinds or syntax. */
function distribution(rng: Rng): string {
  const kind = pick(rng, ['uniform', 'log', 'int', 'choice', 'loguniform', 'Uniform', '', 'normal']);
  switch (rng.int(4)) {
    case 0:
      return pick(rng, ['loguniform(0,1)', 'uniform(2,1)', 'choice()', 'choice:', 'log:0:1', 'uniform:2:1', 'int:1.5:3', 'uniform:1:2:3', 'int:0:1e308', 'log:1e-300:1e308', 'choice:a', 'choice:0.1,1e-1', 'uniform: 1 : 2 ', 'int:1:64', 'choice:sarsa,q-learning', 'uniform:0.1:0.9', 'int:-5:-1']);
    case 1:
      return kind === 'choice' ? `choice:${valueList(rng)}` : `${kind}:${pick(rng, BOUNDS)}:${pick(rng, BOUNDS)}`;
    case 2:
      return `${kind}:${pick(rng, BOUNDS)}`;
    default:
      return kind === 'choice' ? `choice:${pick(rng, VALUES)},${pick(rng, VALUES)}` : `${kind}:${pick(rng, ['0.001', '0.1', '1', '2'])}:${pick(rng, ['0.5', '1', '10', '100'])}`;
  }
}

/** A count as typed: whole numbers in and out of range, other forms of numbers, hostile texts. */
const COUNTS = ['1', '2', '3', '5', '64', '65', '1000', '1001', '1e2', '1e8', '2.5e5', '99999999999999999999', '-1', '0', '1.5', '', '  3 ', '0x10', '1_000', 'NaN', 'Infinity', '1e308', '1e400', '\u0663', '\uff13', '+3', '3\n', '3\u001b', '2147483647', '2147483648', '256', '257', '-0'];

/** The options of one case, each as `--option=value` (a value may begin with a dash). */
export function optionsOf(rng: Rng): string[] {
  const args: string[] = [];
  const sets = rng.int(3);
  for (let i = 0; i < sets; i++) args.push(`--set=${pick(rng, PATHS)}=${valueList(rng)}`);
  const samples = rng.int(4) === 0 ? 0 : rng.int(3);
  for (let i = 0; i < samples; i++) args.push(`--sample=${pick(rng, PATHS)}=${distribution(rng)}`);
  if (rng.bernoulli(samples > 0 ? 0.8 : 0.15)) args.push(`--trials=${pick(rng, COUNTS)}`);
  if (rng.bernoulli(0.3)) args.push(`--search-seed=${pick(rng, COUNTS)}`);
  if (rng.bernoulli(0.3)) args.push(`--episodes=${pick(rng, COUNTS)}`);
  if (rng.bernoulli(0.3)) args.push(`--seeds=${pick(rng, COUNTS)}`);
  if (rng.bernoulli(0.2)) args.push(`--workers=${pick(rng, COUNTS)}`);
  // Now and then an option with no "=" at all, or a malformed one.
  if (rng.bernoulli(0.05)) args.push(pick(rng, ['--set=agent.alpha', '--sample=agent.alpha', '--set==1', '--sample==uniform:0:1']));
  return args;
}

/** An experiment's own fields a --set or --sample can take: its numbers, texts and flags under agent and env, and episodes and seeds. */
export function fieldsOf(doc: Readonly<Record<string, unknown>>): { path: string; value: unknown }[] {
  const out: { path: string; value: unknown }[] = [{ path: 'episodes', value: doc.episodes }, { path: 'seeds', value: doc.seeds }];
  const walk = (v: unknown, path: string) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [k, w] of Object.entries(v)) walk(w, `${path}.${k}`);
    else if (path !== 'env.mdp' && path !== 'env.catalog') out.push({ path, value: v });
  };
  walk(doc.agent, 'agent');
  walk(doc.env, 'env');
  return out;
}

/** A value near a field's own, as typed: the value, scaled, moved by one, in another number form, or now and then an odd one. */
function nearText(rng: Rng, value: unknown): string {
  if (typeof value === 'number') {
    const v = pick(rng, [value, value * 2, value / 2, value + 1, Math.max(0, value - 1), Math.round(value * 10) / 100, -value, 0]);
    return pick(rng, [String(v), String(v), v.toExponential(), ` ${v} `, Number.isInteger(v) ? `${v}.0` : String(v).replace(/^0\./, '.')]);
  }
  if (typeof value === 'boolean') return pick(rng, ['true', 'false']);
  if (rng.bernoulli(0.15)) return pick(rng, VALUES);
  return JSON.stringify(value);
}

/** Options near what the experiment (a preset, a stored one) takes (its own fields, values close to its own): most accepted, sweeps and searches of several experiments. */
export function plausibleOptionsOf(rng: Rng, doc: Readonly<Record<string, unknown>>): string[] {
  const fields = fieldsOf(doc);
  const args: string[] = [];
  const used = new Set<string>();
  const field = () => {
    const f = pick(rng, fields);
    if (used.has(f.path)) return undefined;
    used.add(f.path);
    return f;
  };
  const search = rng.bernoulli(0.4);
  for (let i = 0, n = 1 + rng.int(2); i < n; i++) {
    const f = field();
    if (!f) continue;
    const count = search ? 1 : 1 + rng.int(3);
    args.push(`--set=${f.path}=${[...new Set(Array.from({ length: count }, () => nearText(rng, f.value)))].join(',')}`);
  }
  if (search) {
    for (let i = 0, n = 1 + rng.int(2); i < n; i++) {
      const f = field();
      if (!f) continue;
      const v = typeof f.value === 'number' ? f.value : 1;
      const d =
        typeof f.value !== 'number' || rng.bernoulli(0.2)
          ? `choice:${nearText(rng, f.value)},${nearText(rng, f.value)}`
          : Number.isInteger(v) && rng.bernoulli(0.6)
            ? `int:${Math.max(0, v - rng.int(3))}:${v + 1 + rng.int(3)}`
            : `${pick(rng, ['uniform', 'log'])}:${nearText(rng, v / 2)}:${nearText(rng, v)}`;
      args.push(`--sample=${f.path}=${d}`);
    }
    args.push(`--trials=${pick(rng, ['1', '2', '3', '5', '8', '64', '65'])}`);
    if (rng.bernoulli(0.5)) args.push(`--search-seed=${pick(rng, ['0', '7', '2147483647', '1e3'])}`);
  }
  // Short runs: a sweep of many is read and checked here, not trained.
  if (rng.bernoulli(0.5)) args.push(`--episodes=${pick(rng, ['1', '2', '10', '1e2'])}`);
  if (rng.bernoulli(0.3)) args.push(`--seeds=${pick(rng, ['1', '2', '3'])}`);
  return args;
}

/** What is wrong with a printed refusal line, or undefined; `namesSource` tells a line that names where the problem is without an option (the file's name). */
export function unclearLine(line: string, args: readonly string[], namesSource: (text: string) => boolean = (text) => text.includes('.json')): string | undefined {
  if (!line.startsWith('aisle: ')) return 'does not start with "aisle: "';
  const text = line.slice('aisle: '.length).replace(/\n$/, '');
  if (/[\n\r]/.test(text)) return 'breaks its line';
  if (CONTROL.test(text)) return `holds a control character (U+${text.match(CONTROL)![0].codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()})`;
  if (/TypeError|RangeError|SyntaxError|call stack|\bundefined\b|\[object Object\]|at Object\.|\.ts:\d+/.test(text)) return 'reads as a crash';
  if (text.length > 2000) return 'is too long to read';
  // A list or a value announced and not given ("its parameters are " and nothing).
  if (/((?<!there )\bare|\bis|\bof|[:,])\s*$/.test(text)) return 'ends before saying what it announces';
  // Which option (or the file, or the stored experiment, for a problem it has whatever the options).
  const given = ['--set', '--sample', '--trials', '--search-seed', '--episodes', '--seeds', '--workers'].filter((o) => args.some((a) => a.startsWith(`${o}=`)));
  if (!given.some((o) => text.includes(o)) && !namesSource(text)) return 'names no option';
  // A fix: a rule, what to do, an example, or the names to choose from ("its parameters are alpha, gamma, …").
  if (!/must|give|remove|write|use |separate|draw|widen|keep|shorten|set |choose|check|name |list|fix|add |launch|restore|leave|e\.g\.|its parameters are/.test(text)) return 'gives no fix';
  return undefined;
}
