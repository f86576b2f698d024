// Q-tables' A, B and difference heatmaps scroll together (ScrollGroup). A member's scroll event
// comes a frame after its offsets change, so the group's move of the others comes back as their
// scroll events. Those echoes must move nothing: keys pressed within one frame (PageUp, then
// Ctrl+End on A) let B's echo of the PageUp offset arrive after A had gone to the last row, and A
// was carried back to the first rows (the qtables e2e keyboard test saw the view stay at the top).
import { describe, expect, it } from 'vitest';
import { ScrollGroup, type Scrollable } from '../../src/renderer/src/components/heatmap';

/** A scroll box of `height` scrollable pixels that clamps its offsets as an element does. */
function box(height = 1_000_000): Scrollable {
  let top = 0;
  let left = 0;
  return {
    get scrollTop() {
      return top;
    },
    set scrollTop(v: number) {
      top = Math.max(0, Math.min(height, v));
    },
    get scrollLeft() {
      return left;
    },
    set scrollLeft(v: number) {
      left = Math.max(0, v);
    },
  };
}

describe('ScrollGroup', () => {
  it('moves the other members to a member’s offsets', () => {
    const group = new ScrollGroup<Scrollable>();
    const [a, b, d] = [box(), box(), box()];
    for (const m of [a, b, d]) group.add(m);
    a.scrollTop = 432;
    a.scrollLeft = 20;
    group.moved(a);
    expect([b.scrollTop, b.scrollLeft, d.scrollTop, d.scrollLeft]).toEqual([432, 20, 432, 20]);
  });

  it('takes a member’s echo of the group’s move, arriving after the first member moved again, as nothing', () => {
    const group = new ScrollGroup<Scrollable>();
    const [a, b, d] = [box(), box(), box()];
    for (const m of [a, b, d]) group.add(m);
    a.scrollTop = 18; // PageUp: row 1
    group.moved(a); // A's scroll event: B and the difference go to 18
    a.scrollTop = 359_550; // Ctrl+End, before B's and the difference's events come
    group.moved(b); // B's echo of 18
    group.moved(d);
    expect(a.scrollTop).toBe(359_550);
    group.moved(a); // A's own event then takes the others to the end
    expect([b.scrollTop, d.scrollTop]).toEqual([359_550, 359_550]);
  });

  it('still follows a member scrolled by the user after its echo, and one shorter than the rest', () => {
    const group = new ScrollGroup<Scrollable>();
    const [a, b] = [box(), box(100)];
    group.add(a);
    group.add(b);
    a.scrollTop = 500;
    group.moved(a);
    expect(b.scrollTop).toBe(100); // as far as it goes
    group.moved(b); // its echo (it took 100): nothing
    expect(a.scrollTop).toBe(500);
    b.scrollTop = 40; // the user scrolls B
    group.moved(b);
    expect(a.scrollTop).toBe(40);
  });
});
