// The progress throttle on a fake clock: at most one report per run every 100 ms, the newest one
// waiting for its slot, and a run's last report sent at once when it finishes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emitter, ProgressThrottle } from '../../src/main/service/events';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ProgressThrottle', () => {
  it('sends at most ten a second per run and always the last one', () => {
    const sent: { runId: number; episodesDone: number; at: number }[] = [];
    const throttle = new ProgressThrottle((p) => sent.push({ runId: p.runId, episodesDone: p.episodesDone, at: Date.now() }), 100, () => Date.now());
    const start = Date.now();
    for (let ms = 0; ms < 1000; ms++) {
      throttle.push({ runId: 1, episodesDone: ms + 1, episodesTotal: 5000 });
      if (ms % 2 === 0) throttle.push({ runId: 2, episodesDone: ms + 1, episodesTotal: 5000 });
      vi.advanceTimersByTime(1);
    }
    throttle.finish(1);
    throttle.finish(2);
    for (const runId of [1, 2]) {
      const mine = sent.filter((s) => s.runId === runId);
      expect(mine.length).toBeLessThanOrEqual(11);
      expect(mine.length).toBeGreaterThanOrEqual(10);
      expect(mine[0]).toEqual({ runId, episodesDone: 1, at: start }); // the first goes at once
      for (let i = 1; i < mine.length - 1; i++) expect(mine[i]!.at - mine[i - 1]!.at).toBeGreaterThanOrEqual(100);
      expect(mine.at(-1)!.episodesDone).toBe(runId === 1 ? 1000 : 999);
    }
    // Nothing is left behind to fire later.
    const count = sent.length;
    vi.advanceTimersByTime(1000);
    expect(sent.length).toBe(count);
  });

  it('sends nothing more for a run whose last report already went out', () => {
    const sent: number[] = [];
    const throttle = new ProgressThrottle((p) => sent.push(p.episodesDone), 100, () => Date.now());
    throttle.push({ runId: 1, episodesDone: 10, episodesTotal: 10 });
    throttle.finish(1);
    throttle.finish(7);
    expect(sent).toEqual([10]);
  });
});

describe('Emitter', () => {
  it('keeps delivering when a listener throws', () => {
    const emitter = new Emitter();
    const got: unknown[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    emitter.on(() => {
      throw new Error('window closed');
    });
    const off = emitter.on((event, payload) => got.push([event, payload]));
    emitter.emit('experiments.changed', { experimentId: 3 });
    off();
    emitter.emit('experiments.changed', { experimentId: 4 });
    expect(got).toEqual([['experiments.changed', { experimentId: 3 }]]);
    expect(error).toHaveBeenCalledTimes(2);
    error.mockRestore();
  });
});
