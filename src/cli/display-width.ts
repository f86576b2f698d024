/**
 * How many terminal columns text takes, and text cut to a number of columns: a name in Chinese or
 * with an emoji takes two columns a character, an accent typed as a combining mark none, so
 * `string.length` (UTF-16 code units) over- or under-counts and tables misalign.
 */

/**
 * East Asian Wide (W) and Fullwidth (F) code points outside the emoji, which Emoji_Presentation
 * covers below, from Unicode 15.1's EastAsianWidth.txt
 * (https://www.unicode.org/Public/15.1.0/ucd/EastAsianWidth.txt, UAX #11). Neighbouring ranges are
 * merged across the unassigned code points between them (no name holds one); 303F (a half-width
 * space) and 4DC0–4DFF (Yijing hexagrams) are not wide there, so they stay out.
 */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], // Hangul Jamo leading consonants
  [0x2329, 0x232a], // angle brackets
  [0x2e80, 0x303e], // CJK radicals … CJK symbols and punctuation (3000 is the ideographic space)
  [0x3041, 0x3247], // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo … enclosed CJK
  [0x3250, 0x4dbf], // enclosed CJK … CJK Extension A
  [0x4e00, 0xa4c6], // CJK unified ideographs, Yi
  [0xa960, 0xa97c], // Hangul Jamo extended A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6b], // CJK compatibility forms, small form variants
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6], // fullwidth signs
  [0x16fe0, 0x16fff], // ideographic symbols
  [0x17000, 0x18d08], // Tangut, Khitan
  [0x1aff0, 0x1b2fb], // Kana supplement … Nushu
  [0x1f200, 0x1f265], // enclosed ideographic supplement
  [0x20000, 0x3fffd], // CJK extensions B and after
];

/**
 * No column: combining marks (Mn, Me) draw on the character before them; zero-width spaces and
 * joiners, variation selectors and tag characters are not drawn (Default_Ignorable_Code_Point); a
 * skin tone modifier merges into the emoji it follows.
 */
const ZERO = /^[\p{Mn}\p{Me}\p{Default_Ignorable_Code_Point}\p{Emoji_Modifier}]$/u;
/** Two columns: emoji drawn as emoji by default; a regional indicator is one, two make a flag. */
const EMOJI = /^(?![\u{1f1e6}-\u{1f1ff}])\p{Emoji_Presentation}$/u;

/** A code point's columns (0, 1 or 2). */
function codePointWidth(char: string): number {
  const code = char.codePointAt(0)!;
  if (code < 0x300) return 1; // ASCII and Latin-1: the common case, and no mark among them
  if (ZERO.test(char)) return 0;
  if (EMOJI.test(char)) return 2;
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last] = WIDE[mid]!;
    if (code < first) hi = mid - 1;
    else if (code > last) lo = mid + 1;
    else return 2;
  }
  return 1;
}

/** The columns `text` takes in a terminal, counted code point by code point (a surrogate pair is one). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += codePointWidth(char);
  return width;
}

/** `text` padded with spaces to `width` columns, at its end or (`right`) its start. */
export function padded(text: string, width: number, right = false): string {
  const pad = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? pad + text : text + pad;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` whole when it fits `width` columns; else its start, ending in "…", in `width` columns at
 * most. It is cut between user-perceived characters (grapheme clusters), so never inside a
 * surrogate pair, nor between a letter and its combining accent, nor inside an emoji sequence.
 */
export function truncated(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    kept += segment;
    used += w;
  }
  return `${kept.trimEnd()}…`;
}
