// The charts' band fill: an opacity per palette colour that lifts every band off the white panel
// by about the same contrast (one opacity for all left the pale colours' bands invisible), capped
// so a band stays clearly lighter than its own line.
import { describe, expect, it } from 'vitest';
import { BAND_ALPHA, BAND_CONTRAST, bandAlpha, bandFill, blend, CHART_BACKGROUND, contrastRatio, rgbOf, withAlpha } from '../../src/renderer/src/components/chart-colors';
import { PALETTE } from '../../src/renderer/src/components/line-chart';

const white = rgbOf(CHART_BACKGROUND);

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
      const alpha = bandAlpha(color);
      expect(alpha).toBeGreaterThanOrEqual(BAND_ALPHA.min);
      expect(alpha).toBeLessThanOrEqual(BAND_ALPHA.max);
      const fill = blend(rgbOf(color), alpha, white);
      // Only a colour too pale to get there under the cap falls short, and then it is at the cap.
      if (alpha < BAND_ALPHA.max) expect(contrastRatio(fill, white)).toBeGreaterThanOrEqual(BAND_CONTRAST);
      expect(contrastRatio(fill, white)).toBeGreaterThan(1.28);
      // The line (opaque) against the band still stands out: the band never looks like a thick line.
      expect(contrastRatio(rgbOf(color), fill)).toBeGreaterThan(1.2);
      expect(bandFill(color)).toBe(withAlpha(color, alpha));
    }
  });
  it('are the least opacity that reaches the contrast: no more than a strong colour needs', () => {
    const blue = PALETTE[0]!;
    expect(bandAlpha(blue)).toBe(BAND_ALPHA.min);
    const yellow = '#edc948';
    expect(bandAlpha(yellow)).toBe(BAND_ALPHA.max);
    const orange = '#f28e2b';
    const a = bandAlpha(orange);
    expect(contrastRatio(blend(rgbOf(orange), a, white), white)).toBeGreaterThanOrEqual(BAND_CONTRAST);
    expect(contrastRatio(blend(rgbOf(orange), a - 0.01, white), white)).toBeLessThan(BAND_CONTRAST);
  });
  it('were too faint at the old single opacity (0.18): every palette colour fell short', () => {
    for (const color of PALETTE) expect(contrastRatio(blend(rgbOf(color), 0.18, white), white)).toBeLessThan(BAND_CONTRAST);
  });
});
