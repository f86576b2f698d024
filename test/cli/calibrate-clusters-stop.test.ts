// `aisle shop calibrate --items 2000` spends some 17 s clustering after it has read the file, in
// one synchronous step: under the stop signals that 8a3f5b27 gave the command, Ctrl-C then waited
// for the clustering to end and was lost, the catalog written and exit 0 (before that commit, with no
// handler, the signal ended it at once). The k-means now awaits `between` before each iteration (and
// every 10th starting centre), where the command lets a signal in and stops.
import { describe, expect, it } from 'vitest';
import { coPurchaseClusters } from '../../src/cli/calibrate';

/** Sessions of 6 items in two groups that are bought together (0–2, 3–5), and one session bridging them. */
function together(): Float64Array {
  const n = 6;
  const t = new Float64Array(n * n);
  const session = (items: number[]) => {
    for (const a of items) for (const b of items) t[a * n + b]! += 1;
  };
  for (let i = 0; i < 5; i++) {
    session([0, 1, 2]);
    session([3, 4, 5]);
  }
  session([2, 3]);
  return t;
}

describe('co-purchase clustering, stoppable', () => {
  it('awaits `between` before its iterations, and stops where it throws', async () => {
    let calls = 0;
    const clusters = await coPurchaseClusters(together(), 6, 2, async () => {
      calls++;
    });
    expect(Array.from(clusters)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(calls).toBeGreaterThan(0);
    // The default waits for nothing and gives the same clusters.
    expect(Array.from(await coPurchaseClusters(together(), 6, 2))).toEqual([0, 0, 0, 1, 1, 1]);
    const stopped = new Error('stopped');
    await expect(
      coPurchaseClusters(together(), 6, 2, () => Promise.reject(stopped)),
    ).rejects.toBe(stopped);
  });
});
