// Terminal columns, not UTF-16 code units: an experiment named in Chinese or with an emoji made
// `aisle experiments` and `aisle runs` lines wider than the terminal (each such character takes two
// columns but counted one) and pushed the columns after it out of line; a cut could split an emoji
// in half. ASCII output is as before (the other terminal-width tests hold it byte for byte).
import { describe, expect, it } from 'vitest';
import { table, transposedTable, truncatedColumn, wrapped } from '../../src/cli/context';
import { displayWidth, nameTruncated, truncated } from '../../src/cli/display-width';
import { middleCut } from '../../src/shared/text';

/** Half of a surrogate pair without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('displayWidth', () => {
  it('counts wide characters two columns, marks and joiners none', () => {
    expect(displayWidth('quickstart: cliff walking')).toBe(25);
    expect(displayWidth('推荐实验')).toBe(8); // CJK ideographs
    expect(displayWidth('おすすめ')).toBe(8); // Hiragana
    expect(displayWidth('추천')).toBe(4); // Hangul syllables
    expect(displayWidth('ＡＢ１')).toBe(6); // fullwidth forms
    expect(displayWidth('𠀀')).toBe(2); // CJK Extension B: one surrogate pair, two columns
    expect(displayWidth('🚀')).toBe(2);
    expect(displayWidth('👍🏽')).toBe(2); // a skin tone merges into its emoji
    expect(displayWidth('🇯🇵')).toBe(2); // two regional indicators make one flag
    expect(displayWidth('cafe\u0301')).toBe(4); // e and a combining acute accent
    expect(displayWidth('a\u200db\ufe0fc')).toBe(3); // a zero-width joiner and a variation selector
    expect(displayWidth('αβγ — 40,000 · ½ …')).toBe(18); // narrow and ambiguous: one column each
  });

  // Terminals draw each of these as one glyph two columns wide; counted code point by code point,
  // they took 4, 6, 5, 3, 1 and 2 columns, and a table with such a name lost its alignment.
  it.each([
    ['a ZWJ sequence: woman, ZWJ, laptop', '👩‍💻', 2],
    ['a family: three people joined by ZWJ', '👨‍👩‍👧', 2],
    ['a country flag and the rainbow flag (white flag, VS16, ZWJ, rainbow)', '🇫🇷🏳️‍🌈', 4],
    ['skin tones, on an emoji and on a text-default symbol', '👍🏽☝🏽', 4],
    ['a keycap: 1, VS16, combining keycap', '1️⃣', 2],
    ['a text-default symbol that VS16 makes an emoji, then the same symbol as text', '❤️❤', 3],
  ])('counts %s as one glyph of two columns', (_what, text, columns) => {
    expect(displayWidth(text)).toBe(columns);
  });
});

describe('truncated', () => {
  const names = ['🚀🎉 launch party 🎈 in the shop', '𠀀𠀁𠀂 extension B', '推荐实验：购物车疲劳', 'cafe\u0301 cre\u0300me bru\u0302le\u0301e', '👩‍💻 a coder 🇯🇵 flag', '👨‍👩‍👧 a family ❤️ 1️⃣ 🏳️‍🌈'];

  it('cuts at a column budget, never inside a surrogate pair nor before a combining mark', () => {
    for (const name of names) {
      for (let width = 1; width <= displayWidth(name); width++) {
        const cut = truncated(name, width);
        expect(displayWidth(cut), `${name} at ${width}: ${cut}`).toBeLessThanOrEqual(width);
        expect(cut, `${name} at ${width}`).not.toMatch(LONE_SURROGATE);
        if (cut === name) continue;
        expect(cut.endsWith('…')).toBe(true);
        // What is kept is the name's start, and what follows it there is a new character, not a
        // mark or a joiner that belonged to the last one kept.
        const kept = cut.slice(0, -1);
        expect(name.startsWith(kept)).toBe(true);
        expect(name.slice(kept.length)).not.toMatch(/^[\p{M}\p{Emoji_Modifier}\u200d\udc00-\udfff]/u);
      }
    }
  });

  it('keeps text that fits, and cuts ASCII as before: one character fewer than the width, then "…"', () => {
    expect(truncated('推荐实验', 8)).toBe('推荐实验');
    expect(truncated('推荐实验', 7)).toBe('推荐实…');
    expect(truncated('推荐实验', 6)).toBe('推荐…');
    expect(truncated('a much longer name', 8)).toBe('a much…');
    expect(truncated('cafe\u0301 noir', 5)).toBe('cafe\u0301…');
  });

  it('cuts after whole emoji sequences, two columns each', () => {
    expect(truncated('👩‍💻👨‍👩‍👧🇫🇷 team', 7)).toBe('👩‍💻👨‍👩‍👧🇫🇷…');
    expect(truncated('👩‍💻👨‍👩‍👧🇫🇷 team', 6)).toBe('👩‍💻👨‍👩‍👧…');
    expect(truncated('❤️ 1️⃣ team', 4)).toBe('❤️…');
  });
});

describe('tables and wrapping in terminal columns', () => {
  const header = ['id', 'name', 'runs'];
  const rows = [
    ['1', '推荐实验：购物车疲劳与最受欢迎商品的比较', '3 completed'],
    ['2', '🚀 launch 🎉 party: q-learning against the oracle', '1 failed'],
    ['3', 'quickstart', '2 completed'],
  ];
  const lines = (text: string) => text.split('\n');
  /** The column each line's last cell starts at. */
  const lastCellAt = (line: string) => displayWidth(line.replace(/ \S+( \S+)?$/, ' '));

  it('fit a table with a Chinese and an emoji name to the width exactly, its columns in line', () => {
    for (const width of [40, 50, 60]) {
      const text = table(header, truncatedColumn(header, rows, 1, 10, width));
      const widths = lines(text).map(displayWidth);
      expect(Math.max(...widths), text).toBe(width);
      const at = lines(text).map(lastCellAt);
      expect(new Set(at).size, text).toBe(1);
    }
    // Uncut, each line's columns still line up.
    expect(new Set(lines(table(header, rows)).map(lastCellAt)).size).toBe(1);
  });

  it('line up names holding emoji sequences, cut or whole', () => {
    const text = table(header, truncatedColumn(header, [['1', '👨‍👩‍👧 family of three', '3'], ['2', '👩‍💻 ❤️ code', '12']], 1, 10, 20));
    expect(text).toBe(['id  name        runs', '──  ──────────  ────', '1   👨‍👩‍👧 family…     3', '2   👩‍💻 ❤️ code    12'].join('\n'));
  });

  it('are byte for byte as before for ASCII', () => {
    expect(table(['run', 'name', 'return'], [['1', 'a', '-13'], ['12', 'bb', '4.5']])).toBe('run  name  return\n───  ────  ──────\n1    a        -13\n12   bb       4.5');
    expect(transposedTable(['run', 'status'], ['7', 'completed'])).toBe('run     7\nstatus  completed');
  });

  it('wrap words by their columns and indent under a wide label by its columns', () => {
    const text = wrapped('实验  ', '购物车 疲劳 与 最受欢迎 商品 的 比较 🚀 起飞', 20);
    for (const line of lines(text)) expect(displayWidth(line), line).toBeLessThanOrEqual(20);
    expect(lines(text).length).toBeGreaterThan(2);
    expect(lines(text).slice(1).every((l) => l.startsWith('      ') && l[6] !== ' ')).toBe(true);
    expect(transposedTable(['名前', 'runs'], ['x', '3'])).toBe('名前  x\nruns  3');
  });

  it('keep a number and its " %" on one line: a line never starts with the sign', () => {
    // compare's note at COLUMNS=60 ended a line with "the 5" and began the next with "% level".
    const text = wrapped('', 'or when the groups are too small for the exact Mann–Whitney test to reach the 5 % level', 60);
    expect(lines(text)).toEqual(['or when the groups are too small for the exact Mann–Whitney', 'test to reach the 5 % level']);
    const tight = wrapped('', 'reach the 5 % level', 11);
    expect(lines(tight)).toEqual(['reach the', '5 % level']);
  });
});

describe('middleCut and nameTruncated', () => {
  const NAME = 'quickstart: cliff walking, q-learning (alpha=0.1, epsilon=0.05)';
  it('keep a trailing "(…)" whole and cut the middle, or cut the end of a name without one', () => {
    expect(middleCut(NAME, 100)).toBe(NAME);
    expect(middleCut(NAME, 40)).toBe('quickstart: c… (alpha=0.1, epsilon=0.05)');
    expect(middleCut(NAME, 40)).toHaveLength(40);
    // Too narrow for the "(…)" and 8 characters of the start: a third of the width for the start, the rest for the end.
    expect(middleCut(NAME, 20)).toBe('quicks…epsilon=0.05)');
    expect(middleCut('a much longer name', 8)).toBe('a much…');
  });
  it('keep every trailing "(…)": a sweep experiment run again ends in its settings and its number', () => {
    // Two repeats of one sweep differ only in their settings: "(2)" alone would name them alike.
    expect(middleCut(`${NAME} (2)`, 44)).toBe('quickstart: c… (alpha=0.1, epsilon=0.05) (2)');
    // Narrower, the end of both stays, as for one "(…)" too long to keep whole.
    expect(middleCut(`${NAME} (2)`, 24)).toBe('quickst…psilon=0.05) (2)');
  });
  it('count a terminal\'s columns in the CLI, never splitting a character', () => {
    expect(nameTruncated('推荐实验推荐实验 (alpha=0.1)', 24)).toBe('推荐实验推… (alpha=0.1)');
    expect(displayWidth(nameTruncated('推荐实验推荐实验 (alpha=0.1)', 24))).toBeLessThanOrEqual(24);
    expect(nameTruncated('👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻 (x=1)', 15)).toBe('👩‍💻👩‍💻👩‍💻👩‍💻… (x=1)');
  });
});

