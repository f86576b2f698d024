// experiments.validate's held files: the form sends its large MDP once, then names it by digest
// (`{ "$inlineFile": digest }`); the service answers as it would for the whole experiment, catches
// the file's errors as before, and says which digests it does not hold so they are sent again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { heldFiles } from '../../src/main/service/held-files';
import { CLIFF_MDP, cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService();
});
afterEach(async () => {
  await t.close();
});

const byDigest = (digest: string) => cliff({ env: { id: 'tabular-mdp', mdp: { $inlineFile: digest }, maxSteps: 200 } });

describe('experiments.validate with held files', () => {
  it('answers for a file named by digest as for the file itself, once it was sent', async () => {
    const whole = await t.call('experiments.validate', { experiment: cliff(), withoutFiles: true });
    expect(whole.ok).toBe(true);
    expect(await t.call('experiments.validate', { experiment: byDigest('d1'), withoutFiles: true, heldFiles: { d1: CLIFF_MDP } })).toEqual(whole);
    expect(await t.call('experiments.validate', { experiment: byDigest('d1'), withoutFiles: true })).toEqual(whole);
    const sweep = [{ path: 'agent.alpha', values: [0.1, 0.2] }];
    expect(await t.call('experiments.validate', { experiment: byDigest('d1'), sweep, withoutFiles: true })).toEqual(
      await t.call('experiments.validate', { experiment: cliff(), sweep, withoutFiles: true }),
    );
  });

  it('still catches the errors in a file it holds', async () => {
    const broken = { ...(CLIFF_MDP as Record<string, unknown>), start: { 36: 0.5 } };
    const direct = await t.call('experiments.validate', { experiment: cliff({ env: { id: 'tabular-mdp', mdp: broken, maxSteps: 200 } }) });
    expect(direct).toMatchObject({ ok: false, problems: [expect.stringMatching(/^env\.mdp\.start: probabilities sum to 0\.5/)] });
    await t.call('experiments.validate', { experiment: byDigest('broken'), heldFiles: { broken } });
    expect(await t.call('experiments.validate', { experiment: byDigest('broken') })).toEqual(direct);
  });

  it('says which digests it does not hold', async () => {
    expect(await t.call('experiments.validate', { experiment: byDigest('never-sent') })).toEqual({
      ok: false,
      problems: ['env.mdp: names the file never-sent by its digest, which this service does not hold: send it in heldFiles'],
      unheldFiles: ['never-sent'],
    });
  });
});

describe('the held files kept', () => {
  it('keeps the last few used, the least recently used going first', () => {
    const held = heldFiles(2);
    const named = (d: string) => ({ env: { id: 'x', mdp: { $inlineFile: d } } });
    held.resolve({}, { a: 'A', b: 'B' });
    expect(held.resolve(named('a')).experiment).toEqual({ env: { id: 'x', mdp: 'A' } }); // a is now the most recently used
    held.resolve({}, { c: 'C' }); // b goes
    expect(held.resolve(named('b')).unheld).toEqual([{ path: 'env.mdp', digest: 'b' }]);
    expect(held.resolve(named('a')).unheld).toEqual([]);
    expect(held.resolve(named('c')).unheld).toEqual([]);
    // Anything else is left as it is: a value with more keys, a non-object experiment.
    expect(held.resolve({ env: { mdp: { $inlineFile: 'a', more: 1 } } }).experiment).toEqual({ env: { mdp: { $inlineFile: 'a', more: 1 } } });
    expect(held.resolve('nope')).toEqual({ experiment: 'nope', unheld: [] });
  });
});
