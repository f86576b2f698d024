// A user's file's own texts (a results file's origin, a policy's and logs' labels) in the CLI's
// plain output: each is shown as a message quotes a file's text (engine/params' listedName/show),
// its control characters escaped and cut after 60 characters, where they reached the terminal raw
// (an ESC sequence recolouring it, U+202E reversing the rest of the line, a line break splitting
// it) and whole (a line of thousands of characters).
import { describe, expect, it } from 'vitest';
import { describeComponent, runHeadLines } from '../../src/cli/inspect';
import { kindText } from '../../src/cli/policies';
import { provenanceTexts, rankingText, servesText } from '../../src/cli/policy';
import { originLine } from '../../src/cli/results';
import { parsePolicy } from '../../src/engine/policy/format';
import type { RunRow } from '../../src/main/store';
import { tabularPolicy } from '../helpers/policy';

/** The hostile texts: an ESC sequence, a bidirectional override, a line break, 5,000 characters. */
const ESC = 'db\u001b[31mred';
const RLO = 'host\u202Eevil';
const NEWLINE = 'two\nlines';
const LONG = 'x'.repeat(5_000);

/** No raw control character (C0, C1, DEL, overrides, isolates) and nothing near the 5,000 characters. */
function safe(line: string): void {
  expect(line).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u);
  expect(line.length).toBeLessThan(400);
}

describe('aisle results import: the origin line', () => {
  const origin = { format: 'aisle.results/v1', appVersion: '1.0.0', sourceDatabase: 'home.db', sourceHost: 'lab', exportedAt: Date.UTC(2026, 0, 2, 3, 4, 5) };

  it('reads as before for ordinary texts', () => {
    expect(originLine('x.aisle-results', origin)).toBe('x.aisle-results: exported 2026-01-02 03:04:05 from home.db on lab by Aisle 1.0.0');
  });

  it.each([
    ['an ESC sequence', ESC, '"db\\u001b[31mred"'],
    ['U+202E', RLO, '"host\\u202eevil"'],
    ['a line break', NEWLINE, '"two\\nlines"'],
    ['5,000 characters', LONG, `"${'x'.repeat(60)}"…`],
  ])('quotes a source database, host and version holding %s, escaped and cut', (_what, text, shown) => {
    for (const field of ['sourceDatabase', 'sourceHost', 'appVersion'] as const) {
      const line = originLine('x.aisle-results', { ...origin, [field]: text });
      safe(line);
      expect(line).toContain(shown);
    }
  });

  it('says a time past the dates JavaScript writes as a number, where it threw RangeError after the import', () => {
    const line = originLine('x.aisle-results', { ...origin, exportedAt: 9_000_000_000_000_000 });
    expect(line).toBe('x.aisle-results: exported at 9,000,000,000,000,000 (not a time) from home.db on lab by Aisle 1.0.0');
  });
});

describe("aisle eval and aisle policies show: a policy file's provenance and labels", () => {
  const provenance = { runId: 1, experimentName: 'cliff', agent: 'q-learning', seed: 0, episodes: 10, configHash: 'x', appVersion: '0.1.0', createdAt: '2026-11-28T00:00:00Z' };

  it('read as before for ordinary texts', () => {
    expect(provenanceTexts(provenance)).toEqual({ experiment: ' of "cliff"', agent: 'q-learning', exported: '2026-11-28T00:00:00Z by Aisle 0.1.0' });
  });

  it.each([
    ['an ESC sequence', ESC],
    ['U+202E', RLO],
    ['a line break', NEWLINE],
    ['5,000 characters', LONG],
  ])('quote the export time and Aisle version holding %s (the format refuses no control character in them), escaped and cut', (_what, text) => {
    const { exported } = provenanceTexts({ ...provenance, createdAt: text, appVersion: text });
    safe(exported);
  });

  it('cut an experiment name, an agent and the served action of 5,000 characters (the format refuses their control characters, not their length)', () => {
    const texts = provenanceTexts({ ...provenance, experimentName: LONG, agent: LONG });
    safe(texts.experiment + texts.agent);
    const { states: _states, q: _q, ...rest } = tabularPolicy();
    const policy = parsePolicy({ ...rest, kind: 'context-free', greedy: 0, actions: [LONG, 'b'], values: [1, 0], provenance });
    if (policy.kind !== 'context-free') throw new Error('not context-free');
    safe(servesText(policy));
    safe(kindText(policy));
    safe(rankingText(policy));
  });
});

describe('aisle show <run>: an imported run\'s texts (the import checks none of its error, app_version and config_hash, nor its config past env and agent ids)', () => {
  const run: RunRow = {
    id: 3, experimentId: 2, seed: 1, status: 'failed', config: {}, configHash: 'ab'.repeat(32), appVersion: '1.0.0', episodesTotal: 10, episodesDone: 4,
    createdAt: 0, startedAt: 0, finishedAt: 1, activeMs: 1500, activeAt: null, summary: null, greedy: null, error: 'failed: the agent diverged',
  };

  it('reads as before for ordinary texts', () => {
    expect(runHeadLines(run)).toEqual(['run 3 (experiment 2), seed 1: failed — the agent diverged', `episodes 4/10, training 1.5s, app 1.0.0, config ${'ab'.repeat(6)}`]);
    expect(describeComponent({ id: 'q-learning', alpha: 0.1, schedule: [1, 0.05, 500], mdp: 'cliff.mdp.json' })).toEqual(['q-learning', 'alpha=0.1', 'schedule=[1,0.05,500]', 'mdp=cliff.mdp.json']);
  });

  it.each([
    ['an ESC sequence', ESC],
    ['U+202E', RLO],
    ['a line break', NEWLINE],
  ])('escapes %s in the reason, version, hash, config id, key and value', (_what, text) => {
    for (const line of runHeadLines({ ...run, error: text, appVersion: text, configHash: text })) safe(line);
    for (const part of describeComponent({ id: text, [text]: text, path: `/data/${text}` })) safe(part);
  });

  it('cuts a version, a hash, an id and a key of 5,000 characters (a reason and a value keep their length, escaped: a path is long)', () => {
    const [, second] = runHeadLines({ ...run, appVersion: LONG });
    safe(second!);
    const [id, param] = describeComponent({ id: LONG, [LONG]: 1 });
    safe(id! + param!);
  });
});
