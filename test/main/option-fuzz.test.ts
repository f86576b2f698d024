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
import { optionsOf, pick, plausibleOptionsOf, unclearLine } from '../helpers/option-fuzz';

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

const CASES = Number(process.env.AISLE_FUZZ_CASES ?? 400);
const FROM = Number(process.env.AISLE_FUZZ_FROM ?? 1);
const FILES = presetNames.map((f) => join(ROOT, 'resources', 'experiments', f));

describe('seeded fuzzing of aisle run --set/--sample/--trials/… values', () => {
  // Hostile values (option seeds, stream 31), and values near what each preset takes (plausible seeds, stream 32), which reach the sweeps and searches.
  it.each([
    ['option', 31, (rng: Rng) => optionsOf(rng), 0.03],
    ['plausible', 32, (rng: Rng, file: string) => plausibleOptionsOf(rng, JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>), 0.15],
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
