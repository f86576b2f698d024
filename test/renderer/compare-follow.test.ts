// Compare's chart (its curves and statistics tables) refreshed through a 1.5 s throttle on every
// run.status and on the progress of a training run: a read the throttle let through before a run's
// completed push answered after it, without the run's last episodes, and the final figures came
// only with the throttle's next read, up to 1.5 s after the run ended (and a read slower than the
// throttle was dropped for the next, already asked, so a heavy comparison never showed one while
// runs trained). The comparison now follows the pushes with followRead: a compared run's status
// reads at once (when no read is under way; else as the one under way answers, its answer dropped),
// and progress only puts a read off to COMPARE_PACE_MS after the last answer, one read at a time.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandName, EventName, EventPayloads } from '../../src/shared/contract';
import type { CompareResult, RunStatus } from '../../src/shared/dto';
import { followRead, type FollowedAnswer } from '../../src/renderer/src/followed-read';
import { COMPARE_PACE_MS, compareRefresh } from '../../src/renderer/src/screens/compare';

interface Run {
  readonly id: number;
  readonly experimentId: number;
  status: RunStatus;
  episodes: number;
}

/** What a comparison answer says here: each run's episodes and status when the read was asked. */
type Figures = readonly { readonly id: number; readonly episodes: number; readonly status: RunStatus }[];

/** Lets the promises a read's answer settles run (the fake timers hold no real time). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/**
 * A service whose compare.runs reads answer when the test says, each with the runs as they were
 * when it was asked (as the store answers a read), and whose pushes reach the screen's routing
 * (compareRefresh) at once, as its useEvent listeners do.
 */
function service(runs: Run[], comparedExperiments: readonly number[], runIds: readonly number[] = []) {
  const asked: { answer: Figures; resolve: (value: unknown) => void; settled: boolean }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const client = {
    call(command: CommandName): Promise<never> {
      if (command !== 'compare.runs') throw new Error(`no ${command} here`);
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const answer = runs.map((r) => ({ id: r.id, episodes: r.episodes, status: r.status }));
      return new Promise((resolve) => asked.push({ answer, resolve: resolve as (value: unknown) => void, settled: false }));
    },
    // The screen listens itself (compareRefresh sorts the pushes): the read follows no event on its own.
    on: (_event: EventName) => () => {},
  };
  const shown: FollowedAnswer<CompareResult>[] = [];
  const read = followRead(client, 'compare.runs', { runIds: [...runIds], experimentIds: [...comparedExperiments] }, [], (a) => shown.push(a), COMPARE_PACE_MS);
  const live = () => runs.some((r) => comparedExperiments.includes(r.experimentId) && (r.status === 'running' || r.status === 'queued'));
  const view = () => ({ comparedExperiments, runIds, live: live() });
  const route = (push: Parameters<typeof compareRefresh>[0]) => {
    const wanted = compareRefresh(push, view());
    if (wanted === 'now') read.heard();
    if (wanted === 'later') read.later();
  };
  return {
    read,
    asked,
    /** The figures of each answer shown. */
    shown: () => shown.map((a) => a.data as unknown as Figures),
    progress(id: number, episodes: number) {
      const run = runs.find((r) => r.id === id)!;
      run.episodes = episodes;
      const payload: EventPayloads['run.progress'] = { runId: id, episodesDone: episodes, episodesTotal: 100 };
      route({ progress: payload });
    },
    status(id: number, status: RunStatus) {
      const run = runs.find((r) => r.id === id)!;
      run.status = status;
      route({ status: { runId: id, experimentId: run.experimentId, status } });
    },
    /** The `i`th read answers (with the runs as they were when it was asked), and its answer is handled. */
    async answer(i: number) {
      inFlight--;
      asked[i]!.settled = true;
      asked[i]!.resolve(asked[i]!.answer);
      await settle();
    },
    /** The read under way, if any, answers. */
    async answerPending() {
      const i = asked.findIndex((a) => !a.settled);
      if (i >= 0) await this.answer(i);
    },
    inFlight: () => inFlight,
    mostInFlight: () => mostInFlight,
  };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('Compare’s chart follows the compared runs', () => {
  it('shows a run’s final figures with the read after its completed push, never the answer asked before it', async () => {
    const store = service([{ id: 1, experimentId: 1, status: 'running', episodes: 10 }], [1]);
    await store.answer(0);
    expect(store.shown()).toEqual([[{ id: 1, episodes: 10, status: 'running' }]]);
    // Progress puts a read off to the pace after the last answer: none asked at the push.
    store.progress(1, 20);
    expect(store.asked).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(COMPARE_PACE_MS);
    expect(store.asked).toHaveLength(2); // read 1: episode 20, running
    // The run stores its last episodes and completes before read 1 answers.
    store.progress(1, 100);
    store.status(1, 'completed');
    expect(store.asked).toHaveLength(2); // one read at a time
    await store.answer(1);
    // Read 1 was asked before the completed push: not shown. The old throttle showed it, and asked
    // the next read only 1.5 s after read 1; here it is asked as read 1 answers, not at the pace.
    expect(store.shown()).toHaveLength(1);
    expect(store.asked).toHaveLength(3);
    await store.answer(2);
    expect(store.shown().at(-1)).toEqual([{ id: 1, episodes: 100, status: 'completed' }]);
    // Nothing more is owed: no read after the pace.
    await vi.advanceTimersByTimeAsync(10 * COMPARE_PACE_MS);
    expect(store.asked).toHaveLength(3);
    expect(store.mostInFlight()).toBe(1);
  });

  it('reads at once at a completed push while a read put off by progress waits, and not again at its time', async () => {
    const store = service([{ id: 1, experimentId: 1, status: 'running', episodes: 10 }], [1]);
    await store.answer(0);
    store.progress(1, 50);
    await vi.advanceTimersByTimeAsync(COMPARE_PACE_MS / 3);
    store.progress(1, 100);
    store.status(1, 'completed');
    expect(store.asked).toHaveLength(2); // asked in the push
    await store.answer(1);
    expect(store.shown().at(-1)).toEqual([{ id: 1, episodes: 100, status: 'completed' }]);
    await vi.advanceTimersByTimeAsync(10 * COMPARE_PACE_MS);
    expect(store.asked).toHaveLength(2);
  });

  it('shows an answer asked before progress pushes heard since (newer than the one shown), and reads again at the pace', async () => {
    const store = service([{ id: 1, experimentId: 1, status: 'running', episodes: 10 }], [1]);
    store.progress(1, 20); // during the first read
    await store.answer(0);
    expect(store.shown()).toEqual([[{ id: 1, episodes: 10, status: 'running' }]]);
    expect(store.asked).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(COMPARE_PACE_MS - 1);
    expect(store.asked).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.asked).toHaveLength(2);
    await store.answer(1);
    expect(store.shown().at(-1)).toEqual([{ id: 1, episodes: 20, status: 'running' }]);
  });

  it('reads the whole comparison at most once per pace after an answer while 20 runs train, one read at a time', async () => {
    const runs = Array.from({ length: 20 }, (_, i): Run => ({ id: i + 1, experimentId: 1, status: 'running', episodes: 0 }));
    const store = service(runs, [1]);
    // Each read takes 400 ms (a heavy comparison); every run reports progress ten times a second for 30 s.
    let askedAt = 0;
    let reads = 0;
    for (let t = 0; t < 30_000; t += 100) {
      for (const run of runs) store.progress(run.id, Math.floor(t / 300));
      if (store.asked.length > reads) [reads, askedAt] = [store.asked.length, t];
      if (store.inFlight() > 0 && t - askedAt >= 400) await store.answerPending();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(store.mostInFlight()).toBe(1);
    // A read, then the pace after its answer: at most one per 1.9 s (the old throttle: one per 1.5 s,
    // several in flight with the older dropped once a read took longer than it).
    expect(store.asked.length).toBeLessThanOrEqual(Math.ceil(30_000 / (COMPARE_PACE_MS + 400)) + 1);
    expect(store.asked.length).toBeGreaterThan(10);
    // Every answer was shown: progress never drops one.
    expect(store.shown().length).toBe(store.asked.filter((a) => a.settled).length);
    // The runs complete, one after another: the last completed push's read shows every one done.
    for (const run of runs) {
      run.episodes = 100;
      store.status(run.id, 'completed');
      if (store.inFlight() > 0) await store.answerPending();
    }
    await store.answerPending();
    await store.answerPending();
    expect(store.inFlight()).toBe(0);
    expect(store.shown().at(-1)!.every((r) => r.status === 'completed' && r.episodes === 100)).toBe(true);
  });

  it('leaves the comparison alone for runs not compared: another experiment’s status, and progress while none compared trains', async () => {
    const store = service(
      [
        { id: 1, experimentId: 1, status: 'completed', episodes: 100 },
        { id: 2, experimentId: 2, status: 'running', episodes: 10 },
        { id: 3, experimentId: 3, status: 'running', episodes: 10 },
      ],
      [1],
      [3],
    );
    await store.answer(0);
    store.progress(2, 20);
    store.status(2, 'completed');
    await vi.advanceTimersByTimeAsync(10 * COMPARE_PACE_MS);
    expect(store.asked).toHaveLength(1);
    // Run 3, picked by its number, is compared: its progress and its status are followed.
    store.progress(3, 20);
    await vi.advanceTimersByTimeAsync(COMPARE_PACE_MS);
    expect(store.asked).toHaveLength(2);
    await store.answer(1);
    store.status(3, 'completed');
    expect(store.asked).toHaveLength(3);
  });

  it('reads at the pace, not at once, when a compared run is queued or starts (no episodes yet): a sweep of quick runs is not read twice a run', async () => {
    const runs = Array.from({ length: 10 }, (_, i): Run => ({ id: i + 1, experimentId: 1, status: 'queued', episodes: 0 }));
    const store = service(runs, [1]);
    await store.answer(0);
    // Run 1 starts while nothing is read: no read at its push, one at the pace after the last answer.
    store.status(1, 'running');
    expect(store.asked).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(COMPARE_PACE_MS);
    expect(store.asked).toHaveLength(2);
    await store.answer(1);
    // Ten quick runs, one after another, each starting and completing between two reads of 400 ms:
    // a read per completed push at most (the old routing: one per started push too).
    for (const run of runs) {
      if (run.id !== 1) store.status(run.id, 'running');
      run.episodes = 100;
      store.status(run.id, 'completed');
      await vi.advanceTimersByTimeAsync(400);
      await store.answerPending();
    }
    await vi.advanceTimersByTimeAsync(10 * COMPARE_PACE_MS);
    await store.answerPending();
    expect(store.mostInFlight()).toBe(1);
    expect(store.asked.length).toBeLessThanOrEqual(2 + runs.length);
    // The last completed push's read shows every run done.
    expect(store.shown().at(-1)!.every((r) => r.status === 'completed' && r.episodes === 100)).toBe(true);
    expect(compareRefresh({ status: { runId: 1, experimentId: 1, status: 'queued' } }, { comparedExperiments: [1], runIds: [], live: true })).toBe('later');
    expect(compareRefresh({ status: { runId: 1, experimentId: 1, status: 'failed' } }, { comparedExperiments: [1], runIds: [], live: true })).toBe('now');
  });

  it('stops reading once closed (the screen has gone, or the comparison changed), a read put off included', async () => {
    const store = service([{ id: 1, experimentId: 1, status: 'running', episodes: 10 }], [1]);
    await store.answer(0);
    store.progress(1, 20);
    store.read.close();
    await vi.advanceTimersByTimeAsync(10 * COMPARE_PACE_MS);
    expect(store.asked).toHaveLength(1);
  });
});
