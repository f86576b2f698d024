// A long off-policy evaluation in the app (Resamples 100,000: over a minute) tells its progress
// (`logs.progress`, tagged with the evaluationId the caller gave) and can be stopped:
// logs.cancelEvaluation terminates its worker, and logs.evaluate then answers a cancelled outcome,
// not a failure, once the worker has exited. An id that is not under way is a clear 404; one
// already under way a 409. The estimates are the same whether progress is followed or not.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayloads } from '../../src/shared/contract';
import { logsCsv, syntheticRows } from '../helpers/logs-csv';
import { openService, type TestService } from '../helpers/service';

let t: TestService;
beforeAll(() => {
  t = openService({ workers: 1 });
});
afterAll(async () => {
  await t.close();
});

/** 20,000 rows whose propensities differ, so that no two resample as one group: 100,000 resamples take long. */
function slowLogs(): string {
  const lines = ['action,reward,pscore,context'];
  for (let i = 0; i < 20_000; i++) lines.push(`a${i % 7},${(i * 31) % 11 === 0 ? 1 : 0},${(0.1 + ((i * 7919) % 1000) / 20_000).toFixed(5)},c${i % 3}`);
  return `${lines.join('\n')}\n`;
}

const progressOf = (evaluationId: string) => t.events.filter((e) => e.event === 'logs.progress' && (e.payload as EventPayloads['logs.progress']).evaluationId === evaluationId).map((e) => e.payload as EventPayloads['logs.progress']);

/** The threads of this process (Linux): a worker thread is one of them while it lives. */
const threads = () => Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);

async function until(what: string, holds: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('logs.cancelEvaluation', () => {
  it('stops an evaluation under way: it answers cancelled, without problems, once its worker is gone', { timeout: 120_000 }, async () => {
    const before = threads();
    const evaluation = t.call('logs.evaluate', { text: slowLogs(), fileName: 'slow.csv', targets: [{ kind: 'uniform' }], resamples: 100_000, evaluationId: 'slow-1' });
    await until('progress was told', () => progressOf('slow-1').length > 0);
    expect(threads()).toBeGreaterThan(before);
    const told = progressOf('slow-1')[0]!;
    expect(told).toMatchObject({ evaluationId: 'slow-1', total: 100_000, target: 0, targets: 1 });
    expect(told.done).toBeLessThan(100_000);
    expect(await t.call('logs.cancelEvaluation', { evaluationId: 'slow-1' })).toEqual({ evaluationId: 'slow-1' });
    expect(await evaluation).toEqual({ ok: false, problems: [], cancelled: true });
    expect(threads()).toBe(before);
    // Stopped, it is no longer under way: cancelling it again says so.
    const again = await t.fail('logs.cancelEvaluation', { evaluationId: 'slow-1' });
    expect(again).toMatchObject({ status: 404, message: 'evaluationId: no off-policy evaluation named "slow-1" is under way: it has finished, or was never started' });
  });

  it('refuses an id no evaluation has, or one that finished, with a 404; one under way twice with a 409', { timeout: 120_000 }, async () => {
    expect(await t.fail('logs.cancelEvaluation', { evaluationId: 'never' })).toMatchObject({ status: 404, message: expect.stringContaining('no off-policy evaluation named "never" is under way') });
    const text = logsCsv(syntheticRows(400, 3));
    const input = { text, fileName: 'logs.csv', where: { policy: 'uniform' }, targets: [{ kind: 'uniform' as const }, { kind: 'logs' as const, where: { policy: 'greedy' } }], resamples: 300, seed: 5 };
    const followed = await t.call('logs.evaluate', { ...input, evaluationId: 'quick' });
    expect(followed.ok).toBe(true);
    // Its last report is its end: both targets and the logs target's truth, 300 resamples each.
    expect(progressOf('quick').at(-1)).toEqual({ evaluationId: 'quick', done: 900, total: 900, target: 1, targets: 2 });
    const dones = progressOf('quick').map((p) => p.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect(await t.call('logs.evaluate', input)).toEqual(followed);
    expect(await t.fail('logs.cancelEvaluation', { evaluationId: 'quick' })).toMatchObject({ status: 404 });

    const slow = t.call('logs.evaluate', { text: slowLogs(), fileName: 'slow.csv', targets: [{ kind: 'uniform' }], resamples: 100_000, evaluationId: 'twice' });
    await until('progress was told', () => progressOf('twice').length > 0);
    expect(await t.fail('logs.evaluate', { ...input, evaluationId: 'twice' })).toMatchObject({ status: 409, message: expect.stringContaining('an off-policy evaluation named "twice" is already under way') });
    await t.call('logs.cancelEvaluation', { evaluationId: 'twice' });
    expect(await slow).toMatchObject({ cancelled: true });
  });
});
