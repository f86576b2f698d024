// A line said in answer to a button that keeps focus (Q-tables' Find, Run detail's Metrics CSV,
// Compare's Save report and Save chart, the Experiments screen's Export results… and Import results…,
// Runs' Cancel runs when another process trains them) is in a polite status that is on the page before the line:
// a status that comes with its text is not reliably read (fields.tsx's Problems does the same), and
// each of these came with its text, so a screen reader could say nothing after the press.
import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { ClientProvider } from '../../src/renderer/src/api';
import { DatabaseWaitNotice } from '../../src/renderer/src/components/database-wait';
import { useCompareSave } from '../../src/renderer/src/components/compare-save';
import { ExportResultsButton, useResultsImport } from '../../src/renderer/src/components/experiments-results';
import { OpeEvaluationStatus } from '../../src/renderer/src/components/ope-status';
import { MetricsCsvError, RunHeader } from '../../src/renderer/src/components/run-header';
import { SelectionToolbar, type RunSelection } from '../../src/renderer/src/components/runs-selection';
import { StateFinder } from '../../src/renderer/src/screens/qtables';
import type { Client } from '../../src/shared/client';
import type { RunDetail } from '../../src/shared/dto';

// The chart's colours are read from the page's scheme (useSyncExternalStore, no server snapshot): fixed here.
vi.mock('../../src/renderer/src/color-scheme', () => ({ useChartTheme: () => ({}) }));

const withClient = (children: ReactNode) => renderToStaticMarkup(createElement(ClientProvider, { client: { door: 'browser' } as Client, children }));

/** The elements of `html` with role="status", as their opening tags and text. */
const statuses = (html: string) => [...html.matchAll(/<(div|span|p)[^>]*role="status"[^>]*>([^<]*)/g)].map((m) => ({ tag: m[0], text: m[2] }));

describe('a status there before its line', () => {
  it('Q-tables’ Find: the result’s status is on the page, empty, before the first Find', () => {
    const html = renderToStaticMarkup(createElement(StateFinder, { states: ['r0c0', 'r0c1'], onFound: () => {} }));
    expect(statuses(html)).toEqual([{ tag: expect.stringContaining('data-testid="qt-find-result"'), text: '' }]);
  });

  it('Run detail: the Metrics CSV line’s status is on the page before anything is saved', () => {
    const run = { id: 7, status: 'completed', experimentId: 3, episodesTotal: 300, resumableAt: null, elsewhere: null, checkpoints: [], metrics: ['return'] } as unknown as RunDetail;
    const html = withClient(createElement(RunHeader, { run, active: false, episodesDone: 300, onCancelled: () => {}, csv: { busy: false, error: null, saved: null, save: () => Promise.resolve() } }));
    expect(html).toContain('data-testid="metrics-csv"');
    expect(statuses(html)).toEqual([{ tag: '<div role="status">', text: '' }]);
    expect(html).not.toContain('metrics-csv-saved');
  });

  it('Run detail: why a Metrics CSV failed is one line, under the header and on the page that says the run was deleted', () => {
    expect(renderToStaticMarkup(createElement(MetricsCsvError, { csv: { error: null } }))).toBe('');
    expect(renderToStaticMarkup(createElement(MetricsCsvError, { csv: { error: new Error('run 7 was deleted during the download: nothing was saved') } }))).toBe(
      '<div class="error" role="alert" data-testid="metrics-csv-error">Metrics CSV: run 7 was deleted during the download: nothing was saved</div>',
    );
  });

  it('Compare: the Save report and Save chart line’s status is on the page before anything is saved', () => {
    function Status() {
      const save = useCompareSave({ result: undefined, blocker: null, experimentIds: [1, 2], runIds: [], studyX: null, experiments: undefined, chart: () => null });
      return createElement('div', null, save.status);
    }
    const html = withClient(createElement(Status));
    expect(statuses(html)).toEqual([{ tag: '<div role="status">', text: '' }]);
    expect(html).not.toContain('compare-saved');
  });

  it('Experiments: Export results… and Import results… each have their status on the page before anything is done', () => {
    const exported = withClient(createElement(ExportResultsButton, { chosen: [] }));
    expect(statuses(exported)).toEqual([{ tag: '<div role="status">', text: '' }]);
    function Imported() {
      return createElement('div', null, useResultsImport(() => {}).outcome);
    }
    expect(statuses(withClient(createElement(Imported)))).toEqual([{ tag: '<div role="status">', text: '' }]);
  });

  it('Off-policy: “Evaluation cancelled.” has its status on the page before Cancel is pressed (Cancel leaves as it is)', () => {
    const html = renderToStaticMarkup(createElement(OpeEvaluationStatus, { running: null, seconds: 0, cancelled: false }));
    expect(statuses(html)).toEqual([{ tag: '<div role="status">', text: '' }]);
    expect(renderToStaticMarkup(createElement(OpeEvaluationStatus, { running: null, seconds: 0, cancelled: true }))).toContain('<div role="status"><p class="muted" data-testid="ope-cancelled">Evaluation cancelled.</p></div>');
  });

  it('Runs: what Cancel runs could not cancel (runs another process trains) has its status on the page before Cancel is pressed', () => {
    const selection = { selected: new Set<number>(), hidden: 0, cancellable: [], notHere: null, progressed: [], comparable: [], actionError: null, notCancelled: null, selectionLine: { current: null } } as unknown as RunSelection;
    const html = renderToStaticMarkup(createElement(SelectionToolbar, { selection }));
    expect(html).toContain('data-testid="cancel-selected"');
    expect(statuses(html)).toEqual([{ tag: '<div role="status">', text: '' }]);
  });

  // Not an answer to a press, but a line that comes while the page is open, just the same.
  it('Run detail: the notice that a run waits for the database has its status on the page before the run starts waiting', () => {
    const html = withClient(createElement(DatabaseWaitNotice, { runId: 7 }));
    expect(statuses(html)).toEqual([{ tag: '<div role="status">', text: '' }]);
    expect(html).not.toContain('data-testid="database-wait"');
  });
});
