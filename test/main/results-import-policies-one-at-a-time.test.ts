// A results import checked the file's policies after reading every one's file into memory at once
// (.all()): 221 policies of a 20,000-state table, 453 MB of JSON, were held together (found by the
// large-database audit, whose import of that file peaked at 2.1 GB). It now reads them by id, one
// file in memory at a time (storedMdpProblems reads the database meanwhile, which an open iterate()
// would refuse), each checked as before.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
});
