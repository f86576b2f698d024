// The diverging scale (Q-tables' difference B − A) in each scheme: its 0 is the neutral closest to
// the panel it is drawn on, and its colours stand out from that panel more the further they lie
// from 0, on both sides. In the dark scheme the light scheme's stops drew 0 near white (#f7f7f7, a
// contrast of 16:1 with the dark panel), so the cells of two near-equal tables glared the most
// (found in a visual review of Q-tables in the dark scheme).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contrastRatio, rgbOf, type ColorScheme } from '../../src/renderer/src/components/chart-colors';
import { scaleStops } from '../../src/renderer/src/components/heatmap';

/** The panel's colour in each scheme, as styles.css gives it (`--panel: light-dark(light, dark)`). */
function panel(scheme: ColorScheme): string {
  const css = readFileSync(join(__dirname, '../../src/renderer/src/styles.css'), 'utf8');
  const m = /--panel:\s*light-dark\((#[0-9a-f]{6}),\s*(#[0-9a-f]{6})\)/i.exec(css);
  if (!m) throw new Error('styles.css declares no --panel: light-dark(…, …)');
  return scheme === 'light' ? m[1]! : m[2]!;
}

describe('the diverging scale in each scheme', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme}: 0 lies quiet on the panel, and the colours stand out more the further from 0`, () => {
      const stops = scaleStops('diverging', scheme);
      const bg = rgbOf(panel(scheme));
      const against = stops.map((s) => contrastRatio(rgbOf(s), bg));
      const mid = (stops.length - 1) / 2;
      expect(Number.isInteger(mid), 'a middle stop for 0').toBe(true);
      expect(against[mid], `0's colour ${stops[mid]} against the ${scheme} panel`).toBeLessThan(1.5);
      for (let i = mid + 1; i < stops.length; i++) expect(against[i], `stop ${i} stands out more than stop ${i - 1}`).toBeGreaterThan(against[i - 1]!);
      for (let i = mid - 1; i >= 0; i--) expect(against[i], `stop ${i} stands out more than stop ${i + 1}`).toBeGreaterThan(against[i + 1]!);
      // Both ends about as far from the panel: neither sign of B − A looks the larger for its colour.
      expect(Math.max(against[0]!, against.at(-1)!) / Math.min(against[0]!, against.at(-1)!)).toBeLessThan(1.35);
    });
  }

  it('keeps viridis in both schemes', () => {
    expect(scaleStops('sequential', 'dark')).toEqual(scaleStops('sequential', 'light'));
  });
});
