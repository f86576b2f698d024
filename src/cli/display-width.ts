/**
 * Text padded or cut to a number of terminal columns, measured as shared/display-width.ts measures
 * them: `string.length` (UTF-16 code units) over- or under-counts a name in Chinese or with an emoji,
 * and tables misalign.
 */
import { middleCut } from '../shared/text';
import { clusterWidth, displayWidth, graphemes } from '../shared/display-width';

export { displayWidth };

/** `text` padded with spaces to `width` columns, at its end or (`right`) its start. */
export function padded(text: string, width: number, right = false): string {
  const pad = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? pad + text : text + pad;
}

/**
 * `text` whole when it fits `width` columns; else its start, ending in "…", in `width` columns at
 * most. It is cut between user-perceived characters (grapheme clusters), so never inside a
 * surrogate pair, nor between a letter and its combining accent, nor inside an emoji sequence.
 * engine/experiment-text.ts's cutToLength cuts the same way but counts code points, as a name's
 * limit does, and adds no "…": "推荐实验" is 8 columns and 4 code points, "👩‍💻" 2 and 3, so
 * neither serves the other.
 */
export function truncated(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = clusterWidth(segment);
    if (used + w > width - 1) break;
    kept += segment;
    used += w;
  }
  return `${kept.trimEnd()}…`;
}

/**
 * A name cut to `width` columns as shared/text.ts's middleCut cuts it, measured in a terminal's
 * columns: a sweep experiment's trailing "(alpha=0.1, epsilon=0.05)" stays, its middle goes.
 */
export function nameTruncated(text: string, width: number): string {
  return middleCut(text, width, clusterWidth);
}

