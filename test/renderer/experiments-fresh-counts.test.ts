// The Experiments list refreshed its run counts on a run.status push through a 500 ms throttle, so a
// read asked before the push could answer after it: a quick run's experiment still counted
// "1 running" after its completed push, until the throttled read came. The list's reads are now a
// FreshRead: an answer asked before a push heard since is never shown, a push starts a read at once
// when none is under way, and a burst of pushes costs one read more, not one each.
import { describe, expect, it } from 'vitest';
import { BURST_LIMIT_MS, FreshRead, type FreshAnswer } from '../../src/renderer/src/fresh-read';

interface Counts {
  readonly queued: number;
  readonly running: number;
  readonly completed: number;
}

/** A store whose counts change as runs move; each read takes the counts as they are when it is asked, and answers when `answer` says. */
function experimentsStore() {
  let counts: Counts = { queued: 1, running: 0, completed: 0 };
  const asked: { counts: Counts; resolve: (c: Counts) => void; reject: (e: Error) => void }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const read = () =>
    new Promise<Counts>((resolve, reject) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const done = () => inFlight--;
      asked.push({ counts, resolve: (c) => (done(), resolve(c)), reject: (e) => (done(), reject(e)) });
    });
  return {
    read,
    set: (c: Counts) => (counts = c),
    asked,
    /** The `i`th read answers (with the counts of when it was asked, or an error), and its answer is handled. */
    answer: async (i: number, error?: Error) => {
      const r = asked[i]!;
      if (error) r.reject(error);
      else r.resolve(r.counts);
      await new Promise((done) => setTimeout(done, 0));
    },
    mostInFlight: () => mostInFlight,
  };
}

function listOf(store: ReturnType<typeof experimentsStore>, now: () => number = () => 0) {
  const shown: FreshAnswer<Counts>[] = [];
  const list = new FreshRead(store.read, (a) => shown.push(a), now);
  return { list, shown, counts: () => shown.map((a) => a.data) };
}

describe('the Experiments list’s counts after a run.status push', () => {
  it('never shows the answer of a read asked before a push heard since: the read asked after it is shown instead', async () => {
    const store = experimentsStore();
    const { list, counts } = listOf(store);
    list.heard(); // the screen opens: read 0, the run queued
    await store.answer(0);
    expect(counts()).toEqual([{ queued: 1, running: 0, completed: 0 }]);
    // The run starts: a push, and read 1 is asked at once.
    store.set({ queued: 0, running: 1, completed: 0 });
    list.heard();
    expect(store.asked).toHaveLength(2);
    // It completes before read 1 answers: its push comes, then read 1's answer (running) lands.
    store.set({ queued: 0, running: 0, completed: 1 });
    list.heard();
    expect(store.asked).toHaveLength(2); // one read at a time: the next is asked when read 1 answers
    await store.answer(1);
    // The old code showed "1 running" here, after the completed push, until its throttled read.
    expect(counts()).toEqual([{ queued: 1, running: 0, completed: 0 }]);
    expect(store.asked).toHaveLength(3);
    await store.answer(2);
    expect(counts().at(-1)).toEqual({ queued: 0, running: 0, completed: 1 });
    expect(counts()).not.toContainEqual({ queued: 0, running: 1, completed: 0 });
  });

  it('reads at once on a push heard while no read is under way, and shows its answer', async () => {
    const store = experimentsStore();
    const { list, counts } = listOf(store);
    list.heard();
    await store.answer(0);
    store.set({ queued: 0, running: 0, completed: 1 });
    list.heard();
    expect(store.asked).toHaveLength(2);
    await store.answer(1);
    expect(counts()).toEqual([
      { queued: 1, running: 0, completed: 0 },
      { queued: 0, running: 0, completed: 1 },
    ]);
  });

  it('asks one read more for a burst of 100 pushes, never two at once, and shows the counts after the last', async () => {
    const store = experimentsStore();
    const { list, counts } = listOf(store);
    list.heard();
    await store.answer(0);
    store.set({ queued: 100, running: 0, completed: 0 });
    list.heard(); // read 1, the sweep queued
    for (let i = 1; i <= 100; i++) {
      store.set({ queued: 0, running: 0, completed: i });
      list.heard();
    }
    expect(store.asked).toHaveLength(2);
    await store.answer(1);
    expect(store.asked).toHaveLength(3);
    await store.answer(2);
    expect(store.asked).toHaveLength(3);
    expect(store.mostInFlight()).toBe(1);
    expect(counts()).toEqual([
      { queued: 1, running: 0, completed: 0 },
      { queued: 0, running: 0, completed: 100 },
    ]);
  });

  it('with pushes coming faster than reads answer, still moves once they have kept it back for BURST_LIMIT_MS, and catches up after the last', async () => {
    const store = experimentsStore();
    let now = 0;
    const { list, counts } = listOf(store, () => now);
    list.heard();
    await store.answer(0);
    // A push every 100 ms, each read answering 150 ms after it is asked: every answer is out of date.
    let completed = 0;
    const push = () => {
      store.set({ queued: 0, running: 1, completed: ++completed });
      list.heard();
    };
    push(); // read 1 at 0 ms
    let answered = 1;
    for (now = 100; now <= 3000; now += 50) {
      if (now % 100 === 0) push();
      const asked = store.asked.length - 1;
      if (asked === answered && now % 150 === 0) await store.answer(answered++);
    }
    const during = counts().slice(1);
    // Not every out-of-date answer is shown, but the list has moved more than once, forwards only.
    expect(during.length).toBeGreaterThan(1);
    expect(during.length).toBeLessThan(answered - 1);
    const done = during.map((c) => c!.completed);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    // The pushes stop: the read under way is out of date, the next is not, and it is shown.
    while (store.asked.length > answered) await store.answer(answered++);
    expect(counts().at(-1)).toEqual({ queued: 0, running: 1, completed });
    expect(store.mostInFlight()).toBe(1);
  });

  it('waits BURST_LIMIT_MS from the first push not shown: a quick run’s three pushes within it show none of the reads asked before them', async () => {
    const store = experimentsStore();
    let now = 0;
    const { list, counts } = listOf(store, () => now);
    list.heard();
    await store.answer(0);
    now = 10_000; // the list has shown the same counts for long: that alone lets no old answer in
    store.set({ queued: 0, running: 1, completed: 0 });
    list.heard();
    now += BURST_LIMIT_MS - 1;
    store.set({ queued: 0, running: 0, completed: 1 });
    list.heard();
    await store.answer(1);
    expect(counts()).toHaveLength(1);
    await store.answer(2);
    expect(counts().at(-1)).toEqual({ queued: 0, running: 0, completed: 1 });
  });

  it('drops an out-of-date read’s failure too, and shows a current failure beside the counts kept', async () => {
    const store = experimentsStore();
    const { list, shown } = listOf(store);
    list.heard();
    await store.answer(0);
    list.heard();
    list.heard();
    await store.answer(1, new Error('the database is locked'));
    expect(shown).toHaveLength(1);
    await store.answer(2, new Error('the database is damaged'));
    expect(shown.at(-1)).toEqual({ data: { queued: 1, running: 0, completed: 0 }, error: new Error('the database is damaged') });
    list.heard();
    await store.answer(3);
    expect(shown.at(-1)).toEqual({ data: { queued: 1, running: 0, completed: 0 } });
  });

  it('shows nothing and reads no more once closed (the screen has gone)', async () => {
    const store = experimentsStore();
    const { list, shown } = listOf(store);
    list.heard();
    list.heard();
    list.close();
    await store.answer(0);
    list.heard();
    expect(store.asked).toHaveLength(1);
    expect(shown).toHaveLength(0);
  });
});
