// A user's file's texts in the app's messages, quoted as every message quotes a file's text
// (engine/params' show, listedName): React escapes markup but not a bidirectional override, which
// reversed the rest of the line, nor an ESC or a line break, nor a text of 5,000 characters, which
// was quoted whole. The experiment form's import of a file that is not an Aisle file quotes its
// "format" (raw in the file's first 4 KB, where the format is read without parsing); the Off-policy
// screen's filter text (its blocker, its results' rows, the logs target's rows) the logs' columns
// and values; its blocker for one column chosen for two roles, that column's name. The form's
// file field, the path an imported experiment names for a file not read.
import { describe, expect, it } from 'vitest';
import type { Client } from '../../src/shared/client';
import { catalog } from '../helpers/catalog';
import { initialDraft } from '../../src/renderer/src/form/draft';
import { importFiles } from '../../src/renderer/src/form/import';
import { whereText } from '../../src/renderer/src/components/ope-targets';
import { roleClashText } from '../../src/renderer/src/components/ope-columns';
import { fileFieldText } from '../../src/renderer/src/form/fields';

const client = {} as Client; // refused before anything is asked of the service

async function problem(text: string): Promise<string> {
  const r = await importFiles(client, catalog, () => initialDraft(catalog), [{ name: 'x.json', text }]);
  expect(r.ok).toBe(false);
  return (r as { problems: readonly string[] }).problems.join('\n');
}

describe("an imported file's format that is not Aisle's", () => {
  it('reads as before for an ordinary one', async () => {
    expect(await problem(JSON.stringify({ format: 'gym/v1' }))).toBe(
      'x.json: not an Aisle file: its "format" is "gym/v1", expected "aisle.experiment/v1" or "aisle.mdp/v1" (or a shop catalog: { "items": [...] })',
    );
  });

  it.each([
    ['an ESC sequence (raw in the file: read from its head)', '{"format": "a\u001b[31mred"}', '"a\\u001b[31mred"'],
    ['U+202E', JSON.stringify({ format: 'a\u202Eb' }), '"a\\u202eb"'],
    ['a line break (raw in the file)', '{"format": "two\nlines"}', '"two\\nlines"'],
    ['5,000 characters', JSON.stringify({ format: 'x'.repeat(5_000) }), `"${'x'.repeat(60)}"…`],
  ])('is quoted escaped and cut when it holds %s', async (_what, text, shown) => {
    const said = await problem(text);
    expect(said).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u);
    expect(said.length).toBeLessThan(300);
    expect(said).toContain(`its "format" is ${shown},`);
  });
});

describe("the Off-policy screen's filter text", () => {
  it('reads as before for ordinary columns and values', () => {
    expect(whereText({ policy: 'uniform', campaign: 'men' })).toBe('policy = uniform, campaign = men');
  });

  it.each([
    ['an ESC sequence', 'a\u001b[31mred', '"a\\u001b[31mred"'],
    ['U+202E', 'a\u202Eb', '"a\\u202eb"'],
    ['a line break', 'two\nlines', '"two\\nlines"'],
    ['5,000 characters', 'x'.repeat(5_000), `"${'x'.repeat(60)}"…`],
  ])('quotes a column and a value holding %s, escaped and cut', (_what, text, shown) => {
    const said = whereText({ [text]: text, page: 'home' });
    expect(said).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u);
    expect(said).toBe(`${shown} = ${shown}, page = home`);
  });
});

describe("the Off-policy screen's blocker for one column in two roles", () => {
  it('reads as before for an ordinary column, and is null without a clash', () => {
    expect(roleClashText({ action: 'item', reward: 'click', propensity: 'click', context: '' })).toBe(
      'The column "click" is both the reward and the propensity: choose another column for one of them.',
    );
    expect(roleClashText({ action: 'item', reward: 'click', propensity: 'pscore', context: '' })).toBeNull();
  });

  it.each([
    ['an ESC sequence', 'a\u001b[31mred', '"a\\u001b[31mred"'],
    ['U+202E', 'a\u202Eb', '"a\\u202eb"'],
    ['a line break', 'two\nlines', '"two\\nlines"'],
    ['5,000 characters', 'x'.repeat(5_000), `"${'x'.repeat(60)}"…`],
  ])('quotes a column holding %s, escaped and cut', (_what, text, shown) => {
    const said = roleClashText({ action: text, reward: 'click', propensity: 'pscore', context: text })!;
    expect(said).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u);
    expect(said).toBe(`The column ${shown} is both the action and the context: choose another column for one of them.`);
  });
});

describe("the experiment form's file field, for a path not read", () => {
  it('quotes an ordinary path whole, and says an inline file or none as before', () => {
    expect(fileFieldText('../mdps/cliff.mdp.json')).toBe('file "../mdps/cliff.mdp.json" (not read yet: import it with the experiment, or replace it)');
    expect(fileFieldText({ items: [{ category: 'a' }] })).toBe('catalog: 1 item in 1 category');
    expect(fileFieldText(undefined)).toBe('none');
  });

  it.each([
    ['an ESC sequence', 'a\u001b[31mred.json', '"a\\u001b[31mred.json"'],
    ['U+202E', 'a\u202Enosj.json', '"a\\u202enosj.json"'],
    ['a line break', 'two\nlines.json', '"two\\nlines.json"'],
    ['5,000 characters', `${'d/'.repeat(2_500)}x.json`, `"${'d/'.repeat(30)}"…`],
  ])('quotes a path holding %s, escaped and cut', (_what, path, shown) => {
    const said = fileFieldText(path);
    expect(said).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u);
    expect(said).toBe(`file ${shown} (not read yet: import it with the experiment, or replace it)`);
  });
});
