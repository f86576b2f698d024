// A run's policy exported under a name the policy file refuses (a control character, blank) is
// refused before anything is stored, naming the field: it was stored, and the app's own reads of
// it then failed (policies.fits answered 400: "stored policy #2: policy.name: must not contain …").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyNameProblem } from '../../src/engine/policy/format';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
let runId: number;

beforeAll(async () => {
  t = openService();
  const launched = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 20 }) });
  runId = launched.runIds[0]!;
  await t.until([runId]);
});

afterAll(async () => {
  await t.close();
});

describe('policies.export with a name', () => {
  it('refuses one the policy file refuses, naming the field, and stores nothing', async () => {
    for (const [name, problem] of [
      ['\u202Eevil', 'name: must not contain control characters (found U+202E at character 1): remove it'],
      ['a\u0007b', 'name: must not contain control characters (found U+0007 at character 2): remove it'],
      ['   ', 'name: must not be blank: give the policy a name, or leave the field out (an imported file is then named by its file)'],
    ] as const) {
      const error = await t.fail('policies.export', { runId, name });
      expect(error.status, name).toBe(400);
      expect(error.problems, name).toEqual([problem]);
    }
    expect(await t.call('policies.list', {})).toEqual([]);
  });

  it('stores one it takes, which the app reads back', async () => {
    const exported = await t.call('policies.export', { runId, name: 'cliff, greedy «ε 0.1»' });
    expect(exported.policy.name).toBe('cliff, greedy «ε 0.1»');
    await expect(t.call('policies.fits', { policyId: exported.policyId })).resolves.toBeDefined();
  });

  it('says the problem in the words the form shows under its field', () => {
    expect(policyNameProblem('\u202Eevil')).toBe('must not contain control characters (found U+202E at character 1): remove it');
    expect(policyNameProblem('x'.repeat(501))).toMatch(/^has more than 500 characters: shorten/);
    expect(policyNameProblem('fine')).toBeUndefined();
  });
});
