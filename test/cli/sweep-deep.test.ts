// `aisle run file --set …` and `--sample …` on a file holding a value nested thousands deep (which
// JSON.parse reads): the sweep copied the file for each experiment with structuredClone, which
// recursed through it and ended in "aisle: Maximum call stack size exceeded", exit 1, before any
// check named the field. Found by fuzzing the experiment reader.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError, nestsDeeper } from '../../src/engine/params';
import { parseSample, searchPlan } from '../../src/cli/search';
import { expandSweep, parseSetting } from '../../src/cli/sweep';
import { tempDir } from '../helpers/tmp';

/** An experiment file whose `where` holds [[…[1]…]], `depth` arrays deep. */
function deepFile(where: 'agent' | 'top', depth: number): string {
  const deep = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
  const agent = where === 'agent' ? `{"id":"q-learning","alpha":${deep}}` : '{"id":"q-learning"}';
  const extra = where === 'top' ? `,"zzz":${deep}` : '';
  const file = join(tempDir(), 'deep.json');
  writeFileSync(file, `{"format":"aisle.experiment/v1","name":"deep","env":{"id":"seed-toy"},"agent":${agent},"episodes":1${extra}}`);
  return file;
}

function refusal(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  throw new Error('accepted');
}

describe('a sweep of a file nested thousands deep', () => {
  it('is refused naming the field, as `aisle run` without --set refuses it', () => {
    const alpha = deepFile('agent', 100_000);
    expect(refusal(() => expandSweep(alpha, [parseSetting('agent.gamma=0.9,0.99')], {}))).toEqual([`${alpha}: agent.alpha: must be a number in (0, 1], got an array`]);
    const top = deepFile('top', 100_000);
    expect(refusal(() => expandSweep(top, [parseSetting('agent.alpha=0.1,0.2')], {}))).toEqual([`${top}: unknown field "zzz": remove it or check the spelling`]);
    const search = searchPlan({ sample: [parseSample('agent.alpha=uniform:0.1:0.5')], trials: 2 }, []);
    expect(refusal(() => expandSweep(top, [], {}, search))).toEqual([`${top}: unknown field "zzz": remove it or check the spelling`]);
  });

  it('tells nesting past the bound from what Aisle files hold', () => {
    const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);
    expect(nestsDeeper(nested(64))).toBe(false);
    expect(nestsDeeper(nested(65))).toBe(true);
    // Six containers, one in the other.
    expect(nestsDeeper({ a: { b: [[{ c: [] }]] } }, 6)).toBe(false);
    expect(nestsDeeper({ a: { b: [[{ c: [] }]] } }, 5)).toBe(true);
    // An MDP's many rows, each a container, are no deeper for being many.
    expect(nestsDeeper({ transitions: Array.from({ length: 100_000 }, () => [0, 0, 1, 0, 0]) }, 3)).toBe(false);
  });
});
