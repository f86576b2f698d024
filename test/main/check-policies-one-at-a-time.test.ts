// `aisle check` read every stored policy's file into memory before checking the first: 221 policies
// of a 20,000-state table (2 MB of JSON each) held 2.35 GB at once (found by the large-database
// audit). It now steps through them, one file in memory at a time; each is checked as before.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkDatabase } from '../../src/main/check-database';
import { Store } from '../../src/main/store';
import { tabularPolicy } from '../helpers/policy';
import { tempDir } from '../helpers/tmp';

afterEach(() => vi.restoreAllMocks());

describe('aisle check of the stored policies', () => {
  it('steps through their files rather than reading them all at once, and reads each', () => {
    const store = Store.open(join(tempDir(), 'a.db'));
    try {
      for (let i = 0; i < 3; i++) store.savePolicy({ origin: 'import', json: JSON.stringify(tabularPolicy({ name: `p${i}` })) });
      store.savePolicy({ origin: 'import', json: JSON.stringify(tabularPolicy({ name: 'bad', greedy: [7, 0] })) });
      const statement = Object.getPrototypeOf(store.db.prepare('SELECT 1')) as { all: (...a: unknown[]) => unknown; iterate: (...a: unknown[]) => unknown };
      const all = vi.spyOn(statement, 'all');
      const iterate = vi.spyOn(statement, 'iterate');
      const readsFiles = (calls: unknown[][], self: { mock: { contexts: unknown[] } }) =>
        calls.filter((_, i) => /SELECT id, json FROM policies/.test((self.mock.contexts[i] as { source: string }).source)).length;
      const check = checkDatabase(store);
      expect(readsFiles(all.mock.calls, all)).toBe(0);
      expect(readsFiles(iterate.mock.calls, iterate)).toBe(1);
      expect(check.read.policies).toBe(3);
      expect(check.problems).toHaveLength(1);
      expect(check.problems[0]).toMatch(/^stored policy #4: /);
    } finally {
      store.close();
    }
  });
});
