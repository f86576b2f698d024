import { describe, expect, it } from 'vitest';
import { isObject } from '../../src/engine/values';
import { isObject as sharedIsObject } from '../../src/shared/values';
import { loadPolicy } from '../../src/engine/policy/runtime';

// One plain-object check for the engine and the layers above it; the policy runtime, which imports
// nothing, writes it again and must draw the same line.
const values: [string, unknown, boolean][] = [
  ['null', null, false],
  ['undefined', undefined, false],
  ['an array', [1, 2], false],
  ['an empty array', [], false],
  ['a number', 3, false],
  ['a boolean', true, false],
  ['an object', { a: 1 }, true],
  ['an empty object', {}, true],
  ['an object without a prototype', Object.create(null), true],
  ['a typed array', new Uint8Array(2), true],
];

describe('isObject', () => {
  it.each(values)('%s', (_name, v, plain) => {
    expect(isObject(v)).toBe(plain);
    expect(sharedIsObject).toBe(isObject);
  });

  it("the policy runtime's copy refuses exactly what isObject refuses", () => {
    for (const [, v, plain] of values) {
      let message = '';
      try {
        loadPolicy(v);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message === 'policy: must be a JSON object').toBe(!plain);
    }
  });
});
