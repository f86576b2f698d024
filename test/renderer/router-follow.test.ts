// The router's subscription to the address: a hash written between the first render and the
// subscription (whose hashchange came before anyone listened) is caught up at once, not lost.
import { describe, expect, it } from 'vitest';
import { ROUTE_WRITTEN, followHash, type HashWindow } from '../../src/renderer/src/router';

function fakeWindow(hash: string): HashWindow & EventTarget & { location: { hash: string } } {
  return Object.assign(new EventTarget(), { location: { hash } });
}

describe('followHash', () => {
  it('catches up at once with a hash written before it subscribed', () => {
    const win = fakeWindow('#/experiments');
    const seen: string[] = [];
    // The first render read #/experiments; the address changed before the effect ran.
    win.location.hash = '#/off-policy';
    const stop = followHash(win, '#/experiments', (h) => seen.push(h));
    expect(seen).toEqual(['#/off-policy']);
    // Its hashchange, if it comes after all, changes nothing more.
    win.dispatchEvent(new Event('hashchange'));
    expect(seen).toEqual(['#/off-policy']);
    stop();
  });

  it('follows hashchange and the app’s own writes, once per new hash, until unsubscribed', () => {
    const win = fakeWindow('#/runs');
    const seen: string[] = [];
    const stop = followHash(win, '#/runs', (h) => seen.push(h));
    expect(seen).toEqual([]);
    win.location.hash = '#/runs/12';
    win.dispatchEvent(new Event(ROUTE_WRITTEN));
    win.dispatchEvent(new Event('hashchange'));
    expect(seen).toEqual(['#/runs/12']);
    win.location.hash = '#/compare?runs=1,2';
    win.dispatchEvent(new Event('hashchange'));
    expect(seen).toEqual(['#/runs/12', '#/compare?runs=1,2']);
    stop();
    win.location.hash = '#/policies';
    win.dispatchEvent(new Event('hashchange'));
    expect(seen).toHaveLength(2);
  });
});
