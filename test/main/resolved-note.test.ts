// A refusal names the file as given and, where that is not the absolute path, the absolute one in
// parentheses. Given as the absolute path it was said twice: "/data/p.json: file not found
// (/data/p.json)"; so it still was after an option's name ("--target /abs/nope.json: … (/abs/nope.json)")
// and for a folder as tab completion writes it ("/abs/d/: is a folder (/abs/d)").
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvedNote } from '../../src/main/files';

describe('resolvedNote', () => {
  it('says nothing where the label already says the absolute path', () => {
    expect(resolvedNote('/data/p.json', '/data/p.json')).toBe('');
    expect(resolvedNote('--target /abs/nope.json', '/abs/nope.json')).toBe('');
    expect(resolvedNote('/abs/d/', '/abs/d/')).toBe('');
  });
  it('gives the absolute path of a relative one, or of a field naming a file', () => {
    expect(resolvedNote('p.json', 'p.json')).toBe(` (${resolve('p.json')})`);
    expect(resolvedNote('d/', 'd/')).toBe(` (${resolve('d')})`);
    expect(resolvedNote('--target nope.json', 'nope.json')).toBe(` (${resolve('nope.json')})`);
    expect(resolvedNote('env.mdp', 'cliff.mdp.json')).toBe(` (${resolve('cliff.mdp.json')})`);
    expect(resolvedNote('/a/d/../nope.json', '/a/d/../nope.json')).toBe(' (/a/nope.json)');
  });
});
