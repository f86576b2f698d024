/**
 * Saving files (policies, a run's metrics CSV, Compare's report and chart) and opening policy
 * files through whichever door the page came in by: Electron's native dialogs (the preload's
 * saveFile/openFiles; saveMetricsCsv, main writing the CSV itself), or in a browser a
 * download from a blob: URL and an <input type=file>. The CSP's img-src lists blob:, but a download
 * link is a navigation, which the CSP does not govern, so `a[download]` with a blob: href works
 * under `default-src 'self'`.
 */
import { CallError, type Client } from '../../../shared/client';
import { EPISODES_HEADER, METRICS_CSV_PATH, METRICS_HEADER } from '../../../shared/http';

export type SaveOutcome = { saved: true; where: string } | { saved: false };

export async function saveText(client: Client, options: { title: string; defaultName: string; text: string; type?: string }): Promise<SaveOutcome> {
  if (client.door === 'electron' && window.aisle) {
    const result = await window.aisle.saveFile({ title: options.title, defaultName: options.defaultName, text: options.text });
    return result.saved ? { saved: true, where: result.path ?? options.defaultName } : { saved: false };
  }
  return download(new Blob([options.text], { type: options.type ?? 'application/json' }), options.defaultName);
}

/** Bytes (a chart's PNG) saved as saveText saves text: through the native dialog as base64, or downloaded. */
export async function saveBlob(client: Client, options: { title: string; defaultName: string; blob: Blob }): Promise<SaveOutcome> {
  if (client.door === 'electron' && window.aisle) {
    const result = await window.aisle.saveFile({ title: options.title, defaultName: options.defaultName, base64: base64Of(new Uint8Array(await options.blob.arrayBuffer())) });
    return result.saved ? { saved: true, where: result.path ?? options.defaultName } : { saved: false };
  }
  return download(options.blob, options.defaultName);
}

/** A run's metrics CSV, saved or downloaded: where, and how many episodes and metrics it holds. */
export type MetricsCsvOutcome = { saved: true; where: string; episodes: number; metrics: number } | { saved: false };

/**
 * Run detail's Metrics CSV, never held whole by the server nor sent as JSON: in a browser the host
 * streams the file (METRICS_CSV_PATH) and the page downloads the bytes it got; in Electron main
 * shows the save dialog and writes the file itself (the preload's saveMetricsCsv).
 */
export async function saveMetricsCsv(client: Client, id: number): Promise<MetricsCsvOutcome> {
  if (client.fetchFile) {
    const file = await client.fetchFile(`${METRICS_CSV_PATH}${id}`, 'runs.metricsCsv');
    const saved = download(file.blob, `run-${id}-metrics.csv`);
    return { ...saved, episodes: Number(file.header(EPISODES_HEADER)), metrics: Number(file.header(METRICS_HEADER)) };
  }
  if (!window.aisle) throw new Error('the native save dialog exists only in the desktop app');
  const saved = await window.aisle.saveMetricsCsv(id);
  if (!saved.ok) throw new CallError('runs.metricsCsv', saved.error);
  return saved.saved ? { saved: true, where: saved.path, episodes: saved.episodes, metrics: saved.metrics } : { saved: false };
}

export function base64Of(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function download(blob: Blob, name: string): { saved: true; where: string } {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference to the blob by now; the URL only needs to outlive the click.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return { saved: true, where: `your downloads (${name})` };
}

/** Electron only: the native open dialog, for policy files. */
export async function openPolicyFiles(): Promise<{ name: string; text: string }[]> {
  if (!window.aisle) throw new Error('the native open dialog exists only in the desktop app');
  return window.aisle.openFiles({ title: 'Import policy', filters: [{ name: 'Aisle policy', extensions: ['json'] }], multiple: true });
}
