// The Q-tables screen and the export's notice count a run's states training never updated alike:
// the screen counted the cliff's terminal goal with the others ("22 with every action at one
// value") where the export set it aside ("21 of 47 states … (1 terminal state aside)"), and one
// table read as two. Both now count with tableNeverUpdated/neverUpdated and say it in
// neverUpdatedText's words, which say how the terminal state is treated.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neverUpdatedNote, neverUpdatedText, type TabularPolicyFile } from '../../src/engine/policy/format';
import type { QTable } from '../../src/shared/dto';
import { compareTables, tableNeverUpdated, type Comparison } from '../../src/renderer/src/components/qtable-compare';
import { TableCaption, untouchedText } from '../../src/renderer/src/screens/qtables';
import { cliff, openService, type TestService } from '../helpers/service';

const CLIFF_GOAL = 47; // cliff.mdp.json's one terminal state

/** The text of the element with this data-testid in rendered markup, tags dropped, entities read. */
function textOf(html: string, testId: string): string | undefined {
  const match = new RegExp(`data-testid="${testId}"[^>]*>(.*?)</span>`).exec(html);
  return match?.[1]!.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
}

/** A side's caption as the screen renders it. */
function caption(table: QTable, side: 'A' | 'B' = 'A'): string | undefined {
  const html = renderToStaticMarkup(createElement(TableCaption, { side, table }));
  return textOf(html, `qt-untouched-${side.toLowerCase()}`);
}

function table(q: number[][], extra: Partial<QTable> = {}): QTable {
  return { runId: 1, checkpointId: 10, episode: 99, states: q.map((_, s) => `s${s}`), actions: q[0]!.map((_, a) => `a${a}`), q, checkpoints: [], ...extra };
}

describe('the Q-tables caption of states never updated', () => {
  it('leaves a terminal state out of both numbers, and says so', () => {
    // s1 never updated, s3 terminal (never updated either): 1 of 3, not 2 of 4.
    const t = table([[1, 0], [0, 0], [2, 3], [0, 0]], { terminal: [3] });
    expect(tableNeverUpdated(t)).toEqual({ states: 1, of: 3, terminal: 1 });
    expect(caption(t)).toBe('1 of 3 states has every action at one value (never reached in training, or no action came out ahead), not counting the terminal state, which training never updates: no greedy action marked');
    // No terminal state known (a shop's sessions end without one): every state counts.
    expect(caption(table([[1, 0], [0, 0], [2, 3], [0, 0]]))).toBe('2 of 4 states have every action at one value (never reached in training, or no action came out ahead): no greedy action marked');
    // Every state that counts was updated: nothing said, though the terminal state's actions hold one value.
    expect(caption(table([[1, 0], [0, 2], [0, 0]], { terminal: [2] }))).toBeUndefined();
  });

  it("the comparison's line counts each table alike", () => {
    const a = table([[1, 0], [0, 0], [0, 0], [0, 0], [0, 0]], { terminal: [3, 4] });
    const b = table([[1, 0], [0, 1], [0, 0], [0, 0], [0, 0]], { terminal: [3, 4] });
    const cmp = compareTables(a, b) as Comparison;
    expect(untouchedText(cmp)).toBe('2 of 3 states with every action at one value in A, 1 in B, not counting the 2 terminal states, which training never updates');
    expect(untouchedText(compareTables(b, b) as Comparison)).toBe('1 of 3 states with every action at one value in A, 1 in B, not counting the 2 terminal states, which training never updates');
    expect(untouchedText({ untouchedA: { states: 0, of: 4, terminal: 0 }, untouchedB: { states: 3, of: 4, terminal: 0 } })).toBe('3 of 4 states with every action at one value in B');
  });
});

describe("one run's table: the Q-tables screen and the export's notice agree", () => {
  let t: TestService;
  let runId: number;

  beforeAll(async () => {
    t = openService({ workers: 1 });
    const launched = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 300 }) });
    runId = launched.runIds[0]!;
    await t.until([runId]);
  });

  afterAll(async () => {
    await t.close();
  });

  it('gives the cliff the same count, its goal set aside, in the same words', async () => {
    const shown = await t.call('qtables.get', { runId });
    const exported = await t.call('policies.export', { runId });
    const { q } = exported.policy as TabularPolicyFile;
    const flat = (row: readonly number[]) => row.every((v) => v === row[0]);
    const others = q.filter((row, s) => s !== CLIFF_GOAL && flat(row)).length;
    // The goal is one of the rows of one value, counted by neither: the screen counted it.
    expect(flat(q[CLIFF_GOAL]!)).toBe(true);
    expect(others).toBeGreaterThan(0);
    expect(shown.terminal).toEqual([CLIFF_GOAL]);
    expect(exported.neverUpdated).toEqual({ states: others, of: 47, terminal: 1 });
    expect(tableNeverUpdated(shown)).toEqual(exported.neverUpdated);

    const count = `${others} of 47 states have every action at one value (never reached in training, or no action came out ahead), not counting the terminal state, which training never updates`;
    expect(neverUpdatedText(exported.neverUpdated!)).toBe(count);
    expect(caption(shown)).toBe(`${count}: no greedy action marked`);
    // The export's notice (the Policies screen and `aisle export` both print neverUpdatedNote).
    expect(neverUpdatedNote(exported.neverUpdated!)).toBe(`${count}: the policy serves their first action there, a tie-break`);
    expect(untouchedText(compareTables(shown, shown) as Comparison)).toBe(`${others} of 47 states with every action at one value in A, ${others} in B, not counting the terminal state, which training never updates`);
  });
});
