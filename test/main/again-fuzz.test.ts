// Seeded fuzzing of `aisle again <experimentId>`'s options over a stored experiment, in-process:
// the `aisle` program's own parsers (buildProgram, its again command's action replaced by one that
// keeps the id and options), then againExperiments (what againCommand does before anything is
// stored: the stored experiment read, renamed and the options set over it), then what
// trainExperiments does up to the runs' start: each experiment checked to launch (checkedToLaunch,
// its notes and storage warnings) and stored by Lab.launchAll as a repeat, the pool kept from
// starting them. The database (test/helpers/again-fuzz) holds every shipped preset, some under the
// names a sweep or a repeat gives, two rows edited by hand and a deleted one; each case works on a
// fresh copy of it. The options come from the engine's Rng only (a case is its seed): the hostile
// values of test/main/option-fuzz (option seeds, stream 41), values near what the stored experiment
// takes (plausible seeds, stream 42), and values aimed at again's own ground (again seeds, stream
// 43: a new name, a description, the inline MDP or catalog replaced, the environment or agent
// swapped, the evaluation, checkpoints, format, fittedTo), with odd experiment ids among them. A
// case is refused in clear lines (unclearLine:
// 'aisle: <problem>', naming the option or the experiment and a fix, no control character, no raw
// JS error, nothing announced and left out) with the database as it was, row for row; or accepted,
// each experiment stored under a name no other experiment has, reading back as launched, with a run
// per seed, and passing the app's check (experiments.validate). The default is a few seconds;
// AISLE_FUZZ_FROM and AISLE_FUZZ_CASES try other seeds (1,000 a stream found nothing more than
// a12691a5's again seeds 12, 95, 143, cases of againOptionsOf before it set the experiment's other
// fields), AISLE_FUZZ_OUT=file writes the findings and the counts.
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL, ValidationError } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import { sweepStorageWarnings } from '../../src/engine/storage-estimate';
import { againExperiments } from '../../src/cli/again';
import { openStore, problemsOf, UsageError } from '../../src/cli/context';
import { printable } from '../../src/cli/index';
import { NotFoundError } from '../../src/main/store';
import { checkedToLaunch, noteLines, notesOf, validateExperiment } from '../../src/main/service/experiments';
import { againOptionsOf, dump, idOf, parsedAgain, record, storedExperiments, type Stored } from '../helpers/again-fuzz';
import { ROOT } from '../helpers/cli';
import { optionsOf, plausibleOptionsOf, unclearLine } from '../helpers/option-fuzz';

let dir = '';
/** Every case starts from a copy of it. */
let template = '';
/** The template's rows (dump): a refused case leaves them as they were. */
let templateRows = '';
let stored: Stored[] = [];

beforeAll(() => {
  // Not tempDir(): its folders go after each test, and this one serves both.
  dir = mkdtempSync(join(tmpdir(), 'aisle-again-fuzz-'));
  template = join(dir, 'template.db');
  stored = storedExperiments(template);
  templateRows = dump(template);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Result = { accepted: number; problems?: string[] } | { lines: string[] } | { crash: string };

/** `aisle --db <db> again <id> <args>` up to the runs' start. */
async function againCase(db: string, id: string, args: readonly string[]): Promise<Result> {
  const parsed = await parsedAgain(db, id, args);
  if (!('opts' in parsed)) return parsed;
  const given = parsed;
  const { opts } = given;
  try {
    const { loaded, source } = againExperiments(given.id, opts);
    // As trainExperiments goes on: checked to launch, its notes and warnings said, then stored as a repeat.
    const sweep = loaded.experiments.map((e) => checkedToLaunch(e.experiment));
    const warnings = [...loaded.warnings, ...noteLines(notesOf(sweep)), ...sweepStorageWarnings(sweep.map((e) => e.experiment))];
    const problems = warnings.filter((w) => CONTROL.test(w) || w.length > 2000).map((w) => `unclear warning: ${w}`);
    const store = openStore(opts);
    try {
      const before = store.listExperimentEntries().map((e) => e.name);
      const launched = sweep.map((e) => e.experiment);
      const recorded = record(store, launched, source, true);
      recorded.forEach((l, i) => {
        const { name, ...config } = store.getExperiment(l.experimentId).config as Record<string, unknown>;
        const expected = JSON.parse(JSON.stringify({ ...launched[i], name: l.name })) as Record<string, unknown>;
        if (name !== l.name) problems.push(`experiment ${i} stored as "${String(name)}", launched as "${l.name}"`);
        delete expected.name;
        if (!isDeepStrictEqual(config, expected)) problems.push(`experiment ${i} reads back otherwise than launched`);
        if (before.includes(l.name) || recorded.some((m, j) => j !== i && m.name === l.name)) problems.push(`experiment ${i} named "${l.name}", a name taken`);
        if (l.runIds.length !== launched[i]!.seeds.length) problems.push(`experiment ${i}: ${l.runIds.length} runs for ${launched[i]!.seeds.length} seeds`);
        // The app's check of a shop reads its catalog: a search's first and last experiments stand for the others, whose fields differ only in its values.
        if (i !== 0 && i !== recorded.length - 1) return;
        const r = validateExperiment(store.getExperiment(l.experimentId).config);
        if (!r.ok) problems.push(...r.problems);
      });
    } finally {
      store.close();
    }
    return { accepted: loaded.experiments.length, ...(problems.length > 0 ? { problems } : {}) };
  } catch (e) {
    // The errors main() reports as the user's to fix (exit 2), a line each; any other is a crash.
    if (e instanceof ValidationError || e instanceof UsageError || e instanceof NotFoundError) return { lines: problemsOf(e).map((line) => `aisle: ${printable(line)}\n`) };
    return { crash: e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)} ${e.stack?.split('\n')[1]?.trim() ?? ''}` : String(e) };
  }
}

/** A few seconds by default: a case of the plausible values, a search of up to 65 experiments, takes the longer. */
const CASES_GIVEN = process.env.AISLE_FUZZ_CASES === undefined ? undefined : Number(process.env.AISLE_FUZZ_CASES);
const FROM = Number(process.env.AISLE_FUZZ_FROM ?? 1);

describe('seeded fuzzing of aisle again <experimentId> with aisle run’s options', () => {
  it.each([
    ['option', 41, (rng: Rng) => optionsOf(rng), 0.02, 80],
    ['plausible', 42, (rng: Rng, config: Record<string, unknown>) => plausibleOptionsOf(rng, config), 0.15, 30],
    ['again', 43, (rng: Rng, config: Record<string, unknown>) => againOptionsOf(rng, config), 0.1, 50],
  ] as const)('%s values: each command is refused in clear lines with the database as it was, or stores experiments that read back and validate', async (kind, stream, generate, accepting, cases) => {
    const CASES = CASES_GIVEN ?? cases;
    const findings: string[] = [];
    const tally = { accepted: 0, refused: 0, sweeps: 0 };
    const db = join(dir, `${kind}.db`);
    for (let seed = FROM; seed < FROM + CASES; seed++) {
      const rng = new Rng(seed, stream);
      const id = idOf(rng, stored);
      const config = stored.find((s) => String(s.id) === id)?.config ?? (JSON.parse(readFileSync(join(ROOT, 'resources', 'experiments', 'quickstart.json'), 'utf8')) as Record<string, unknown>);
      const args = generate(rng, config);
      const tag = `${kind} seed ${seed} (again ${JSON.stringify(id)} ${JSON.stringify(args).slice(0, 200)})`;
      for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
      copyFileSync(template, db);
      const r = await againCase(db, id, args);
      if ('crash' in r) findings.push(`${tag}: crashed with ${r.crash}`);
      else if ('accepted' in r) {
        tally.accepted++;
        if (r.accepted > 1) tally.sweeps++;
        if (r.problems) findings.push(`${tag}: accepted, but ${JSON.stringify(r.problems).slice(0, 300)}`);
      } else {
        tally.refused++;
        if (r.lines.length === 0 || r.lines.join('') === '') findings.push(`${tag}: refused with nothing said`);
        for (const line of r.lines) {
          const why = unclearLine(line, args, (text) => /\bexperiment(Id| \d+)|<experimentId>/.test(text));
          if (why !== undefined) findings.push(`${tag}: ${why}: ${JSON.stringify(line.slice(0, 300))}`);
        }
        if (dump(db) !== templateRows) findings.push(`${tag}: refused, but the database changed`);
      }
    }
    const out = process.env.AISLE_FUZZ_OUT;
    if (out) appendFileSync(out, `${findings.map((f) => `${f}\n`).join('')}# again ${kind} seeds ${FROM}-${FROM + CASES - 1}: ${tally.accepted} accepted, ${tally.refused} refused (${tally.sweeps} sweeps or searches of several experiments)\n`);
    expect(tally.accepted).toBeGreaterThan(CASES * accepting);
    expect(tally.refused).toBeGreaterThan(CASES / 10);
    if (kind === 'plausible') expect(tally.sweeps).toBeGreaterThan(CASES / 20);
    expect(findings).toEqual([]);
  }, 120_000);
});
