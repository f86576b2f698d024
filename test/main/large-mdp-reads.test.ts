// An inline MDP of a million transitions makes a run's config tens of MB: `aisle compare` and
// `aisle export` spent seconds writing its canonical text whole twice (once with its name, once
// without) for its fingerprints, and reading and parsing the run's config three times and the
// experiment's twice. The hashes are now fed the rows piece by piece, and each row read once:
// what they give must be what the whole text and the second reads gave.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../../src/engine/canonical';
import { canonicalMdpHead, canonicalMdpJson, mdpToFile, parseMdp, writeCanonicalMdpRows, type Mdp, type MdpTransition } from '../../src/engine/mdp/format';
import { envFingerprint, envFingerprints } from '../../src/main/fingerprint';
import { fingerprintOf, fingerprintsOf } from '../../src/main/service/configs';
import { runSpecOf } from '../../src/main/lab';
import { createEnv } from '../../src/main/policies';
import { exportRunPolicy } from '../../src/main/policy-export';
import { NotFoundError, Store } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';
import { parsedCliffExperiment } from '../helpers/cli';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A chain of `n` states, 3 actions, two outcomes a pair with probabilities and rewards of many digits: its rows some 30 characters each. */
function chainFile(n: number, name?: string) {
  const transitions: MdpTransition[] = [];
  for (let s = 0; s < n - 1; s++) {
    for (let a = 0; a < 3; a++) {
      transitions.push([s, a, 1 / 3, (s + a + 1) % n, -1 / (a + 7)], [s, a, 2 / 3, s, a === 1 ? 0.1 : -2.5e-7]);
    }
  }
  return { format: 'aisle.mdp/v1', ...(name !== undefined ? { name } : {}), states: n, actions: 3, start: { '0': 1 }, terminal: [n - 1], transitions };
}

/** The canonical text as the whole file object written at once (mdpToFile's keys in their order). */
const wholeText = (mdp: Mdp) => JSON.stringify(mdpToFile(mdp));

describe('an MDP hashed piece by piece', () => {
  it('writes the canonical text in several pieces that join to the whole file, named or not', () => {
    for (const name of [undefined, 'chain "quoted" ünïcode']) {
      const mdp = parseMdp(chainFile(3000, name));
      const pieces: string[] = [];
      writeCanonicalMdpRows(mdp, (text) => pieces.push(text));
      expect(pieces.length).toBeGreaterThan(2); // some 18,000 rows: across the pieces' boundaries
      expect(canonicalMdpHead(mdp) + pieces.join('')).toBe(wholeText(mdp));
      expect(canonicalMdpJson(mdp)).toBe(wholeText(mdp));
    }
  });

  it('gives the fingerprints of the whole text: without the name, then with it', () => {
    const file = chainFile(3000, 'chain');
    const config = { id: 'tabular-mdp', mdp: file, maxSteps: 50 };
    const env = createEnv(config);
    const { name: _name, ...unnamed } = file;
    const expected = (text: string) => {
      const body = { id: 'tabular-mdp', params: { maxSteps: 50 }, mdpHash: sha256(text) };
      return { ...body, hash: sha256(canonicalJson(body)) };
    };
    expect(envFingerprints(config, env)).toEqual([expected(wholeText(parseMdp(unnamed))), expected(wholeText(parseMdp(file)))]);
    // This version's alone (the MDP hashed once): the first of them, as the app shows and compares it.
    expect(envFingerprint(config, env)).toEqual(expected(wholeText(parseMdp(unnamed))));
    expect(fingerprintOf(config)).toEqual(fingerprintsOf(config)[0]);
    const unnamedConfig = { ...config, mdp: unnamed };
    expect(envFingerprints(unnamedConfig, createEnv(unnamedConfig))).toEqual([expected(wholeText(parseMdp(unnamed)))]);
  });
});

/** A store with the cliff experiment (its MDP inline) and its one run, with a final Q-table. */
function cliffStore(): { store: Store; runId: number } {
  const experiment = parsedCliffExperiment(1);
  const store = Store.open(join(tempDir(), 'a.db'));
  const { runs } = store.createExperimentWithRuns({
    name: experiment.name,
    config: experiment,
    configHash: 'c'.repeat(64),
    runs: [{ seed: 0, config: runSpecOf(experiment, 0), configHash: 'c'.repeat(64), appVersion: 'test', episodesTotal: 20 }],
  });
  const runId = runs[0]!.id;
  store.addCheckpoint(runId, { episode: 19, kind: 'qtable', states: 48, actions: 4, data: Float64Array.from({ length: 48 * 4 }, (_, i) => ((i * 7) % 11) - 5) });
  return { store, runId };
}

const withoutCreatedAt = (policy: { provenance: object }) => ({ ...policy, provenance: { ...policy.provenance, createdAt: undefined } });

it("gives a config that builds no environment the first of its fingerprints from its parameters", () => {
  const config = { id: 'tabular-mdp', mdp: { ...chainFile(4, 'chain'), states: -1 }, maxSteps: 50 };
  expect(() => createEnv(config)).toThrow();
  expect(fingerprintOf(config)).toEqual(fingerprintsOf(config)[0]);
});

describe("a run's policy exported reading its config once", () => {
  it('reads the run once (not at all when given it) and its experiment once, for the same file', () => {
    const { store, runId } = cliffStore();
    const readRun = vi.spyOn(store, 'getRun');
    const readExperiment = vi.spyOn(store, 'getExperiment');
    const alone = exportRunPolicy(store, runId);
    expect([readRun.mock.calls.length, readExperiment.mock.calls.length]).toEqual([1, 1]);
    const run = store.getRun(runId);
    readRun.mockClear();
    readExperiment.mockClear();
    const given = exportRunPolicy(store, runId, undefined, run);
    expect([readRun.mock.calls.length, readExperiment.mock.calls.length]).toEqual([0, 1]);
    expect(withoutCreatedAt(given.policy)).toEqual(withoutCreatedAt(alone.policy));
    expect(given.neverUpdated).toEqual(alone.neverUpdated);
    expect(given.policy.provenance).toMatchObject({ runId, experimentName: 'cliff', seed: 0, episodes: 20, status: 'queued' === run.status ? 'interrupted' : run.status });
    expect(exportRunPolicy(store, runId, 'named', run).policy.name).toBe('named');
    expect(() => exportRunPolicy(store, runId + 1, undefined, run)).toThrow(RangeError);
    store.close();
  });

  it("names an experiment as its row does, without its config, and refuses an unknown one alike", () => {
    const { store } = cliffStore();
    expect(store.experimentName(1)).toBe(store.getExperiment(1).name);
    const unknown = (read: () => unknown) => {
      try {
        read();
      } catch (e) {
        return [e instanceof NotFoundError, (e as Error).message];
      }
      return [];
    };
    expect(unknown(() => store.experimentName(9))).toEqual(unknown(() => store.getExperiment(9)));
    expect(unknown(() => store.experimentName(9))[0]).toBe(true);
    store.close();
  });
});
