// The app's cuts of a name (Compare's chips and legend, the Q-tables and Policies run pickers) count
// display columns, as `aisle runs` does: a name in Chinese or with emoji was cut by characters, each
// two columns wide, so it came out twice as wide as an ASCII name cut to the same width.
import { describe, expect, it } from 'vitest';
import { COMPARE_NAME, legendLabel } from '../../src/shared/compare-text';
import { displayWidth, graphemes } from '../../src/shared/display-width';
import { middleCut, runPickerLabel } from '../../src/shared/text';

const ASCII = 'quickstart: cliff walking with a long name (alpha=0.1, epsilon=0.05)';
const CJK = '推荐实验：购物车疲劳与最受欢迎商品的比较实验 (alpha=0.1, epsilon=0.05)';
const EMOJI = '👩‍💻🚀🇫🇷❤️ launch party 🎈🎉👨‍👩‍👧 in the big shop (alpha=0.1, epsilon=0.05)';

/** The name's user-perceived characters, to check a cut keeps whole ones. */
const clusters = (text: string) => [...graphemes.segment(text)].map((s) => s.segment);

describe("the app's name cuts in display columns", () => {
  it("cut a CJK or emoji name for Compare's chips to the width an ASCII name is cut to", () => {
    const ascii = middleCut(ASCII, COMPARE_NAME);
    expect(displayWidth(ascii)).toBe(COMPARE_NAME);
    for (const name of [CJK, EMOJI]) {
      const cut = middleCut(name, COMPARE_NAME);
      // At most the width, and within a column of it (a wide character does not fit in one column).
      expect(displayWidth(cut), cut).toBeLessThanOrEqual(COMPARE_NAME);
      expect(displayWidth(cut), cut).toBeGreaterThanOrEqual(COMPARE_NAME - 1);
      expect(cut.endsWith(' (alpha=0.1, epsilon=0.05)')).toBe(true);
    }
    expect(middleCut(CJK, COMPARE_NAME)).toBe('推荐实验：购… (alpha=0.1, epsilon=0.05)');
  });

  it('never split a character: what is kept is whole clusters of the name', () => {
    for (const name of [CJK, EMOJI]) {
      const whole = new Set(clusters(name));
      for (let width = 4; width <= displayWidth(name); width++) {
        const cut = middleCut(name, width);
        expect(displayWidth(cut), `${name} at ${width}`).toBeLessThanOrEqual(width);
        for (const c of clusters(cut)) if (c !== '…') expect(whole.has(c), `${cut}: ${c}`).toBe(true);
      }
    }
    expect(middleCut(EMOJI, 12)).toBe('👩‍💻…on=0.05)'); // 3 columns of its start: the rocket would take a fourth
  });

  it("cut the legend's names and the run pickers' experiment names by columns too", () => {
    const legend = legendLabel(`${CJK} · q-learning`);
    expect(legend.endsWith(' · q-learning')).toBe(true);
    expect(displayWidth(legend.slice(0, -' · q-learning'.length))).toBeLessThanOrEqual(COMPARE_NAME);
    const label = runPickerLabel({ id: 3, experimentName: CJK.repeat(2), agentId: 'q-learning', seed: 0 });
    const name = label.slice('run 3 · '.length, -' · q-learning · seed 0'.length);
    expect(displayWidth(name)).toBeLessThanOrEqual(48);
    expect(displayWidth(name)).toBeGreaterThanOrEqual(47);
  });
});
