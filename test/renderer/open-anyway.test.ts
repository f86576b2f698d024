// Import… opens an experiment file the service refused when the form can show every value in it
// (its problems then said under their fields), with the files it names by path as the service read
// them, and refuses a file it cannot show.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../helpers/catalog';
import { openableAnyway } from '../../src/renderer/src/form/open-anyway';

const mdp: unknown = JSON.parse(readFileSync(join(__dirname, '../../resources/experiments/cliff.mdp.json'), 'utf8'));
const cliff = (agent: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, env: Record<string, unknown> = {}) => ({
  format: 'aisle.experiment/v1',
  name: 'cliff',
  env: { id: 'tabular-mdp', mdp, maxSteps: 200, ...env },
  agent: { id: 'q-learning', alpha: 0.5, epsilon: 0.1, ...agent },
  episodes: 200,
  seeds: 3,
  ...extra,
});
const open = (experiment: unknown) => openableAnyway(catalog, JSON.stringify(experiment));

describe('openableAnyway', () => {
  it('opens values out of range, each of a type its field holds, as the file has them', () => {
    const file = cliff({ alpha: 7, epsilon: { start: 0.1, end: 0.5, decayEpisodes: 0 } }, { episodes: -1, seeds: [0, 0], checkpoints: 1.5, evaluation: { every: 0 } });
    expect(open(file)).toEqual(file);
  });

  it('puts a file named by its path in its place as the service read it (namedFiles), the rest as the file has it', () => {
    const file = cliff({ alpha: 7 }, { episodes: -1 }, { mdp: 'cliff.mdp.json' });
    expect(openableAnyway(catalog, JSON.stringify(file), { 'env.mdp': mdp })).toEqual(cliff({ alpha: 7 }, { episodes: -1 }));
    // What it reads, not what else the form can show, still decides: an agent this Aisle lacks is refused with its MDP read.
    expect(openableAnyway(catalog, JSON.stringify(cliff({ id: 'q-lerning' }, {}, { mdp: 'cliff.mdp.json' })), { 'env.mdp': mdp })).toBeUndefined();
  });

  it('refuses what the form cannot show', () => {
    expect(openableAnyway(catalog, '{"format": "aisle.experiment/v1",')).toBeUndefined();
    expect(open({ ...cliff({ alpha: 7 }), format: 'aisle.mdp/v1' })).toBeUndefined();
    expect(open(cliff({ alpha: 'high' }))).toBeUndefined(); // text where a number goes
    expect(open(cliff({}, { episodes: '10' }))).toBeUndefined();
    expect(open(cliff({ id: 'q-lerning', alpha: 7 }))).toBeUndefined(); // an agent this Aisle lacks
    expect(open(cliff({ alpha: 7 }, {}, { id: 'grid' }))).toBeUndefined();
    expect(open(cliff({ alpha: 7 }, { epochs: 3 }))).toBeUndefined(); // a field the form has no place for
    expect(open(cliff({ alpha: 7, lr: 0.1 }))).toBeUndefined();
    expect(open(cliff({ epsilon: { start: 1, end: 0.1, decay: 500 } }))).toBeUndefined();
    expect(open(cliff({ alpha: 7 }, {}, { mdp: 'cliff.mdp.json' }))).toBeUndefined(); // a file named by its path that the service did not read
    expect(openableAnyway(catalog, JSON.stringify(cliff({ alpha: 7 }, {}, { mdp: 'cliff.mdp.json' })), { 'env.catalog': mdp })).toBeUndefined();
    expect(open(cliff({ alpha: 7 }, {}, { maxSteps: null }))).toBeUndefined();
  });
});
