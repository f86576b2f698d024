// compare.runs's bootstrap seed and policies.evaluate's environment seed took any whole number up
// to 2⁵³ − 1, where `aisle compare --seed` and `aisle eval --seed` take 0 to 2,147,483,647 (as
// logs.evaluate now does, test/main/ope-seed-range.test.ts): the engine's generator keeps a seed's
// low 32 bits, so 4,294,967,296 drew seed 0's numbers under another name. Both now take the CLI's range.
import { describe, expect, it } from 'vitest';
import { MAX_SEED } from '../../src/engine/experiment';
import { Rng, Stream } from '../../src/engine/rng';
import { commands } from '../../src/shared/contract';

const cases = {
  'compare.runs': (seed: number) => ({ runIds: [1, 2], seed }),
  'policies.evaluate': (seed: number) => ({ policyId: 1, seed }),
} as const;

describe.each(Object.keys(cases) as (keyof typeof cases)[])("%s's seed", (command) => {
  it('is a whole number from 0 to 2,147,483,647, as the CLI takes it', () => {
    const parse = (seed: number) => commands[command].safeParse(cases[command](seed));
    expect(parse(0).success).toBe(true);
    expect(parse(MAX_SEED).success).toBe(true);
    expect(parse(MAX_SEED + 1).success).toBe(false);
    expect(parse(2 ** 32).success).toBe(false);
  });
});

it('a seed past 2³² − 1 would only repeat one within it (why the range is the limit)', () => {
  const draws = (seed: number) => Array.from({ length: 4 }, ((rng) => () => rng.bits())(new Rng(seed, Stream.env)));
  expect(draws(2 ** 32)).toEqual(draws(0));
  expect(draws(1)).not.toEqual(draws(0));
});
