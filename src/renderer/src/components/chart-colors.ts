/**
 * Colour arithmetic for the charts: a palette colour at some opacity, and the fill of a shaded band,
 * whose opacity is chosen per colour so that every band stands out from the chart's background by
 * about the same contrast. One opacity for all (0.18) left a blue band faint and a yellow or grey
 * one all but gone on white; the cap keeps every band well lighter than its own line. And the colours
 * a canvas cannot take from the stylesheet, for the light and the dark scheme (styles.css's roles).
 */

export type ColorScheme = 'light' | 'dark';

/** What a chart draws besides its series, in one scheme. */
export interface ChartTheme {
  /** `.panel`'s background, which the charts are drawn on. */
  readonly background: string;
  /** Tick labels, axis titles and the legend. */
  readonly text: string;
  readonly grid: string;
  readonly tooltip: { readonly background: string; readonly text: string; readonly border: string };
  /** The heatmap's row labels, a flagged row's label and bar, its header strip and header text, and an empty cell. */
  readonly label: string;
  readonly flagged: string;
  readonly header: string;
  readonly headerText: string;
  readonly missing: string;
}

export const CHART_THEMES: Record<ColorScheme, ChartTheme> = {
  // Chart.js's own defaults on white (#666 text, 10 % black lines), which the light charts always had.
  light: {
    background: '#ffffff',
    text: '#666666',
    grid: 'rgba(0, 0, 0, 0.1)',
    tooltip: { background: 'rgba(0, 0, 0, 0.8)', text: '#ffffff', border: 'rgba(0, 0, 0, 0)' },
    label: '#1d2125',
    flagged: '#c62828',
    header: '#fafaf8',
    headerText: '#6b7280',
    missing: '#d0d0d0',
  },
  // A light tooltip would glare; a dark one on the dark panel needs its edge.
  dark: {
    background: '#181b1f',
    text: '#a3acb8',
    grid: 'rgba(255, 255, 255, 0.12)',
    tooltip: { background: 'rgba(36, 41, 47, 0.95)', text: '#eef0f3', border: '#4a515a' },
    label: '#eef0f3',
    flagged: '#f07167',
    header: '#1d2126',
    headerText: '#a3acb8',
    missing: '#4a515a',
  },
};

/** What the charts are drawn on in the light scheme (see CHART_THEMES). */
export const CHART_BACKGROUND = CHART_THEMES.light.background;
/** The contrast a band's fill aims for against the background (WCAG's ratio; 1 is invisible). */
export const BAND_CONTRAST = 1.4;
/** A band's opacity stays in this range: visible at its floor, distinct from the opaque line at its cap. */
export const BAND_ALPHA = { min: 0.28, max: 0.55 } as const;

export type Rgb = readonly [number, number, number];

export function rgbOf(hex: string): Rgb {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
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
export function bandAlpha(hex: string, background: string = CHART_BACKGROUND): number {
  const color = rgbOf(hex);
  const bg = rgbOf(background);
  for (let k = Math.round(BAND_ALPHA.min * 100); k < Math.round(BAND_ALPHA.max * 100); k++) {
    if (contrastRatio(blend(color, k / 100, bg), bg) >= BAND_CONTRAST) return k / 100;
  }
  return BAND_ALPHA.max;
}

/** A band's fill in its line's colour: see bandAlpha. */
export function bandFill(hex: string, background: string = CHART_BACKGROUND): string {
  return withAlpha(hex, bandAlpha(hex, background));
}
