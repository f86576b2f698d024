// JSON text whose number is too large to represent (1e309 reads as Infinity) is said where it is
// typed, in the JSON view and in a field edited as JSON: sent, the contract's JSON carried it as
// null and the service said "got null".
import { describe, expect, it } from 'vitest';
import { nonFiniteProblem } from '../../src/renderer/src/form/finite-json';
import { fromJsonText } from '../../src/renderer/src/form/held-files';
import { readJsonText } from '../../src/renderer/src/form/fields';
import { initialDraft } from '../../src/renderer/src/form/draft';
import { catalog } from '../helpers/catalog';

describe('numbers too large to represent in JSON text', () => {
  it('names the first one by its path, and none in finite JSON', () => {
    expect(nonFiniteProblem({ episodes: Infinity })).toBe('episodes: is a number too large to represent (it reads as Infinity): write a smaller number there');
    expect(nonFiniteProblem({ env: { shiftAt: [1, -Infinity] }, episodes: Infinity })).toBe('env.shiftAt[1]: is a number too large to represent (it reads as -Infinity): write a smaller number there');
    expect(nonFiniteProblem(JSON.parse('['.repeat(5000) + '1e999' + ']'.repeat(5000)))).toMatch(/^(\[0\]){5000}: is a number too large/);
    expect(nonFiniteProblem({ a: [1, 2, { b: null, c: 'Infinity' }], d: 1e308 })).toBeNull();
  });

  it('keeps the JSON view’s draft as it was, the problem said as a syntax problem is', () => {
    const draft = initialDraft(catalog);
    const text = JSON.stringify({ ...draft, episodes: 500 }).replace('"episodes":500', '"episodes":1e309');
    expect(fromJsonText(text, draft, [])).toEqual({ ok: false, error: 'episodes: is a number too large to represent (it reads as Infinity): write a smaller number there' });
    expect(fromJsonText(JSON.stringify({ ...draft, episodes: 500 }), draft, [])).toMatchObject({ ok: true });
  });

  it('keeps a JSON field’s text, with its problem, as text that does not parse is kept', () => {
    expect(readJsonText('{ "click": 1e309, "purchase": 1 }')).toEqual({ value: '{ "click": 1e309, "purchase": 1 }', problem: 'click: is a number too large to represent (it reads as Infinity): write a smaller number there' });
    expect(readJsonText('1e999')).toEqual({ value: '1e999', problem: 'is a number too large to represent (it reads as Infinity): write a smaller number there' });
    expect(readJsonText('{ "click": 0.1 }')).toEqual({ value: { click: 0.1 }, problem: null });
  });
});
