// The browser-mode host keeps its last REPLAY_EVENTS (2,000) events for a page whose stream was
// closed or taken over. An off-policy evaluation of 100,000 resamples pushes ~700 logs.progress
// events in its minute: three of them pushed out a run.status event a page missed, which it was then
// told was lost ("gap": every screen read again). A page needs only an evaluation's latest progress:
// the host now keeps that one, and the other events as before.
import { describe, expect, it } from 'vitest';
import { RecentEvents, REPLAY_EVENTS } from '../../src/main/host/recent-events';

/** The replayed events, as "event id". */
const events = (text: string | undefined) => (text === undefined ? undefined : [...text.matchAll(/^id: (\d+)\nevent: (\S+)$/gm)].map((m) => `${m[2]} ${m[1]}`));

describe('RecentEvents and off-policy progress', () => {
  it('keeps a run.status a page missed through three long evaluations, and only the latest progress of each', () => {
    const recent = new RecentEvents(REPLAY_EVENTS);
    recent.add('run.status', { runId: 7, status: 'running' });
    const seen = recent.lastId;
    recent.add('run.status', { runId: 7, status: 'completed' });
    let last = 0;
    for (const evaluationId of ['ope-a', 'ope-b', 'ope-c']) {
      for (let done = 143; done <= 100_000; done += 143) recent.add('logs.progress', { evaluationId, done, total: 100_000, target: 0, targets: 1 });
      last = recent.lastId;
    }
    expect(last).toBeGreaterThan(REPLAY_EVENTS);
    // Missed since the first status: the second, then each evaluation's last progress, in order.
    expect(events(recent.since(seen))).toEqual(['run.status 2', `logs.progress ${2 + 699}`, `logs.progress ${2 + 2 * 699}`, `logs.progress ${last}`]);
    expect(recent.since(seen)).toContain('data: {"evaluationId":"ope-c","done":99957,"total":100000,"target":0,"targets":1}');
    // A page that saw a progress replaced since is sent what followed it, without a gap.
    expect(events(recent.since(100))).toEqual([`logs.progress ${2 + 699}`, `logs.progress ${2 + 2 * 699}`, `logs.progress ${last}`]);
    expect(events(recent.since(last - 1))).toEqual([`logs.progress ${last}`]);
    expect(recent.since(last)).toBe('');
  });

  it('keeps evaluations under way at once apart, and other events as before', () => {
    const recent = new RecentEvents(3);
    recent.add('logs.progress', { evaluationId: 'a', done: 1, total: 10, target: 0, targets: 1 });
    recent.add('logs.progress', { evaluationId: 'b', done: 1, total: 10, target: 0, targets: 1 });
    recent.add('logs.progress', { evaluationId: 'a', done: 2, total: 10, target: 0, targets: 1 });
    recent.add('experiments.changed', { experimentId: 1 });
    expect(events(recent.since(0))).toEqual(['logs.progress 2', 'logs.progress 3', 'experiments.changed 4']);
    // Events let go for room are still a gap for a page that missed them.
    recent.add('experiments.changed', { experimentId: 2 });
    recent.add('experiments.changed', { experimentId: 3 });
    expect(events(recent.since(3))).toEqual(['experiments.changed 4', 'experiments.changed 5', 'experiments.changed 6']);
    expect(recent.since(2)).toBeUndefined();
    expect(recent.since(7)).toBeUndefined();
  });
});
