/**
 * Compare's Save report and Save chart: the comparison as Markdown (compare-report.ts, what
 * `aisle compare --markdown` prints) and the chart as a PNG, saved (desktop) or downloaded
 * (browser) as Run detail's Metrics CSV is, with a line saying where.
 */
import { useState, type ReactNode } from 'react';
import { compareFileStem, compareReport } from '../../../shared/compare-report';
import type { CompareResult, ExperimentSummary } from '../../../shared/dto';
import { plural } from '../../../shared/text';
import { useClient } from '../api';
import { useChartTheme } from '../color-scheme';
import { focusIsLost, useFocusAfterRender } from '../focus';
import { BlockableButton } from './blockable-button';
import { ErrorLine } from './error-line';
import { saveBlob, saveText } from './policy-files';
import { StatusLine } from './status-line';

export interface CompareSaveOptions {
  /**
   * The comparison shown, when it answers the selection given (`experimentIds`, `runIds`), or
   * undefined (nothing picked, loading, refused, or an answer to the selection before).
   */
  readonly result: CompareResult | undefined;
  /** Why there is nothing to save, or null. */
  readonly blocker: string | null;
  readonly experimentIds: readonly number[];
  readonly runIds: readonly number[];
  /** The setting the parameter study puts on x, as the address names it (null: the study's own choice). */
  readonly studyX: string | null;
  /** The experiments as listed, for their names in the report (a missing one is named by its number). */
  readonly experiments: readonly Pick<ExperimentSummary, 'id' | 'name'>[] | undefined;
  /** The chart's canvas, when it is drawn. */
  readonly chart: () => HTMLCanvasElement | null;
}

/**
 * The canvas as a PNG on `background`: chart.js leaves the canvas transparent (the panel shows
 * through), and a transparent chart pasted into a document loses its axes on a dark page or its
 * dark-scheme text on a light one.
 */
function chartPng(canvas: HTMLCanvasElement, background: string): Promise<Blob> {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const context = out.getContext('2d');
  if (!context) return Promise.reject(new Error('the browser gave no canvas to draw the chart on'));
  context.fillStyle = background;
  context.fillRect(0, 0, out.width, out.height);
  context.drawImage(canvas, 0, 0);
  return new Promise((resolve, reject) => out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the chart could not be encoded as a PNG'))), 'image/png'));
}

/** The two buttons, for the screen's heading row, and what they said, for under it. */
export function useCompareSave({ result, blocker, experimentIds, runIds, studyX, experiments, chart }: CompareSaveOptions): { buttons: ReactNode; status: ReactNode } {
  const client = useClient();
  const theme = useChartTheme();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<{ what: string; error: unknown } | null>(null);
  const stem = compareFileStem(experimentIds, runIds);
  const focusAfterRender = useFocusAfterRender();

  // Both buttons are disabled while one saves, which drops focus to <body> (Save chart's PNG takes a
  // moment to encode, a desktop save dialog longer): the button pressed takes it back once done, as
  // Metrics CSV does, unless something else took it meanwhile.
  const save = async (what: 'Save report' | 'Save chart', write: () => Promise<string | null>) => {
    setBusy(true);
    setSaved(null);
    setError(null);
    try {
      const said = await write();
      if (said) setSaved(said);
    } catch (e) {
      setError({ what, error: e });
    } finally {
      setBusy(false);
      const testId = what === 'Save report' ? 'compare-save-report' : 'compare-save-chart';
      focusAfterRender(() => (focusIsLost() ? document.querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`) : null));
    }
  };

  const saveReport = (shown: CompareResult) =>
    save('Save report', async () => {
      const named = experimentIds.map((id) => ({ id, name: experiments?.find((e) => e.id === id)?.name }));
      const text = compareReport({ result: shown, experiments: named, runIds, seed: 0, studyX });
      const outcome = await saveText(client, { title: 'Save comparison report', defaultName: `${stem}.md`, text, type: 'text/markdown' });
      return outcome.saved ? `Report on ${plural(shown.groups.length, 'group')} saved to ${outcome.where}.` : null;
    });

  const saveChart = () =>
    save('Save chart', async () => {
      const canvas = chart();
      if (!canvas) throw new Error('the chart is not drawn yet');
      const blob = await chartPng(canvas, theme.background);
      const outcome = await saveBlob(client, { title: 'Save chart', defaultName: `${stem}.png`, blob });
      return outcome.saved ? `Chart (PNG, ${canvas.width} × ${canvas.height} pixels) saved to ${outcome.where}.` : null;
    });

  return {
    buttons: (
      <>
        <BlockableButton blocker={blocker} blockerTestId="compare-save-blocker" popup disabled={busy} onClick={() => result && void saveReport(result)} data-testid="compare-save-report">
          Save report
        </BlockableButton>
        <BlockableButton blocker={blocker} popup disabled={busy} onClick={() => void saveChart()} data-testid="compare-save-chart">
          Save chart
        </BlockableButton>
      </>
    ),
    status: (
      <>
        {error && <ErrorLine error={error.error} prefix={`${error.what}: `} />}
        <StatusLine text={saved} className="notice" testId="compare-saved" />
      </>
    ),
  };
}
