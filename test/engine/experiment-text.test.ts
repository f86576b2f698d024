// What the rename editor says under each field before sending: the problems experiments.update would answer with (renameProblems).
import { describe, expect, it } from 'vitest';
import { renameProblems } from '../../src/engine/experiment-text';

describe('the rename editor’s checks (renameProblems)', () => {
  it('refuse a blank name and say how long a too long one is (as trimmed, as stored)', () => {
    expect(renameProblems('   ', '')).toEqual({ name: ['must not be empty: give the experiment a name'], description: [] });
    expect(renameProblems(`  ${'x'.repeat(245)} `, 'x'.repeat(12_345))).toEqual({
      name: ['has 245 characters, more than 200: shorten it'],
      description: ['has 12,345 characters, more than 10,000: shorten it'],
    });
  });
  it('count characters as the limit does: an emoji is one (its two UTF-16 units made "has 402 characters" of 201)', () => {
    expect(renameProblems('🚀'.repeat(201), '').name).toEqual(['has 201 characters, more than 200: shorten it']);
    expect(renameProblems('🚀'.repeat(200), '').name).toEqual([]);
  });
  it('let through what the service stores', () => {
    expect(renameProblems(` ${'x'.repeat(200)} `, '')).toEqual({ name: [], description: [] });
    expect(renameProblems('cliff alpha 0.5', 'line one\nline two')).toEqual({ name: [], description: [] });
  });
});
