// The Runs list read its page with useCall again through a 500 ms throttle at each run.status or
// experiments.changed push, and through two more (250 ms for a run's first return, 3 s after) as
// runs reported progress. A read asked while another was under way dropped the other's answer, so
// in a sweep of quick runs (the browser mode: 30 runs of a few seconds, reads of the page taking
// up to 700 ms while they trained) up to four reads of the page were in flight at once and 39 of 94
// answers were dropped: the host read the page back to back for nothing. The page now follows the
// pushes with followRead (RUNS_PAGE_CHANGES): one read at a time, a push reading at once or as the
// read under way answers, progress (later()) owing one more read after it, the answer under way shown.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract';
import type { RunPage, RunStatus } from '../../src/shared/dto';
import { followRead, type FollowedAnswer } from '../../src/renderer/src/followed-read';
import { RUNS_PAGE_CHANGES } from '../../src/renderer/src/screens/runs';
import { pushes } from '../helpers/pushes';

interface Run {
  readonly id: number;
  status: RunStatus;
  episodes: number;
}

/** A service answering each read READ_MS after it is asked, with the runs as they were when asked (as SQLite answers). */
const READ_MS = 600;

function service(runs: Run[]) {
  const events = pushes();
  let inFlight = 0;
  let mostInFlight = 0;
  let reads = 0;
  const client = {
    call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
      expect(command).toBe('runs.list');
      expect(input).toEqual({ sort: 'id', descending: true, offset: 0, limit: 100 });
      reads++;
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const listed = runs.map((r) => ({ id: r.id, status: r.status, episodesDone: r.episodes }));
      return new Promise((resolve) =>
        setTimeout(() => {
          inFlight--;
          resolve({ total: listed.length, runs: listed } as unknown as CommandOutput<K>);
        }, READ_MS),
      );
    },
    on: events.on,
  };
  return {
    client,
    get mostInFlight() {
      return mostInFlight;
    },
    get reads() {
      return reads;
    },
    status(id: number, status: RunStatus) {
      runs.find((r) => r.id === id)!.status = status;
      events.push('run.status', { runId: id, experimentId: 1, status });
    },
  };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('the Runs page follows a sweep of quick runs one read at a time', () => {
  it('never has two reads in flight, shows answers in the order asked, and ends on every run completed', async () => {
    const runs: Run[] = Array.from({ length: 30 }, (_, i) => ({ id: 30 - i, status: 'queued', episodes: 0 }));
    const s = service(runs);
    const shown: FollowedAnswer<RunPage>[] = [];
    const page = followRead(s.client, 'runs.list', { sort: 'id', descending: true, offset: 0, limit: 100 }, RUNS_PAGE_CHANGES, (a) => shown.push(a));
    // Two runs at a time (the worker pool), each 2 s of progress ten times a second; the screen's
    // progress throttle (useLiveProgress) calls later() at most every 250 ms.
    let lastLater = -Infinity;
    for (let pair = 0; pair < 15; pair++) {
      const ids = [pair * 2 + 1, pair * 2 + 2];
      for (const id of ids) s.status(id, 'running');
      for (let tick = 1; tick <= 20; tick++) {
        await vi.advanceTimersByTimeAsync(100);
        for (const id of ids) runs.find((r) => r.id === id)!.episodes = tick * 50;
        if (Date.now() - lastLater >= 250) {
          lastLater = Date.now();
          page.later();
        }
      }
      for (const id of ids) s.status(id, 'completed');
    }
    await vi.advanceTimersByTimeAsync(10 * READ_MS);
    expect(s.mostInFlight).toBe(1);
    // One read at a time: about a read per READ_MS over the sweep's 30 s, not one per push.
    expect(s.reads).toBeLessThanOrEqual(Math.ceil(30_000 / READ_MS) + 2);
    // Answers come in the order asked: the runs done never go down.
    const done = shown.map((a) => a.data!.runs.filter((r) => r.status === 'completed').length);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    // The last answer was asked after the last completed push: every run done, 1,000 episodes each.
    const last = shown.at(-1)!.data!;
    expect(last.runs.every((r) => r.status === 'completed' && r.episodesDone === 1000)).toBe(true);
    // Nothing more is read once the sweep has ended.
    const reads = s.reads;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.reads).toBe(reads);
    page.close();
  });

  it('follows run.status and experiments.changed', () => {
    expect([...RUNS_PAGE_CHANGES].sort()).toEqual(['experiments.changed', 'run.status']);
  });
});
