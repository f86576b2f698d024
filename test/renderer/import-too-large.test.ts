// New experiment's Import… and a file field's Replace… refuse a file past what the contract carries
// before asking the service: it was sent (70 MB) and refused with a 400 as "text: is larger than the
// file limit of 64 Mi characters", naming no file.
import { describe, expect, it } from 'vitest';
import type { Client } from '../../src/shared/client';
import { MAX_FILE_CHARS } from '../../src/shared/contract';
import { initialDraft } from '../../src/renderer/src/form/draft';
import { importFiles } from '../../src/renderer/src/form/import';
import { catalog } from '../helpers/catalog';

describe('a file too large to import', () => {
  it('is refused under its name, with what reads it, and nothing is asked of the service', async () => {
    const asked: string[] = [];
    const client = { call: (name: string) => (asked.push(name), Promise.reject(new Error(`${name} was called`))) } as unknown as Client;
    const big = { name: 'big.mdp.json', text: `{"format":"aisle.mdp/v1","pad":"${'x'.repeat(MAX_FILE_CHARS)}"}` };
    const problem = 'big.mdp.json: holds 64.00003 Mi characters, more than the 64 Mi characters the app reads: run its experiment in a terminal with `aisle run`, which reads larger files';
    expect(await importFiles(client, catalog, () => initialDraft(catalog), [big])).toEqual({ ok: false, problems: [problem] });
    // From the MDP field's Replace… too, and beside an experiment file that names it.
    expect(await importFiles(client, catalog, () => initialDraft(catalog), [big], 'env.mdp')).toEqual({ ok: false, problems: [problem] });
    const experiment = { name: 'e.json', text: JSON.stringify({ format: 'aisle.experiment/v1', name: 'e', env: { id: 'tabular-mdp', mdp: 'big.mdp.json' }, agent: { id: 'q-learning' } }) };
    expect(await importFiles(client, catalog, () => initialDraft(catalog), [experiment, big])).toEqual({ ok: false, problems: [problem] });
    expect(asked).toEqual([]);
  });
});
