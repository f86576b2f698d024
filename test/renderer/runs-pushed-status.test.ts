// The Runs list never shows a run at an earlier status than a run.status push already said: in the
// walk, the read a launch made (asked at 5950 ms, answered at 6018 ms) said run 12 was queued, the
// push that it had completed came at 6017 ms, and the list showed "queued" for the finished run
// until its next read at 6220 ms. Such a read is behind the push until a read catches up with it.
import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src/shared/dto';
import { pushesAhead, statusStage, withPushedStatuses, type PushedStatus } from '../../src/renderer/src/run-statuses';

const row = (id: number, status: RunStatus, error: string | null = null) => ({ id, status, error });
const statuses = (rows: readonly { status: RunStatus }[]) => rows.map((r) => r.status);

describe('the Runs list with pushed statuses', () => {
  it('shows the pushed completed over an older read’s queued, and the read’s own status once it has caught up', () => {
    // The walk's events and reads, in their order.
    let pushed: ReadonlyMap<number, PushedStatus> = new Map();
    const push = (runId: number, status: RunStatus) => (pushed = new Map(pushed).set(runId, { status }));
    push(10, 'running');
    const launchRead = [row(12, 'queued'), row(11, 'queued'), row(10, 'running')];
    pushed = pushesAhead(pushed, launchRead);
    expect(statuses(withPushedStatuses(launchRead, pushed))).toEqual(['queued', 'queued', 'running']);
    push(10, 'completed');
    push(11, 'running');
    push(11, 'completed');
    push(12, 'running');
    push(12, 'completed');
    // The read asked before those pushes answers after them.
    const lateRead = [row(12, 'queued'), row(11, 'completed'), row(10, 'completed')];
    pushed = pushesAhead(pushed, lateRead);
    expect(statuses(withPushedStatuses(lateRead, pushed))).toEqual(['completed', 'completed', 'completed']);
    expect([...pushed.keys()]).toEqual([12]);
    // The next read has caught up: nothing is laid over it any more.
    const nextRead = [row(12, 'completed'), row(11, 'completed'), row(10, 'completed')];
    pushed = pushesAhead(pushed, nextRead);
    expect(pushed.size).toBe(0);
    expect(withPushedStatuses(nextRead, pushed)).toBe(nextRead);
  });

  it('never puts a running over a stopped status, and carries a failed push’s error', () => {
    const pushed = new Map<number, PushedStatus>([
      [1, { status: 'running' }],
      [2, { status: 'failed', error: 'env: the MDP file is damaged' }],
      [3, { status: 'cancelled' }],
    ]);
    const read = [row(1, 'interrupted', 'the process that trained it stopped'), row(2, 'running'), row(3, 'queued')];
    const shown = withPushedStatuses(read, pushed);
    expect(shown.map((r) => [r.status, r.error])).toEqual([
      ['interrupted', 'the process that trained it stopped'],
      ['failed', 'env: the MDP file is damaged'],
      ['cancelled', null],
    ]);
    // The interrupted run's read is past its push, which goes; the other two wait for a read.
    expect([...pushesAhead(pushed, read).keys()]).toEqual([2, 3]);
  });

  it('keeps a push of a run the read does not list (a page read later may be older), and the same map when nothing caught up', () => {
    const pushed = new Map<number, PushedStatus>([[7, { status: 'completed' }]]);
    expect(pushesAhead(pushed, [row(8, 'queued')])).toBe(pushed);
    expect(statuses(withPushedStatuses([row(7, 'queued')], pushed))).toEqual(['completed']);
  });

  it('orders the statuses queued, running, then every stopped one (a resumed run is pushed queued anew)', () => {
    expect(statusStage('queued')).toBeLessThan(statusStage('running'));
    for (const stopped of ['completed', 'failed', 'cancelled', 'interrupted', 'paused'] as const) expect(statusStage(stopped)).toBeGreaterThan(statusStage('running'));
    // A resume's push (queued) does not hide a read's paused: the next read says queued itself.
    expect(statuses(withPushedStatuses([row(4, 'paused')], new Map([[4, { status: 'queued' as const }]])))).toEqual(['paused']);
  });
});
