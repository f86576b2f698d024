/**
 * How many columns text takes, measured by user-perceived character (grapheme cluster): a name in
 * Chinese or with an emoji takes two columns a character (an emoji of several code points, 👩‍💻 or a
 * flag, is one character), an accent typed as a combining mark none, so `string.length` (UTF-16 code
 * units) over- or under-counts. A terminal's columns (the CLI's tables), and the app's cuts of a name
 * (middleCut): a wide character is about two Latin letters wide in its fonts too.
 */

/**
 * East Asian Wide (W) and Fullwidth (F) code points outside the emoji, which EMOJI_CLUSTER
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
 * skin tone modifier merges into the character it follows.
 */
const ZERO = /^[\p{Mn}\p{Me}\p{Default_Ignorable_Code_Point}\p{Emoji_Modifier}]$/u;

/**
 * A grapheme cluster that terminals draw as one emoji, two columns however many code points it
 * holds. string-width counts an RGI emoji cluster 2 and any other by its first code point; kitty
 * and wcwidth also widen any emoji base that VS16 (U+FE0F) follows. The same here, read from the
 * cluster's start (so a skin tone after a letter does not widen the letter):
 * - an emoji by default (🚀), with whatever the cluster joins to it: a skin tone (👍🏽), a ZWJ
 *   sequence (👩‍💻, 👨‍👩‍👧), tags (a subdivision flag);
 * - two regional indicators, a country flag (🇫🇷); one alone is a letter, one column;
 * - a text-default symbol that VS16 turns into an emoji, with what joins it: ❤️ (U+2764 U+FE0F),
 *   a keycap 1️⃣ (1, VS16, U+20E3), the rainbow flag 🏳️‍🌈 (white flag, VS16, ZWJ, rainbow);
 * - a skin tone on a text-default base (☝🏽), and a ZWJ sequence written without VS16 (🏳‍🌈).
 * Without VS16 such a symbol is text, one column (❤), for string-width and terminals alike.
 */
const EMOJI_CLUSTER =
  /^(?:(?![\u{1f1e6}-\u{1f1ff}])\p{Emoji_Presentation}|\p{Regional_Indicator}{2}|\p{Emoji}\ufe0f|\p{Emoji_Modifier_Base}\p{Emoji_Modifier}|\p{Extended_Pictographic}[^\u200d]*\u200d\p{Extended_Pictographic})/u;

/** A code point's columns (0, 1 or 2). */
function codePointWidth(char: string): number {
  const code = char.codePointAt(0)!;
  if (code < 0x300) return 1; // ASCII and Latin-1: no mark among them
  if (ZERO.test(char)) return 0;
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

/** Splits text into user-perceived characters: a cut between two of them never splits an emoji or an accent from its letter. */
export const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A grapheme cluster's columns: two for an emoji, else its code points' (a letter and its marks, a wide character). */
export function clusterWidth(cluster: string): number {
  if (EMOJI_CLUSTER.test(cluster)) return 2;
  let width = 0;
  for (const char of cluster) width += codePointWidth(char);
  return width;
}

/** The columns `text` takes in a terminal, one width for each user-perceived character (grapheme cluster). */
export function displayWidth(text: string): number {
  if (/^[\u0020-\u02ff]*$/.test(text)) return text.length; // ASCII and Latin-1, the common case: a column a character
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += clusterWidth(segment);
  return width;
}
