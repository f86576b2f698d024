// A run's training time as Runs and Run detail show it: its stored time, its pauses left out, and
// for a running run the stretch since the moment that time reaches, ticking.
import { describe, expect, it } from 'vitest';
import { trainingTime } from '../../src/renderer/src/format';
import { trainingMs } from '../../src/shared/training-time';

const HOUR = 3_600_000;

describe('trainingTime', () => {
  it('shows a stopped run\'s stored time whatever the clock says, and – for one that never started', () => {
    // Paused overnight: a minute before, two after; its start to its end would read 14 h.
    const overnight = { activeMs: 180_000, activeAt: null };
    expect(trainingTime(overnight, 14 * HOUR)).toBe('3 min 0 s');
    expect(trainingTime(overnight, 20 * HOUR)).toBe('3 min 0 s');
    expect(trainingTime({ activeMs: null, activeAt: null }, 5)).toBe('–');
    expect(trainingTime({ activeMs: 0, activeAt: null }, 5)).toBe('0 ms');
  });

  it("counts a running run's time on from its last resume or metric batch", () => {
    const running = { activeMs: 4_000, activeAt: 9_000 };
    expect(trainingTime(running, 9_000)).toBe('4.0 s');
    expect(trainingTime(running, 12_500)).toBe('7.5 s');
    expect(trainingMs(running, 12_500)).toBe(7_500);
    // The page's clock a little behind the server's: never below the time stored.
    expect(trainingMs(running, 8_000)).toBe(4_000);
    expect(trainingMs({ activeMs: null, activeAt: null }, 8_000)).toBeNull();
  });
});
