// The Policies screen's ranking of a context-free policy writes each action's value as `aisle
// policies show` and `aisle export` write it (src/cli/policy.ts rankingText): it wrote them at 3
// digits alone, shop-large's Thompson ranking reading i229 0.541, i906 0.52 beside the CLI's
// i229 (0.5409), i906 (0.5201).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { rankingText } from '../../src/cli/policy';
import { RankingList } from '../../src/renderer/src/components/policy-ranking';
import type { ContextFreePolicyFile } from '../../src/engine/policy/format';

/** The ranking's items as "label value", in order. */
function items(html: string): string[] {
  return [...html.matchAll(/<li[^>]*>(.*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim());
}

describe('RankingList', () => {
  it("writes the values with aisle policies show's figures", () => {
    const policy: Pick<ContextFreePolicyFile, 'actions' | 'values' | 'greedy'> = {
      actions: ['i62', 'i229', 'i819', 'i906', 'i401'],
      values: [0.465812, 0.5408721, 0.529134, 0.520057, 0.4944444],
      greedy: 1,
    };
    const shown = items(renderToStaticMarkup(createElement(RankingList, { policy })));
    expect(shown).toEqual(['i229 0.5409', 'i819 0.5291', 'i906 0.5201', 'i401 0.4944', 'i62 0.4658']);
    // The CLI's "i229 (0.5409), i819 (0.5291), i906 (0.5201), …": the same figures.
    const cli = [...rankingText(policy as ContextFreePolicyFile).matchAll(/(\S+) \(([^)]+)\)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(cli.length).toBe(3);
    expect(shown.slice(0, 3)).toEqual(cli);
  });
});
