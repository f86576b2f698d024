// Seeded fuzzing of what `aisle run` and the app's imports read: the shipped presets (experiments,
// the cliff MDP, the online-retail catalog) mutated by the engine's Rng (no Math.random: a failing
// case is its seed), as a value (what the app's form and IPC send) and as file bytes (what the CLI
// and the app's import read). Each input is either accepted, and then reads again the same, or
// refused with a ValidationError whose every line names where (a JSON path, or the file's line and
// column) and what to do; never another error (a TypeError, a RangeError, a stack overflow).
// A failure lists every case that failed by its seed (AISLE_FUZZ_FROM and AISLE_FUZZ_CASES try
// others; AISLE_FUZZ_OUT=file writes the list and the counts). The seeds named in the commits this
// found (0af8c1f9 experiment value seed 56, d2d28aaa mdp value seed 1 and experiment value seed
// 91, cd8a0ffc file seed 3316, 7d20cb32 experiment value seed 47, 8df7c01c file seed 4935) are cases of the generator as
// committed with this test: a change to test/helpers/input-fuzz.ts makes other cases of them.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/engine/experiment';
import { parseCatalog } from '../../src/engine/envs/shop/catalog';
import { mdpToFile, parseMdp } from '../../src/engine/mdp/format';
import { ValidationError } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import { loadExperimentFile } from '../../src/main/files';
import type { ServiceContext } from '../../src/main/service/context';
import type { CallContext } from '../../src/shared/contract';
import { checkedToLaunch, experimentHandlers, validateExperiment } from '../../src/main/service/experiments';
import { catalogText, fileCase, mdpText, mutateValue, presetNames, presetText, unclear } from '../helpers/input-fuzz';
import { tempDir } from '../helpers/tmp';

interface Outcome {
  accepted: boolean;
  problems: readonly string[];
  /** Threw something else than a ValidationError: a finding already. */
  crashed?: true;
}

/** Runs a reader; anything but a ValidationError is a crash, and the test fails with it and the seed. */
function outcome(read: () => unknown, seed: string): Outcome {
  try {
    read();
    return { accepted: true, problems: [] };
  } catch (e) {
    if (e instanceof ValidationError) return { accepted: false, problems: e.problems };
    findings.push(`${seed}: crashed with ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)} ${e.stack?.split('\n')[1]?.trim() ?? ''}` : String(e)}`);
    return { accepted: false, problems: [], crashed: true };
  }
}

/** What the cases found wrong, each with its seed: the test lists them all, not only the first. */
const findings: string[] = [];

/** Accepted and refused readings, by the test (AISLE_FUZZ_OUT: a file the findings and these counts are added to, for a long run). */
const tally = { accepted: 0, refused: 0 };

afterEach((test) => {
  const out = process.env.AISLE_FUZZ_OUT;
  if (out) appendFileSync(out, `${findings.map((f) => `${f}\n`).join('')}# ${test.task.name}: ${tally.accepted} accepted, ${tally.refused} refused\n`);
  findings.length = 0;
  tally.accepted = tally.refused = 0;
});

function expectClear(o: Outcome, seed: string): void {
  tally[o.accepted ? 'accepted' : 'refused']++;
  if (o.accepted || o.crashed) return;
  if (o.problems.length === 0) findings.push(`${seed}: refused with no problem`);
  for (const line of o.problems) {
    const why = unclear(line);
    if (why !== undefined) findings.push(`${seed}: ${why}: ${line.slice(0, 300)}`);
  }
}

/** A reader of a value: what it gives back, read again (after a JSON round trip, as the database stores it), is the same. */
function expectStable<T>(read: (v: unknown) => T, value: unknown, seed: string): Outcome {
  let first: T | undefined;
  const o = outcome(() => (first = read(value)), seed);
  if (o.accepted) {
    const text = JSON.stringify(first);
    let again: T | undefined;
    const o2 = outcome(() => (again = read(JSON.parse(text) as unknown)), `${seed} (read again)`);
    if (!o2.accepted) findings.push(`${seed}: accepted, then refused once read back: ${o2.problems.join(' | ').slice(0, 300)}`);
    else if (JSON.stringify(again) !== text) findings.push(`${seed}: read back differs`);
  }
  expectClear(o, seed);
  return o;
}

const CASES = Number(process.env.AISLE_FUZZ_CASES ?? 1000);
/** The first seed: AISLE_FUZZ_FROM=5001 tries seeds no run of the suite tries. */
const FROM = Number(process.env.AISLE_FUZZ_FROM ?? 1);

describe('seeded fuzzing of experiment, MDP and catalog input', () => {
  it('experiment values (the form and IPC): accepted stably or refused clearly', () => {
    const presets = presetNames.map((f) => JSON.parse(presetText[f]!) as Record<string, unknown>);
    // The service takes files inline: the cliff MDP and the catalog in place of their paths.
    const inline = presets.map((p) => {
      const env = p.env as Record<string, unknown>;
      if (env.mdp !== undefined) return { ...p, env: { ...env, mdp: JSON.parse(mdpText) as unknown } };
      if (env.catalog !== undefined) return { ...p, env: { ...env, catalog: JSON.parse(catalogText) as unknown } };
      return p;
    });
    let refused = 0;
    for (let seed = FROM; seed < FROM + CASES; seed++) {
      const rng = new Rng(seed, 11);
      const base = inline[rng.int(inline.length)]!;
      const value = mutateValue(base, rng);
      const tag = `experiment value seed ${seed}`;
      const o = expectStable((v) => checkedToLaunch(parseExperiment(v)).experiment, value, tag);
      if (!o.accepted) refused++;
      // The service's check (experiments.validate) decides alike, as { ok: false, problems } rather
      // than a throw, and as clearly (its words differ only for a file path, which it cannot read).
      const validated = outcome(() => {
        const r = validateExperiment(value);
        if (!r.ok) throw new ValidationError(r.problems);
      }, `${tag} (validate)`);
      if (!o.crashed && !validated.crashed && validated.accepted !== o.accepted) findings.push(`${tag}: experiments.validate ${validated.accepted ? 'accepts' : 'refuses'} it`);
      expectClear(validated, `${tag} (validate)`);
    }
    expect(refused).toBeGreaterThan(CASES / 4); // the mutations do reach the checks
    expect([...findings]).toEqual([]);
  });

  it('MDP and catalog values: accepted stably or refused clearly', () => {
    const mdp = JSON.parse(mdpText) as unknown;
    const catalog = JSON.parse(catalogText) as unknown;
    for (let seed = FROM; seed < FROM + CASES; seed++) {
      const rng = new Rng(seed, 12);
      // The MDP as mdp.parseFile gives it back, which the form then sends inline.
      expectStable((v) => mdpToFile(parseMdp(v, 'mdp')), mutateValue(mdp, rng), `mdp value seed ${seed}`);
      // A catalog is read back from the experiment that holds it (the first test): here, read twice alike.
      const value = mutateValue(catalog, rng);
      const tag = `catalog value seed ${seed}`;
      let first: unknown;
      const o = outcome(() => (first = parseCatalog(value)), tag);
      if (o.accepted && JSON.stringify(parseCatalog(value)) !== JSON.stringify(first)) findings.push(`${tag}: read twice differs`);
      expectClear(o, tag);
    }
    expect([...findings]).toEqual([]);
  });

  it('experiment, MDP and catalog files (aisle run, the app import): accepted or refused clearly', () => {
    const dir = tempDir('aisle-fuzz-');
    mkdirSync(join(dir, 'experiments'));
    mkdirSync(join(dir, 'shops'));
    // Neither reading touches the store or the context: a stand-in for both.
    const parseFile = experimentHandlers({} as ServiceContext);
    const call = {} as CallContext;
    for (let seed = FROM; seed < FROM + CASES; seed++) {
      const c = fileCase(seed);
      for (const [path, bytes] of Object.entries(c.files)) writeFileSync(join(dir, path), bytes);
      const tag = `file seed ${seed} (${c.name}, ${c.target}${c.viaValue ? ', value' : ''})`;
      // aisle run's reading.
      expectClear(outcome(() => loadExperimentFile(join(dir, 'experiments', c.name)), tag), tag);
      // The app's import of the same files as text (experiments.parseFile, mdp.parseFile): a reply, never a throw.
      const text = (path: string) => c.files[path]!.toString('utf8');
      // Both handlers answer at once (not a Promise): checked below.
      const reply = (call: () => unknown) =>
        outcome(() => {
          const r = call() as { ok: boolean; problems?: readonly string[] };
          if (r instanceof Promise) throw new Error('the handler answered later');
          if (!r.ok) throw new ValidationError(r.problems ?? []);
        }, `${tag} (imported)`);
      expectClear(
        reply(() =>
          parseFile['experiments.parseFile']({
            text: text(`experiments/${c.name}`),
            fileName: c.name,
            files: { 'cliff.mdp.json': text('experiments/cliff.mdp.json'), 'online-retail.shop.json': text('shops/online-retail.shop.json') },
          }, call),
        ),
        `${tag} (imported)`,
      );
      if (c.target === 'mdp') expectClear(reply(() => parseFile['mdp.parseFile']({ text: text('experiments/cliff.mdp.json'), fileName: 'cliff.mdp.json' }, call)), `${tag} (MDP imported)`);
    }
    expect([...findings]).toEqual([]);
  });
});
