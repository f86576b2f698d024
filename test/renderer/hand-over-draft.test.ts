// Off-policy's "New experiment on it" hands its simulator's draft to New experiment under one key:
// what was kept of the previous hand-over there (its JSON text left unparsed, its sweep, search and
// tab) was restored over the new draft, which then launched the previous simulator's experiment.
import { describe, expect, it } from 'vitest';
import { handOverDraft, savedDraft, savedJsonText } from '../../src/renderer/src/form/kept-draft';

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, String(v)),
  };
}

describe('handOverDraft', () => {
  it('stores the new draft and forgets what was kept of the previous one under its key', () => {
    const storage = memoryStorage();
    const key = 'aisle.draft.logs';
    storage.setItem(key, JSON.stringify({ name: 'simulator of policy=a' }));
    storage.setItem(`${key}.json`, '{"name": "simulator of policy=a" oops');
    storage.setItem(`${key}.tab`, 'json');
    storage.setItem(`${key}.sweep`, JSON.stringify([{ path: 'agent.alpha', values: '0.1,0.5' }]));
    storage.setItem(`${key}.search`, JSON.stringify({ mode: 'random', trials: '8', seed: '0' }));
    storage.setItem('aisle.draft.new', JSON.stringify({ name: 'kept' }));

    handOverDraft(key, { name: 'simulator of policy=b' }, storage);

    expect(savedDraft(key, storage)).toMatchObject({ name: 'simulator of policy=b' });
    expect(savedJsonText(key, storage)).toBeNull();
    for (const suffix of ['.tab', '.sweep', '.search']) expect(storage.getItem(key + suffix)).toBeNull();
    // Another draft's keys are not touched.
    expect(storage.getItem('aisle.draft.new')).toBe(JSON.stringify({ name: 'kept' }));
  });
});
