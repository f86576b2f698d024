// The Off-policy screen's evaluation under way lived in the screen: a user who started a long one
// (Resamples 100,000: a minute), left the screen and came back found no progress and no Cancel for
// it, could press Evaluate again (two at once, the older's results arriving over the newer's), and
// the results of one that ended after their return were not shown until they left and came back
// again. It now lives in OneEvaluation, outside the screen: these tests hold what a screen coming
// back reads there.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandInput, CommandName, CommandOutput, EventPayloads } from '../../src/shared/contract';
import type { LogsEvaluation } from '../../src/shared/dto';
import { afterEvaluation, evaluationProblems, OneEvaluation, sessionNote, STOPPED_BY_RELOAD, type EvaluationNote, type ShownProblems } from '../../src/renderer/src/ope-evaluation';
import { CallError, NO_ANSWER } from '../../src/shared/client';
import { pushes } from '../helpers/pushes';

type EvaluateInput = Omit<CommandInput<'logs.evaluate'>, 'evaluationId'>;

/** A service whose calls answer when the test says, and whose pushes reach the listeners at once. */
function service() {
  const events = pushes();
  const asked: { command: CommandName; input: unknown; resolve: (value: unknown) => void; reject: (e: unknown) => void }[] = [];
  const client = {
    call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
      return new Promise((resolve, reject) => asked.push({ command, input, resolve: resolve as (value: unknown) => void, reject }));
    },
    on: events.on,
  };
  const push = (progress: EventPayloads['logs.progress']) => {
    events.push('logs.progress', progress);
  };
  const of = (command: CommandName) => asked.filter((a) => a.command === command);
  return { client, asked, push, of, listening: () => events.listening('logs.progress') };
}

const input = { fileName: 'logs.csv', text: 'action,reward,pscore\n', resamples: 100_000 } as unknown as EvaluateInput;
const result = { logged: { point: 0.1 } } as unknown as LogsEvaluation;
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('OneEvaluation', () => {
  it('keeps the evaluation under way and its latest progress while no screen listens, and refuses a second', async () => {
    const s = service();
    let names = 0;
    const evaluation = new OneEvaluation<{ key: string }>(() => `ope-${++names}`);
    const id = evaluation.start(s.client, input, { key: 'A' });
    expect(id).toBe('ope-1');
    expect(s.of('logs.evaluate').map((a) => a.input)).toEqual([{ ...input, evaluationId: 'ope-1' }]);
    expect(evaluation.snapshot().running).toMatchObject({ id: 'ope-1', progress: null, asked: { key: 'A' } });

    // The screen is left: nothing subscribes to the store; the pushes are still followed.
    s.push({ evaluationId: 'ope-1', done: 41_000, total: 100_000, target: 0, targets: 1 });
    s.push({ evaluationId: 'another-tab', done: 99, total: 100, target: 0, targets: 1 });
    // Back on the screen: the progress of the evaluation still running.
    expect(evaluation.snapshot().running?.progress).toEqual({ evaluationId: 'ope-1', done: 41_000, total: 100_000, target: 0, targets: 1 });

    // Evaluate again while it runs: nothing more starts.
    expect(evaluation.start(s.client, { ...input, resamples: 10 }, { key: 'B' })).toBeNull();
    expect(s.of('logs.evaluate')).toHaveLength(1);
    expect(evaluation.snapshot().running?.asked).toEqual({ key: 'A' });

    // Cancel stops it by its name.
    const cancelling = evaluation.cancel(s.client);
    expect(s.of('logs.cancelEvaluation').map((a) => a.input)).toEqual([{ evaluationId: 'ope-1' }]);
    s.of('logs.cancelEvaluation')[0]!.resolve({ evaluationId: 'ope-1' });
    await cancelling;
    s.of('logs.evaluate')[0]!.resolve({ ok: false, problems: [], cancelled: true });
    await settle();
    expect(evaluation.snapshot()).toEqual({ running: null, settled: { id: 'ope-1', asked: { key: 'A' }, outcome: { reply: { ok: false, problems: [], cancelled: true } } }, cancelled: { key: 'A' } });
    expect(s.listening()).toBe(0);
    // Then another may start.
    expect(evaluation.start(s.client, input, { key: 'B' })).toBe('ope-2');
  });

  it('keeps the outcome of an evaluation that ended while the screen was away until the screen takes it, once', async () => {
    const s = service();
    const evaluation = new OneEvaluation<{ key: string }>(() => 'ope-1');
    const heard: string[] = [];
    const unsubscribe = evaluation.subscribe(() => heard.push(evaluation.snapshot().running ? 'running' : 'ended'));
    evaluation.start(s.client, input, { key: 'A' });
    s.push({ evaluationId: 'ope-1', done: 1000, total: 100_000, target: 0, targets: 1 });
    expect(heard).toEqual(['running', 'running']);
    // The screen is left.
    unsubscribe();
    s.of('logs.evaluate')[0]!.resolve({ ok: true, result });
    await settle();
    // Back: the results, for the choices they were asked with (the screen marks them stale if those changed).
    const taken = evaluation.take();
    expect(taken).toEqual({ id: 'ope-1', asked: { key: 'A' }, outcome: { reply: { ok: true, result } } });
    expect(evaluation.take()).toBeNull();
    expect(evaluation.snapshot()).toEqual({ running: null, settled: null, cancelled: null });
  });

  // "Evaluation cancelled." lived in the screen's own state: a user who pressed Cancel, left the
  // screen and came back found it gone (the results of before shown as if nothing had happened).
  it('keeps the word that the last evaluation was cancelled past the screen taking its outcome, until the next Evaluate', async () => {
    const s = service();
    let names = 0;
    const evaluation = new OneEvaluation<{ key: string }>(() => `ope-${++names}`);
    evaluation.start(s.client, input, { key: 'A' });
    expect(evaluation.snapshot().cancelled).toBeNull();
    void evaluation.cancel(s.client);
    s.of('logs.evaluate')[0]!.resolve({ ok: false, problems: [], cancelled: true });
    await settle();
    // The screen watching takes the outcome; then it is left and comes back: the word is still there.
    expect(evaluation.take()?.id).toBe('ope-1');
    expect(evaluation.snapshot()).toEqual({ running: null, settled: null, cancelled: { key: 'A' } });
    // The next Evaluate lets it go, and one that ends otherwise says nothing was cancelled.
    evaluation.start(s.client, input, { key: 'B' });
    expect(evaluation.snapshot().cancelled).toBeNull();
    s.of('logs.evaluate')[1]!.resolve({ ok: true, result });
    await settle();
    expect(evaluation.take()?.id).toBe('ope-2');
    expect(evaluation.snapshot().cancelled).toBeNull();
    // A failed call, or problems, are no cancel either.
    evaluation.start(s.client, input, { key: 'C' });
    s.of('logs.evaluate')[2]!.reject(new Error('the connection to Aisle was lost'));
    await settle();
    expect(evaluation.snapshot().cancelled).toBeNull();
  });

  it('keeps a failed call as its outcome, and Cancel after the end calls nothing', async () => {
    const s = service();
    const evaluation = new OneEvaluation<null>(() => 'ope-1');
    evaluation.start(s.client, input, null);
    const lost = new Error('the connection to Aisle was lost');
    s.of('logs.evaluate')[0]!.reject(lost);
    await settle();
    expect(evaluation.snapshot().settled?.outcome).toEqual({ error: lost });
    await evaluation.cancel(s.client);
    expect(s.of('logs.cancelEvaluation')).toHaveLength(0);
  });

  it('takes a 404 of Cancel (the evaluation ended meanwhile) quietly', async () => {
    const s = service();
    const evaluation = new OneEvaluation<null>(() => 'ope-1');
    evaluation.start(s.client, input, null);
    const cancelling = evaluation.cancel(s.client);
    s.of('logs.cancelEvaluation')[0]!.reject(new Error('evaluationId: no off-policy evaluation named "ope-1" is under way'));
    await expect(cancelling).resolves.toBeUndefined();
  });
});

// Reloading the page (browser mode, or the Electron window) mid-evaluation lost it: the page loaded
// again knew nothing of it, and the app stopped it as its page had gone. The store now notes the
// evaluation under way (the tab's sessionStorage in the app), and a page loaded again follows it
// (logs.followEvaluation: the app keeps it going a while for that), or says it was stopped.
describe('OneEvaluation on a page loaded again', () => {
  /** The tab's note, as sessionStorage keeps it across a reload. */
  const tabNote = () => {
    let text: string | null = null;
    return { read: () => text, write: (t: string | null) => void (text = t), text: () => text } satisfies EvaluationNote & { text(): string | null };
  };

  it('follows the evaluation the page before it started: its progress, Cancel and outcome', async () => {
    const note = tabNote();
    const before = service();
    const page1 = new OneEvaluation<{ key: string; fileName: string }>(() => 'ope-1', note);
    page1.start(before.client, input, { key: 'A', fileName: 'slow.csv' });
    const started = page1.snapshot().running!.started;
    expect(JSON.parse(note.text()!)).toEqual({ id: 'ope-1', started, asked: { key: 'A', fileName: 'slow.csv' } });

    // Reloaded: a new store over the same note; the old page's call never answers.
    const s = service();
    const page2 = new OneEvaluation<{ key: string; fileName: string }>(() => 'ope-9', note);
    expect(page2.resume(s.client)).toBe('ope-1');
    expect(s.of('logs.followEvaluation').map((a) => a.input)).toEqual([{ evaluationId: 'ope-1' }]);
    expect(page2.snapshot().running).toEqual({ id: 'ope-1', started, progress: null, asked: { key: 'A', fileName: 'slow.csv' } });
    // Once is enough (a screen mounted twice).
    expect(page2.resume(s.client)).toBeNull();
    expect(page2.start(s.client, input, { key: 'B', fileName: 'other.csv' })).toBeNull();
    s.push({ evaluationId: 'ope-1', done: 52_000, total: 100_000, target: 0, targets: 1 });
    expect(page2.snapshot().running?.progress?.done).toBe(52_000);

    void page2.cancel(s.client);
    expect(s.of('logs.cancelEvaluation').map((a) => a.input)).toEqual([{ evaluationId: 'ope-1' }]);
    s.of('logs.followEvaluation')[0]!.resolve({ ok: false, problems: [], cancelled: true });
    await settle();
    expect(page2.snapshot()).toMatchObject({ running: null, settled: { id: 'ope-1', outcome: { reply: { cancelled: true } } }, cancelled: { key: 'A' } });
    expect(s.listening()).toBe(0);
    // Ended: a further reload has nothing to follow.
    expect(note.text()).toBeNull();
    expect(new OneEvaluation(() => 'ope-10', note).resume(s.client)).toBeNull();
  });

  it('says the evaluation was stopped when the app no longer has it (a 404), and passes other failures on', async () => {
    const note = tabNote();
    note.write(JSON.stringify({ id: 'ope-1', started: 5, asked: { key: 'A' } }));
    const s = service();
    const page = new OneEvaluation<{ key: string }>(() => 'ope-2', note);
    page.resume(s.client);
    s.of('logs.followEvaluation')[0]!.reject(Object.assign(new Error('evaluationId: no off-policy evaluation named "ope-1" is under way or ended unseen'), { status: 404 }));
    await settle();
    const outcome = page.snapshot().settled?.outcome;
    expect(outcome && 'error' in outcome && (outcome.error as Error).message).toBe(STOPPED_BY_RELOAD);
    expect(STOPPED_BY_RELOAD).toBe('The evaluation under way when this page was loaded again was stopped: Aisle stops one that no page follows for 30 s, and when it quits. Press Evaluate again.');
    expect(note.text()).toBeNull();

    note.write(JSON.stringify({ id: 'ope-3', started: 5, asked: { key: 'A' } }));
    page.resume(s.client);
    const lost = new Error('the connection to Aisle was lost');
    s.of('logs.followEvaluation')[1]!.reject(lost);
    await settle();
    expect(page.snapshot().settled?.outcome).toEqual({ error: lost });
  });

  // Under load, Chromium failed the reloaded page's logs.evaluate ("Failed to fetch") before its
  // pagehide, so the failure rubbed the note out and the page loaded again followed nothing while
  // the app ran the evaluation on. A call that got no answer now leaves the note for that page.
  it('keeps the note when its call got no answer (the page going before its pagehide), but not for this page to follow again', async () => {
    const note = tabNote();
    const before = service();
    const page1 = new OneEvaluation<{ key: string }>(() => 'ope-1', note);
    page1.start(before.client, input, { key: 'A' });
    before.of('logs.evaluate')[0]!.reject(new CallError('logs.evaluate', { name: NO_ANSWER, message: 'Aisle is not reachable (Failed to fetch)', status: 500 }));
    await settle();
    expect(page1.snapshot().settled?.outcome).toMatchObject({ error: { name: NO_ANSWER } });
    expect(JSON.parse(note.text()!)).toMatchObject({ id: 'ope-1' });
    // The same page (its screen left and come back to) has seen it end: nothing to follow.
    expect(page1.resume(before.client)).toBeNull();
    expect(before.of('logs.followEvaluation')).toHaveLength(0);

    // The page loaded again follows it.
    const s = service();
    const page2 = new OneEvaluation<{ key: string }>(() => 'ope-2', note);
    expect(page2.resume(s.client)).toBe('ope-1');
    s.of('logs.followEvaluation')[0]!.resolve({ ok: false, problems: ['row 3: propensity 0'] });
    await settle();
    // Answered, whatever the answer: over, the note gone.
    expect(note.text()).toBeNull();

    // A failure the app answered (a 500 with its message) ends it too.
    page2.start(s.client, input, { key: 'B' });
    s.of('logs.evaluate')[0]!.reject(new CallError('logs.evaluate', { name: 'Error', message: 'the worker failed', status: 500 }));
    await settle();
    expect(note.text()).toBeNull();
  });

  describe('the note in sessionStorage', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });
    it('is kept while the page goes: its calls failing then must not rub it out', () => {
      const stored = new Map<string, string>();
      vi.stubGlobal('sessionStorage', { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v), removeItem: (k: string) => void stored.delete(k) });
      const page = new EventTarget();
      vi.stubGlobal('window', page);
      const note = sessionNote('aisle.off-policy.evaluation')!;
      note.write('{"id":"ope-1"}');
      expect(note.read()).toBe('{"id":"ope-1"}');
      page.dispatchEvent(new Event('pagehide'));
      note.write(null);
      expect(stored.get('aisle.off-policy.evaluation')).toBe('{"id":"ope-1"}');
      // Back from the back-forward cache: the page is its own again.
      page.dispatchEvent(new Event('pageshow'));
      note.write(null);
      expect(note.read()).toBeNull();
    });
  });

  it('follows nothing when nothing was noted, or the note is not its own', () => {
    const note = tabNote();
    const s = service();
    expect(new OneEvaluation(() => 'ope-1', note).resume(s.client)).toBeNull();
    note.write('{"id":3}');
    expect(new OneEvaluation(() => 'ope-1', note).resume(s.client)).toBeNull();
    expect(note.text()).toBeNull();
    note.write('not json');
    expect(new OneEvaluation(() => 'ope-1', note).resume(s.client)).toBeNull();
    expect(s.asked).toHaveLength(0);
  });
});

// An evaluation that failed (a malformed row, a policy these logs cannot evaluate) after the user
// changed the choices while it ran: the screen cleared the results shown before and kept the
// problems for the old choices' key, shown only while the choices were those, so it showed nothing
// at all for the Evaluate pressed. The problems now show, said to be of the choices Evaluate was
// pressed with, and the results shown before stay (marked stale by their own key).
describe('what an ended evaluation shows', () => {
  const asked = { key: 'A', before: { of: 'A', lines: [] } satisfies ShownProblems };
  const bad = { ok: false as const, problems: ['bad.csv:8: column "pscore": must be a decimal number in (0, 1]'] };
  const pressed: ShownProblems = { of: 'A', lines: [] };

  it('shows problems that come after the choices changed, as of the choices Evaluate was pressed with, keeping the results', () => {
    const view = afterEvaluation(asked, bad, 'B', pressed);
    expect(view).toEqual({ results: 'kept', problems: { of: 'A', lines: bad.problems, late: true }, cancelled: false, focus: 'problems' });
    // Shown with the choices changed (B), or with something stopping Evaluate now (no key), and as the choices' own once back on A.
    expect(evaluationProblems(view.problems, 'B')).toEqual({ lines: bad.problems, late: true });
    expect(evaluationProblems(view.problems, null)).toEqual({ lines: bad.problems, late: true });
    expect(evaluationProblems(view.problems, 'A')).toEqual({ lines: bad.problems, late: false });
    // The next Evaluate (problems of its key, none yet) or another file lets them go.
    expect(evaluationProblems({ of: 'B', lines: [] }, 'B')).toBeNull();
    expect(evaluationProblems({ of: 'file', lines: [] }, 'B')).toBeNull();
  });

  it('shows problems of the choices as they stand in place of the results, and hides them once the choices change', () => {
    const view = afterEvaluation(asked, bad, 'A', pressed);
    expect(view).toEqual({ results: 'cleared', problems: { of: 'A', lines: bad.problems }, cancelled: false, focus: 'problems' });
    expect(evaluationProblems(view.problems, 'A')).toEqual({ lines: bad.problems, late: false });
    expect(evaluationProblems(view.problems, 'B')).toBeNull();
  });

  it('shows results whenever they come, and a cancelled evaluation leaves the screen as it was before Evaluate', () => {
    expect(afterEvaluation(asked, { ok: true, result }, 'B', pressed)).toEqual({ results: 'new', problems: pressed, cancelled: false, focus: 'results' });
    const before: ShownProblems = { of: 'A', lines: ['an earlier problem'] };
    expect(afterEvaluation({ key: 'A', before }, { ok: false, problems: [], cancelled: true }, 'B', pressed)).toEqual({ results: 'kept', problems: before, cancelled: true, focus: null });
  });

  it('keeps the problems of a file picked while it ran, which are about what the screen shows', () => {
    const file: ShownProblems = { of: 'file', lines: ['short.csv:3: has 2 fields, the header has 3: check for a missing or extra comma'] };
    expect(afterEvaluation(asked, bad, null, file)).toEqual({ results: 'kept', problems: file, cancelled: false, focus: null });
    expect(evaluationProblems(file, null)).toBeNull();
  });
});
