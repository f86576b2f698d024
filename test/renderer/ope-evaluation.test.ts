// The Off-policy screen's evaluation under way lived in the screen: a user who started a long one
// (Resamples 100,000: a minute), left the screen and came back found no progress and no Cancel for
// it, could press Evaluate again (two at once, the older's results arriving over the newer's), and
// the results of one that ended after their return were not shown until they left and came back
// again. It now lives in OneEvaluation, outside the screen: these tests hold what a screen coming
// back reads there.
import { describe, expect, it } from 'vitest';
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayloads } from '../../src/shared/contract';
import type { LogsEvaluation } from '../../src/shared/dto';
import { OneEvaluation } from '../../src/renderer/src/ope-evaluation';

type EvaluateInput = Omit<CommandInput<'logs.evaluate'>, 'evaluationId'>;

/** A service whose calls answer when the test says, and whose pushes reach the listeners at once. */
function service() {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const asked: { command: CommandName; input: unknown; resolve: (value: unknown) => void; reject: (e: unknown) => void }[] = [];
  const client = {
    call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
      return new Promise((resolve, reject) => asked.push({ command, input, resolve: resolve as (value: unknown) => void, reject }));
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
      const all = listeners.get(event) ?? new Set();
      listeners.set(event, all);
      all.add(listener as (payload: unknown) => void);
      return () => void all.delete(listener as (payload: unknown) => void);
    },
  };
  const push = (progress: EventPayloads['logs.progress']) => {
    for (const l of listeners.get('logs.progress') ?? []) l(progress);
  };
  const of = (command: CommandName) => asked.filter((a) => a.command === command);
  return { client, asked, push, of, listening: () => listeners.get('logs.progress')?.size ?? 0 };
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
    expect(evaluation.snapshot()).toEqual({ running: null, settled: { id: 'ope-1', asked: { key: 'A' }, outcome: { reply: { ok: false, problems: [], cancelled: true } } } });
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
    expect(evaluation.snapshot()).toEqual({ running: null, settled: null });
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
