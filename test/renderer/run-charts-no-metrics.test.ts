// Run detail of a run that ended without a metric (failed before its first episode) showed the
// smoothing, min–max band and full y range controls over no chart. They are left out there; a
// run that is queued or training keeps them (its curves are coming), as does any run with metrics
// (the e2e charts specs use them).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../src/shared/dto';
import type { CurveSnapshotState } from '../../src/renderer/src/curve-snapshot';
import { LearningCurves } from '../../src/renderer/src/components/run-charts';

const snapshot: CurveSnapshotState = { episodes: null, curves: new Map(), all: new Set(), advance: () => {}, setVisible: () => {}, setAll: () => {} };
const smoothing = { weight: 0, auto: false, set: () => {}, setAuto: () => {} };

function html(status: RunDetail['status'], metrics: string[], active: boolean): string {
  const run = { id: 1, status, metrics, episodesDone: 0, episodesTotal: 100, metricRanges: {} } as unknown as RunDetail;
  return renderToStaticMarkup(createElement(LearningCurves, { run, active, query: new URLSearchParams(), smoothing, curves: snapshot }));
}

describe('Run detail learning-curve controls', () => {
  it('are left out beside a run that ended with no metric, which says so', () => {
    const failed = html('failed', [], false);
    expect(failed).toContain('This run recorded no metrics.');
    for (const id of ['smoothing', 'band', 'full-y']) expect(failed).not.toContain(`data-testid="${id}"`);
  });

  it('stay beside a queued run, whose curves are to come', () => {
    const queued = html('queued', [], true);
    for (const id of ['smoothing', 'band', 'full-y']) expect(queued).toContain(`data-testid="${id}"`);
  });
});
