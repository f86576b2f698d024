/**
 * Colour arithmetic for the charts: a palette colour at some opacity, and the fill of a shaded band,
 * whose opacity is chosen per colour so that every band stands out from the chart's background by
 * about the same contrast. One opacity for all (0.18) left a blue band faint and a yellow or grey
 * one all but gone on white; the cap keeps every band well lighter than its own line. And which of
 * styles.css's colours a chart draws with, since a canvas cannot take CSS variables.
 */

export type ColorScheme = 'light' | 'dark';

/**
 * The page's font stack, as styles.css's :root writes it, for the charts' ticks, axis titles and
 * legends: a canvas does not inherit the page's font, and Chart.js's own default (Helvetica Neue,
 * Helvetica, Arial) drew them in another face than the labels and tables around them (Liberation
 * Sans beside DejaVu Sans on Linux, Helvetica beside San Francisco on macOS).
 */
export const CHART_FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/**
 * What a chart draws besides its series, and the styles.css variable each takes its colour from
 * (color-scheme.ts reads them for the scheme in effect): the palette lives in the stylesheet only.
 */
export const CHART_ROLES = {
  /** `.panel`'s background, which the charts are drawn on. */
  background: '--panel',
  /** Tick labels, axis titles and the legend. */
  text: '--muted',
  grid: '--chart-grid',
  tooltipBackground: '--chart-tooltip',
  tooltipText: '--chart-tooltip-text',
  tooltipBorder: '--chart-tooltip-edge',
  /** The heatmap's row labels, a flagged row's label and bar, its header strip and header text, and an empty cell. */
  label: '--ink',
  flagged: '--bad',
  header: '--header',
  headerText: '--muted',
  missing: '--control-line',
} as const;

/** The chart colours of one scheme, as CSS colours (#rrggbb, rgb() or rgba()). */
export type ChartTheme = { readonly [role in keyof typeof CHART_ROLES]: string };

/** The contrast a band's fill aims for against the background (WCAG's ratio; 1 is invisible). */
export const BAND_CONTRAST = 1.4;
/** A band's opacity stays in this range: visible at its floor, distinct from the opaque line at its cap. */
export const BAND_ALPHA = { min: 0.28, max: 0.55 } as const;

export type Rgb = readonly [number, number, number];

/** The red, green and blue of #rrggbb, or of rgb() and rgba() (as getComputedStyle writes colours). */
export function rgbOf(color: string): Rgb {
  if (color.startsWith('#')) {
    const n = parseInt(color.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const parts = color.match(/[\d.]+/g);
  if (!parts || parts.length < 3) throw new Error(`not a colour: ${color}`);
  return [Number(parts[0]), Number(parts[1]), Number(parts[2])];
}

export function withAlpha(hex: string, alpha: number): string {
  const [r, g, b] = rgbOf(hex);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** `color` at `alpha` painted over `background`, as the canvas composites it. */
export function blend(color: Rgb, alpha: number, background: Rgb): Rgb {
  return [0, 1, 2].map((i) => Math.round(color[i]! * alpha + background[i]! * (1 - alpha))) as unknown as Rgb;
}

/** WCAG 2's relative luminance of an sRGB colour. */
function luminance(c: Rgb): number {
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2's contrast ratio of two colours, from 1 (the same) to 21 (black on white). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The least opacity (in hundredths, within BAND_ALPHA) at which `hex` over `background` reaches
 * BAND_CONTRAST; a pale colour that cannot reach it within the cap gets the cap.
 */
export function bandAlpha(hex: string, background: string): number {
  const color = rgbOf(hex);
  const bg = rgbOf(background);
  for (let k = Math.round(BAND_ALPHA.min * 100); k < Math.round(BAND_ALPHA.max * 100); k++) {
    if (contrastRatio(blend(color, k / 100, bg), bg) >= BAND_CONTRAST) return k / 100;
  }
  return BAND_ALPHA.max;
}

/** A band's fill in its line's colour: see bandAlpha. */
export function bandFill(hex: string, background: string): string {
  return withAlpha(hex, bandAlpha(hex, background));
}

/** A raw curve drawn pale behind its smoothed line: its opacity at up to FAINT_SPARSE points, and its floor. */
export const FAINT_ALPHA = { max: 0.35, min: 0.14 } as const;
/** About the plot width of a chart in a two-column grid, in CSS pixels: up to this many points a raw curve stays a line. */
export const FAINT_SPARSE = 500;

/**
 * The opacity of a raw curve of `points` points behind its smoothed line. Past about a point per
 * pixel a noisy raw curve's segments overlap into a solid curtain (and, cut off by an axis fitted to
 * the smoothed line, run from edge to edge), which at one opacity for all hid the line it is there
 * to put in context. So it fades as it gets denser, with the square root of the points per pixel
 * (the overlaps' coverage grows about so), down to a floor where it still shows the spread.
 */
export function faintAlpha(points: number): number {
  if (!(points > FAINT_SPARSE)) return FAINT_ALPHA.max;
  return Math.max(FAINT_ALPHA.min, Math.round(FAINT_ALPHA.max * Math.sqrt(FAINT_SPARSE / points) * 100) / 100);
}
