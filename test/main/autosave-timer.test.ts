// When the worker autosaves: once the interval has passed since the last (read at metric batches,
// never per episode); a state that took long to take, or is large, pushes the next one further
// off; an interval of 0 never autosaves.
import { describe, expect, it } from 'vitest';
import { AutosaveTimer, COST_FACTOR, LARGE_STATE_BYTES } from '../../src/main/jobs/autosave';

function timer(everyMs: number) {
  const clock = { t: 0 };
  return { clock, timer: new AutosaveTimer(everyMs, () => clock.t) };
}

describe('AutosaveTimer', () => {
  it('is due once the interval has passed, and only where it is checked', () => {
    const { clock, timer: t } = timer(1000);
    clock.t = 999;
    t.check();
    expect(t.wanted()).toBe(false);
    clock.t = 1000;
    expect(t.wanted(), 'not before a check reads the clock').toBe(false);
    t.check();
    expect(t.wanted()).toBe(true);
    clock.t = 1001;
    t.taken(1000);
    expect(t.wanted()).toBe(false);
    clock.t = 2000;
    t.check();
    expect(t.wanted(), 'one interval after the last was taken').toBe(false);
    clock.t = 2001;
    t.check();
    expect(t.wanted()).toBe(true);
  });

  it('waits longer after a costly or large state', () => {
    const { clock, timer: t } = timer(1000);
    clock.t = 1000;
    t.check();
    expect(t.wanted()).toBe(true);
    clock.t = 1050; // 50 ms to take, encode and send it
    t.taken(1000);
    expect(t.interval).toBe(COST_FACTOR * 50);
    clock.t = 1050 + COST_FACTOR * 50 - 1;
    t.check();
    expect(t.wanted()).toBe(false);
    clock.t = 1050 + COST_FACTOR * 50;
    t.check();
    expect(t.wanted()).toBe(true);
    t.taken(4 * LARGE_STATE_BYTES);
    expect(t.interval).toBe(4 * 1000);
  });

  it('never autosaves with an interval of 0', () => {
    const { clock, timer: t } = timer(0);
    clock.t = 1e9;
    t.check();
    expect(t.wanted()).toBe(false);
  });
});
