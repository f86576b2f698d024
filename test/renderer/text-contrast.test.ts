// Text colours against what they sit on, in both schemes, as styles.css declares them: WCAG AA's
// 4.5:1 for body text. axe-core checks what a screen shows in the accessibility spec; this holds the
// pairs no seeded screen there shows, a paused run's status pill among them (accent on neutral read
// 3.3:1 in the dark scheme), and the placeholders, in the browser's grey; and the fields' edges at
// WCAG 1.4.11's 3:1.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrastRatio, rgbOf } from '../../src/renderer/src/components/chart-colors';

const STYLES = readFileSync(new URL('../../src/renderer/src/styles.css', import.meta.url), 'utf8');
type Scheme = 'light' | 'dark';

/** `--name`'s colour in one scheme, from its `--name: light-dark(light, dark);` (plain hex colours only). */
function colour(variable: string, scheme: Scheme): string {
  const declared = new RegExp(`(?<![\\w-])${variable}: light-dark\\((#[0-9a-f]{6}), (#[0-9a-f]{6})\\);`, 'i').exec(STYLES);
  if (!declared) throw new Error(`styles.css declares no ${variable} as light-dark(#hex, #hex)`);
  return scheme === 'light' ? declared[1]! : declared[2]!;
}

const ratio = (text: string, background: string, scheme: Scheme) => contrastRatio(rgbOf(colour(text, scheme)), rgbOf(colour(background, scheme)));

/** The declarations of the top-level rules one of whose selectors is exactly `selector`, merged in order. */
function declarations(selector: string): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [, selectors, body] of STYLES.matchAll(/^([^{}\n]+) \{([^}]*)\}/gm)) {
    if (!selectors!.split(',').some((s) => s.trim() === selector)) continue;
    for (const d of body!.split(';')) {
      const at = d.indexOf(':');
      if (at > 0) merged[d.slice(0, at).trim()] = d.slice(at + 1).trim();
    }
  }
  return merged;
}

const varName = (value: string | undefined): string => /^var\((--[\w-]+)\)$/.exec(value ?? '')?.[1] ?? '';

describe('text contrast in both schemes (styles.css)', () => {
  const schemes: Scheme[] = ['light', 'dark'];

  it('main and muted text, links and the status colours reach 4.5:1 on the backgrounds they sit on', () => {
    const pairs: [string, string][] = [
      ...['--bg', '--panel', '--header', '--control', '--hover', '--accent-soft', '--neutral'].flatMap((bg): [string, string][] => [['--ink', bg], ['--muted', bg]]),
      ['--accent', '--bg'], ['--accent', '--panel'], ['--accent', '--header'], ['--accent', '--accent-soft'],
      ['--on-accent', '--accent'],
      ['--ok', '--panel'], ['--ok', '--bg'], ['--ok', '--ok-soft'],
      ['--warn', '--panel'], ['--warn', '--bg'], ['--warn', '--warn-soft'], ['--warn-ink', '--warn-soft'],
      ['--bad', '--panel'], ['--bad', '--bg'], ['--bad', '--bad-soft'], ['--bad', '--bad-field'], ['--bad', '--control'], ['--bad-ink', '--bad-soft'],
    ];
    const low = schemes.flatMap((s) => pairs.filter(([t, b]) => ratio(t, b, s) < 4.5).map(([t, b]) => `${s}: ${t} on ${b} ${ratio(t, b, s).toFixed(2)}`));
    expect(low).toEqual([]);
  });

  it("a field's placeholder (its default, \"default 500\") reaches 4.5:1 on the control: the browser's own grey read 3.5:1 on the dark one", () => {
    const placeholder = declarations('input::placeholder');
    expect(placeholder, 'styles.css colours input::placeholder').toHaveProperty('color');
    expect(declarations('textarea::placeholder').color).toBe(placeholder.color);
    const text = varName(placeholder.color);
    for (const s of schemes) expect(ratio(text, '--control', s), `${s}: ${text} on --control`).toBeGreaterThanOrEqual(4.5);
  });

  it("a text field's and a select's edge reaches 3:1 against the panel, the page, the table header and its own fill (non-text contrast)", () => {
    const field = declarations('input');
    expect(field.border, 'input, select, textarea { border: … }').toMatch(/^1px solid var\(--[\w-]+\)$/);
    const edge = varName(field.border!.replace(/^1px solid /, ''));
    const low = schemes.flatMap((s) => ['--panel', '--bg', '--header', '--control'].filter((bg) => ratio(edge, bg, s) < 3).map((bg) => `${s}: ${edge} on ${bg} ${ratio(edge, bg, s).toFixed(2)}`));
    expect(low).toEqual([]);
  });

  it("every run status's pill reaches 4.5:1, its text on its own background", () => {
    const statuses = ['queued', 'running', 'paused', 'completed', 'cancelled', 'failed', 'interrupted'];
    const low: string[] = [];
    for (const status of statuses) {
      // A status with no rule of its own (queued) is the neutral pill in the page's ink.
      const pill = { ...declarations('.status'), ...declarations(`.status.${status}`) };
      const text = varName(pill.color) || '--ink';
      const background = varName(pill.background);
      expect(background, `${status}'s background`).not.toBe('');
      for (const s of schemes) if (ratio(text, background, s) < 4.5) low.push(`${s}: ${status} (${text} on ${background}) ${ratio(text, background, s).toFixed(2)}`);
    }
    expect(low).toEqual([]);
  });
});
