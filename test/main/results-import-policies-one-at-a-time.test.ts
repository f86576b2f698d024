// A results import checked the file's policies after reading every one's file into memory at once
// (.all()): 221 policies of a 20,000-state table, 453 MB of JSON, were held together (found by the
// large-database audit, whose import of that file peaked at 2.1 GB). It now reads them by id, one
// file in memory at a time (storedMdpProblems reads the database meanwhile, which an open iterate()
// would refuse), each checked as before. And each policy's check found and built its environment
// again (storedMdpProblems: a 20,000-state MDP parsed and fingerprinted, ~0.3 s a policy, 68 s for
// those 221): each environment is now built once an import, however many policies were trained on it.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as mdpFormat from '../../src/engine/mdp/format';
import { findEnvironment } from '../../src/engine/registry';
import { readPolicyText, storedMdpProblems } from '../../src/main/policies';
import { exportResults } from '../../src/main/results/export';
import { importResults } from '../../src/main/results/import';
import { Store } from '../../src/main/store';
import { closedAfterEach, finishedCliff } from '../helpers/service';
import { tempDir } from '../helpers/tmp';

const service = closedAfterEach();
afterEach(() => vi.restoreAllMocks());

describe("a results import's check of its policies", () => {
  it('reads one policy file at a time, and imports each', async () => {
    const dir = tempDir();
    const homePath = join(dir, 'home.db');
    const home = service(homePath);
    const { experimentId, runIds } = await finishedCliff(home, 'cliff', 1);
    for (const name of ['one', 'two', 'three']) await home.call('policies.export', { runId: runIds[0]!, name });
    const file = join(dir, 'night.aisle-results');
    const source = Store.open(homePath);
    try {
      exportResults(source, [experimentId], file, homePath);
    } finally {
      source.close();
    }
    const away = Store.open(join(dir, 'away.db'));
    try {
      const statement = Object.getPrototypeOf(away.db.prepare('SELECT 1')) as { all: (...a: unknown[]) => unknown; get: (...a: unknown[]) => unknown };
      const all = vi.spyOn(statement, 'all');
      const get = vi.spyOn(statement, 'get');
      const readsFiles = (spy: { mock: { contexts: unknown[] } }) => spy.mock.contexts.filter((s) => /SELECT id, json\b[^]*FROM policies/.test((s as { source: string }).source)).length;
      const imported = importResults(away, file);
      expect(readsFiles(all)).toBe(0);
      expect(readsFiles(get)).toBe(3);
      expect(imported.experiments[0]!.policies.map((p) => p.alreadyStored)).toEqual([false, false, false]);
    } finally {
      away.close();
    }
  }, 60_000);

  it('builds the environment the policies were trained on once, however many they are', async () => {
    const dir = tempDir();
    const homePath = join(dir, 'home.db');
    const home = service(homePath);
    const { experimentId, runIds } = await finishedCliff(home, 'cliff', 1);
    /** MDP parses of an import of the experiment, with the policies exported so far. */
    const parsesOfImport = (name: string) => {
      const file = join(dir, `${name}.aisle-results`);
      const source = Store.open(homePath);
      try {
        exportResults(source, [experimentId], file, homePath);
      } finally {
        source.close();
      }
      const away = Store.open(join(dir, `${name}.db`));
      const parse = vi.spyOn(mdpFormat, 'parseMdp');
      try {
        importResults(away, file);
        return parse.mock.calls.length;
      } finally {
        parse.mockRestore();
        away.close();
      }
    };
    await home.call('policies.export', { runId: runIds[0]!, name: 'one' });
    const one = parsesOfImport('one');
    expect(one).toBeGreaterThan(0);
    for (const name of ['two', 'three', 'four']) await home.call('policies.export', { runId: runIds[0]!, name });
    expect(parsesOfImport('four')).toBe(one);
  }, 60_000);

  it("builds the environment of a policy's stored run once to check the policy against it", async () => {
    // The lookup built the run's environment to fingerprint it, then storedMdpProblems built it again
    // for its spaces (its settings parsed and the environment made twice; the MDP's compiling was cached).
    const home = service();
    const { runIds } = await finishedCliff(home, 'cliff', 1);
    const { text } = await home.call('policies.export', { runId: runIds[0]!, name: 'one' });
    const read = readPolicyText(text, 'one.json');
    if (!read.ok) throw new Error(read.problems.join('\n'));
    const create = vi.spyOn(findEnvironment('tabular-mdp')!, 'create');
    expect(storedMdpProblems(home.store, read)).toEqual([]);
    expect(create).toHaveBeenCalledTimes(1);
    // A table that does not fit the stored MDP is still refused, by the spaces of that one build.
    create.mockClear();
    const cut = JSON.parse(text) as { actions: string[]; q: number[][]; greedy: number[] };
    cut.actions.pop();
    cut.q = cut.q.map((row) => row.slice(0, -1));
    cut.greedy = cut.q.map((row) => row.indexOf(Math.max(...row)));
    const edited = readPolicyText(JSON.stringify(cut), 'cut.json');
    if (!edited.ok) throw new Error(edited.problems.join('\n'));
    expect(storedMdpProblems(home.store, edited)).toEqual([expect.stringMatching(/^policy\.actions: the policy has 48 states × 3 actions but the MDP it names \(sha256 \w{12}…, run \d+'s in this database\) has 48 states × 4 actions: /)]);
    expect(create).toHaveBeenCalledTimes(1);
  }, 60_000);
});
