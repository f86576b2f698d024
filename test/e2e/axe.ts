/**
 * axe-core's WCAG 2.1 A and AA rules run on a page as it stands: the accessibility spec runs it on
 * every screen, and specs of a panel that needs data to show (Compare's parameter study) on theirs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import type { AxeResults, RunOptions } from 'axe-core';

// The spec runs as ESM (package.json "type": "module"): require.resolve comes from createRequire.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface Finding {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  readonly nodes: readonly string[];
}

/**
 * Runs axe on the page as it stands, or on the part of it `within` selects (a CSS selector). Its
 * source goes in through page.evaluate: the page's Content-Security-Policy (script-src 'self')
 * refuses an injected <script> tag, and the protocol's evaluation is not a page script.
 */
export async function audit(page: Page, within?: string): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async ({ tags, within }) => {
    const axe = (window as unknown as { axe: { run(context: Document | string, options: RunOptions): Promise<AxeResults> } }).axe;
    const result = await axe.run(within ?? document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ').trim()})` : ''}`),
    }));
  }, { tags: WCAG_21_AA, within });
}
