// The charts' band fill: an opacity per palette colour that lifts every band off the white panel
// by about the same contrast (one opacity for all left the pale colours' bands invisible), capped
// so a band stays clearly lighter than its own line. And the charts' colours in both schemes, as
// styles.css writes them: text that reads, series and bands that stand out on the dark panel.
import { readFileSync } from 'node:fs';
import { Chart } from 'chart.js';
import { describe, expect, it } from 'vitest';
import {
  FAINT_ALPHA,
  FAINT_SPARSE,
  faintAlpha,
  BAND_ALPHA,
  BAND_CONTRAST,
  bandAlpha,
  bandFill,
  blend,
  CHART_FONT_FAMILY,
  CHART_ROLES,
  contrastRatio,
  rgbOf,
  withAlpha,
  type ChartTheme,
  type ColorScheme,
} from '../../src/renderer/src/components/chart-colors';
import { PALETTE } from '../../src/renderer/src/components/line-chart';

const STYLES = readFileSync(new URL('../../src/renderer/src/styles.css', import.meta.url), 'utf8');

/** `light, dark` split at its comma, not at one inside rgba(…). */
function lightAndDark(text: string): [string, string] {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) return [text.slice(0, i).trim(), text.slice(i + 1).trim()];
  }
  throw new Error(`not two colours: ${text}`);
}

/** The chart colours of one scheme as styles.css declares them: each role's `--name: light-dark(light, dark);`. */
function chartTheme(scheme: ColorScheme): ChartTheme {
  const colors = Object.entries(CHART_ROLES).map(([role, variable]) => {
    const declared = new RegExp(`(?<![\\w-])${variable}: light-dark\\((.*)\\);$`, 'm').exec(STYLES);
    if (!declared) throw new Error(`styles.css declares no ${variable} as light-dark(…)`);
    const [lightColor, darkColor] = lightAndDark(declared[1]!);
    return [role, scheme === 'light' ? lightColor : darkColor];
  });
  return Object.fromEntries(colors) as ChartTheme;
}

const light = chartTheme('light');
const white = rgbOf(light.background);

describe('contrastRatio', () => {
  it('is WCAG’s: 21 for black on white, 1 for a colour on itself, symmetric', () => {
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 9);
    expect(contrastRatio([78, 121, 167], [78, 121, 167])).toBe(1);
    expect(contrastRatio([78, 121, 167], [255, 255, 255])).toBe(contrastRatio([255, 255, 255], [78, 121, 167]));
    expect(contrastRatio(rgbOf('#767676'), white)).toBeCloseTo(4.54, 2); // the classic 4.5:1 grey
  });
  it('blends as the canvas composites', () => {
    expect(blend([0, 0, 0], 0.5, [255, 255, 255])).toEqual([128, 128, 128]);
    expect(blend([10, 20, 30], 1, [255, 255, 255])).toEqual([10, 20, 30]);
    expect(withAlpha('#4e79a7', 0.3)).toBe('rgba(78, 121, 167, 0.3)');
  });
});

describe('band fills', () => {
  it('stand out from the background in every palette colour, each lighter than its line', () => {
    for (const color of PALETTE) {
      const alpha = bandAlpha(color, light.background);
      expect(alpha).toBeGreaterThanOrEqual(BAND_ALPHA.min);
      expect(alpha).toBeLessThanOrEqual(BAND_ALPHA.max);
      const fill = blend(rgbOf(color), alpha, white);
      // Only a colour too pale to get there under the cap falls short, and then it is at the cap.
      if (alpha < BAND_ALPHA.max) expect(contrastRatio(fill, white)).toBeGreaterThanOrEqual(BAND_CONTRAST);
      expect(contrastRatio(fill, white)).toBeGreaterThan(1.28);
      // The line (opaque) against the band still stands out: the band never looks like a thick line.
      expect(contrastRatio(rgbOf(color), fill)).toBeGreaterThan(1.2);
      expect(bandFill(color, light.background)).toBe(withAlpha(color, alpha));
    }
  });
  it('are the least opacity that reaches the contrast: no more than a strong colour needs', () => {
    const blue = PALETTE[0]!;
    expect(bandAlpha(blue, light.background)).toBe(BAND_ALPHA.min);
    const yellow = '#edc948';
    expect(bandAlpha(yellow, light.background)).toBe(BAND_ALPHA.max);
    const orange = '#f28e2b';
    const a = bandAlpha(orange, light.background);
    expect(contrastRatio(blend(rgbOf(orange), a, white), white)).toBeGreaterThanOrEqual(BAND_CONTRAST);
    expect(contrastRatio(blend(rgbOf(orange), a - 0.01, white), white)).toBeLessThan(BAND_CONTRAST);
  });
  it('were too faint at the old single opacity (0.18): every palette colour fell short', () => {
    for (const color of PALETTE) expect(contrastRatio(blend(rgbOf(color), 0.18, white), white)).toBeLessThan(BAND_CONTRAST);
  });
});

describe('the dark scheme', () => {
  const dark = chartTheme('dark');
  const panel = rgbOf(dark.background);

  it('draws on a dark panel, and its bands stand out from it as the light ones do from white', () => {
    expect(contrastRatio(panel, [0, 0, 0])).toBeLessThan(2);
    for (const color of PALETTE) {
      const alpha = bandAlpha(color, dark.background);
      const fill = blend(rgbOf(color), alpha, panel);
      if (alpha < BAND_ALPHA.max) expect(contrastRatio(fill, panel)).toBeGreaterThanOrEqual(BAND_CONTRAST);
      expect(contrastRatio(fill, panel)).toBeGreaterThan(1.28);
      expect(contrastRatio(rgbOf(color), fill)).toBeGreaterThan(1.2);
    }
    // Computed against white, the blue's band would be at the floor's opacity and faint on the dark panel.
    const blue = PALETTE[0]!;
    expect(contrastRatio(blend(rgbOf(blue), bandAlpha(blue, light.background), panel), panel)).toBeLessThan(BAND_CONTRAST);
  });

  it('keeps every series colour at 3:1 against the panel (WCAG’s bar for graphics), so lines and clip marks show', () => {
    for (const color of PALETTE) expect(contrastRatio(rgbOf(color), panel), color).toBeGreaterThanOrEqual(3);
  });

  it('draws text at 4.5:1 in both schemes: ticks and legend on the panel, heatmap labels and header, tooltip', () => {
    for (const theme of [light, dark]) {
      const bg = rgbOf(theme.background);
      expect(contrastRatio(rgbOf(theme.text), bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(rgbOf(theme.label), bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(rgbOf(theme.flagged), bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(rgbOf(theme.headerText), rgbOf(theme.header))).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(rgbOf(theme.label), rgbOf(theme.missing))).toBeGreaterThanOrEqual(4.5);
    }
    const [r, g, b, a] = dark.tooltipBackground.match(/[\d.]+/g)!.map(Number) as [number, number, number, number];
    expect(contrastRatio(rgbOf(dark.tooltipText), blend([r, g, b], a, panel))).toBeGreaterThanOrEqual(4.5);
  });
});

describe('a raw curve behind its smoothed line', () => {
  it('keeps its opacity while sparse, fades as it gets denser, and never below its floor', () => {
    expect(faintAlpha(10)).toBe(FAINT_ALPHA.max);
    expect(faintAlpha(FAINT_SPARSE)).toBe(FAINT_ALPHA.max);
    // The run-detail chart of 5,000 episodes in 1,667 buckets: about half the opacity.
    expect(faintAlpha(1667)).toBeCloseTo(0.19, 2);
    const denser = [600, 1000, 2000, 4000].map(faintAlpha);
    for (let i = 1; i < denser.length; i++) expect(denser[i]!).toBeLessThan(denser[i - 1]!);
    expect(faintAlpha(100_000)).toBe(FAINT_ALPHA.min);
    expect(faintAlpha(0)).toBe(FAINT_ALPHA.max);
  });
});

describe('the charts’ text', () => {
  it('is in the page’s font, not Chart.js’s Helvetica: ticks, axis titles and legends beside the labels and tables around them', () => {
    // Found in a visual review: the legends and ticks were Liberation Sans among DejaVu Sans text.
    const page = /^:root \{[^}]*?^\s*font-family: ([^;\n]+);$/ms.exec(STYLES);
    expect(page, 'styles.css gives :root a font-family').not.toBeNull();
    expect(CHART_FONT_FAMILY).toBe(page![1]);
    expect(Chart.defaults.font.family).toBe(CHART_FONT_FAMILY);
  });
});
