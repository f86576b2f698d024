// Seeded fuzzing of `aisle run`'s command-line values (--set, --sample, --trials, --search-seed,
// --episodes, --seeds, --workers) over the shipped presets, in-process: the `aisle` program's own
// parsers (buildProgram, its run command's action replaced by one that keeps the options), then what
// runCommand does before anything is stored (runOverrides, expandSweep or loadExperimentFile). The
// values come from the engine's Rng only (a failing case is its seed): paths that are no field or
// reach a prototype, dotted paths into lists, values as JSON of every type, numbers JSON does not
// write, commas inside quotes, empty items, a value given twice, distributions with bad bounds, huge
// counts, control and bidirectional characters. A command is accepted, and then every experiment it
// makes passes the app's check (experiments.validate) as launched; or refused as main prints it:
// each line 'aisle: <problem>', naming the option (or the file) and a fix, with no control character
// in it and no raw JS error. A second stream gives values near what each preset takes (its own
// fields, its values scaled or written otherwise), which reach sweeps and random searches of several
// experiments. AISLE_FUZZ_FROM and AISLE_FUZZ_CASES try other seeds; AISLE_FUZZ_OUT=file writes the
// findings and the counts. The option seeds named in the commits this found (0af6df6a seed 7,
// 34665ceb seeds 1, 19, 27, 53, 2234334b seeds 189, 278, 316, 3b8deee5 seeds 88, 94, 271) are cases
// of optionsOf as committed with this test: a change to it makes other cases of them.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/engine/params';
import { CONTROL } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import { UsageError, problemsOf } from '../../src/cli/context';
import { buildProgram, printable } from '../../src/cli/index';
import { runOverrides, type RunOptions } from '../../src/cli/run';
import { expandSweep } from '../../src/cli/sweep';
import { loadExperimentFile } from '../../src/main/files';
import { checkedToLaunch, validateExperiment } from '../../src/main/service/experiments';
import { ROOT } from '../helpers/cli';
import { presetNames } from '../helpers/input-fuzz';

function pick<T>(rng: Rng, list: readonly T[]): T {
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
function optionsOf(rng: Rng): string[] {
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

/** A preset's own fields a --set or --sample can take: its numbers, texts and flags under agent and env, and episodes and seeds. */
function fieldsOf(file: string): { path: string; value: unknown }[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
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

/** Options near what the preset takes (its own fields, values close to its own): most accepted, sweeps and searches of several experiments. */
function plausibleOptionsOf(rng: Rng, file: string): string[] {
  const fields = fieldsOf(file);
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

type Result = { accepted: number } | { lines: string[] } | { crash: string };

/** `aisle run <file> <args>` up to where it would store the experiments. */
async function runCase(file: string, args: readonly string[]): Promise<Result> {
  let err = '';
  let opts: RunOptions | undefined;
  const program = buildProgram(() => undefined);
  const run = program.commands.find((c) => c.name() === 'run')!;
  run.configureOutput({ writeErr: (s) => (err += s), writeOut: () => undefined });
  run.action((_file: string, o: RunOptions) => {
    opts = o;
  });
  try {
    await program.parseAsync(['node', 'aisle', 'run', file, ...args]);
  } catch (e) {
    // commander's usage line (usageLine), then its pointer to the help, a line of its own.
    if (e instanceof CommanderError) return { lines: err.split(/(?<=\n)/).filter((line) => line !== '(run `aisle run --help` for usage)\n') };
    return { crash: e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)}` : String(e) };
  }
  try {
    const { overrides, settings, search } = runOverrides(opts!);
    const loaded = settings.length === 0 && !search ? { experiments: [{ experiment: loadExperimentFile(file, [], overrides) }], warnings: [] } : expandSweep(file, settings, overrides, search);
    const experiments = loaded.experiments.map((e) => e.experiment);
    // What is said, not refused (a --set the environment ignores, an agent's parameters left behind): printed as warn() prints it, a line each.
    const unclearWarnings = loaded.warnings.filter((w) => CONTROL.test(w) || w.length > 2000);
    const { problems } = checked(experiments);
    return { accepted: experiments.length, ...(problems || unclearWarnings.length > 0 ? { problems: [...(problems ?? []), ...unclearWarnings.map((w) => `warning: ${w}`)] } : {}) };
  } catch (e) {
    if (e instanceof ValidationError || e instanceof UsageError) return { lines: problemsOf(e).map((line) => `aisle: ${printable(line)}\n`) };
    return { crash: e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)} ${e.stack?.split('\n')[1]?.trim() ?? ''}` : String(e) };
  }

  /** Each experiment as launched passes the app's check. */
  function checked(experiments: readonly unknown[]): { problems?: string[] } {
    const problems = experiments.flatMap((experiment) => {
      const launched = checkedToLaunch(experiment as Parameters<typeof checkedToLaunch>[0]).experiment;
      const r = validateExperiment(JSON.parse(JSON.stringify(launched)) as unknown);
      return r.ok ? [] : r.problems;
    });
    return problems.length > 0 ? { problems } : {};
  }
}

/** What is wrong with a printed refusal line, or undefined. */
function unclearLine(line: string, args: readonly string[]): string | undefined {
  if (!line.startsWith('aisle: ')) return 'does not start with "aisle: "';
  const text = line.slice('aisle: '.length).replace(/\n$/, '');
  if (/[\n\r]/.test(text)) return 'breaks its line';
  if (CONTROL.test(text)) return `holds a control character (U+${text.match(CONTROL)![0].codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()})`;
  if (/TypeError|RangeError|SyntaxError|call stack|\bundefined\b|\[object Object\]|at Object\.|\.ts:\d+/.test(text)) return 'reads as a crash';
  if (text.length > 2000) return 'is too long to read';
  // Which option (or the file, for a problem the file has whatever the options).
  const given = ['--set', '--sample', '--trials', '--search-seed', '--episodes', '--seeds', '--workers'].filter((o) => args.some((a) => a.startsWith(`${o}=`)));
  if (!given.some((o) => text.includes(o)) && !text.includes('.json')) return 'names no option';
  // A fix: a rule, what to do, an example, or the names to choose from ("its parameters are alpha, gamma, …").
  if (!/must|give|remove|write|use |separate|draw|widen|keep|shorten|set |choose|check|name |list|fix|add |e\.g\.|its parameters are/.test(text)) return 'gives no fix';
  return undefined;
}

const CASES = Number(process.env.AISLE_FUZZ_CASES ?? 400);
const FROM = Number(process.env.AISLE_FUZZ_FROM ?? 1);
const FILES = presetNames.map((f) => join(ROOT, 'resources', 'experiments', f));

describe('seeded fuzzing of aisle run --set/--sample/--trials/… values', () => {
  // Hostile values (option seeds, stream 31), and values near what each preset takes (plausible seeds, stream 32), which reach the sweeps and searches.
  it.each([
    ['option', 31, (rng: Rng) => optionsOf(rng), 0.03],
    ['plausible', 32, (rng: Rng, file: string) => plausibleOptionsOf(rng, file), 0.15],
  ] as const)('%s values: each command is accepted with experiments that validate, or refused in one clear line a problem', async (kind, stream, generate, accepting) => {
    const findings: string[] = [];
    const tally = { accepted: 0, refused: 0, sweeps: 0 };
    for (let seed = FROM; seed < FROM + CASES; seed++) {
      const rng = new Rng(seed, stream);
      const file = pick(rng, FILES);
      const args = generate(rng, file);
      const tag = `${kind} seed ${seed} (${file.split('/').pop()} ${JSON.stringify(args).slice(0, 200)})`;
      const r = await runCase(file, args);
      if ('crash' in r) findings.push(`${tag}: crashed with ${r.crash}`);
      else if ('accepted' in r) {
        tally.accepted++;
        if (r.accepted > 1) tally.sweeps++;
        if ('problems' in r) findings.push(`${tag}: accepted, but experiments.validate refuses it, or a warning is unclear: ${JSON.stringify(r.problems).slice(0, 300)}`);
      } else {
        tally.refused++;
        if (r.lines.length === 0 || r.lines.join('') === '') findings.push(`${tag}: refused with nothing said`);
        for (const line of r.lines) {
          const why = unclearLine(line, args);
          if (why !== undefined) findings.push(`${tag}: ${why}: ${JSON.stringify(line.slice(0, 300))}`);
        }
      }
    }
    const out = process.env.AISLE_FUZZ_OUT;
    if (out) appendFileSync(out, `${findings.map((f) => `${f}\n`).join('')}# ${kind} seeds ${FROM}-${FROM + CASES - 1}: ${tally.accepted} accepted, ${tally.refused} refused (${tally.sweeps} sweeps or searches of several experiments)\n`);
    // Both outcomes are reached: the values do get past the parsers, and are refused.
    expect(tally.accepted).toBeGreaterThan(CASES * accepting);
    expect(tally.refused).toBeGreaterThan(CASES / 10);
    if (kind === 'plausible') expect(tally.sweeps).toBeGreaterThan(CASES / 20);
    expect(findings).toEqual([]);
  }, 120_000);
});
