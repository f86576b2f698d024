/**
 * Saving files (policies, a run's metrics CSV, Compare's report and chart) and opening policy
 * files through whichever door the page came in by: Electron's native dialogs (the preload's
 * saveFile/openFiles; saveMetricsCsv, main writing the CSV itself), or in a browser a
 * download from a blob: URL (the metrics CSV, where the browser has a save picker, written to the
 * file picked) and an <input type=file>. The CSP's img-src lists blob:, but a download
 * link is a navigation, which the CSP does not govern, so `a[download]` with a blob: href works
 * under `default-src 'self'`.
 */
import { CallError, NO_ANSWER, type Client, type FetchedFile } from '../../../shared/client';
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
 * streams the file (METRICS_CSV_PATH); where the browser lets a page write a file it picks (the File
 * System Access API: Chromium's showSaveFilePicker) the bytes go there as they arrive, so the page
 * never holds the file either (up to ~1.8 GB: MAX_STREAMED_CSV_VALUES), and elsewhere (Firefox,
 * Safari) the page downloads the bytes it got, held as one Blob. In Electron main shows the save
 * dialog and writes the file itself (the preload's saveMetricsCsv).
 */
export async function saveMetricsCsv(client: Client, id: number): Promise<MetricsCsvOutcome> {
  if (client.fetchFile) {
    const name = `run-${id}-metrics.csv`;
    // Picked first, while the press still counts as the user's (the picker needs it): the file's
    // answer waits meanwhile, unread, and the host would cut it after a minute without progress.
    const picked = await pickFile(name);
    if (picked === 'cancelled') return { saved: false };
    const file = await client.fetchFile(`${METRICS_CSV_PATH}${id}`, 'runs.metricsCsv').catch(async (e: unknown) => {
      if (picked !== 'none') await removeFile(picked);
      throw e;
    });
    const counts = { episodes: Number(file.header(EPISODES_HEADER)), metrics: Number(file.header(METRICS_HEADER)) };
    if (picked !== 'none') return { ...(await streamInto(client, id, picked, file)), ...counts };
    let blob: Blob;
    try {
      blob = await file.blob();
    } catch (e) {
      throw await whyCut(client, id, e, 'nothing was saved');
    }
    return { ...download(blob, name), ...counts };
  }
  if (!window.aisle) throw new Error('the native save dialog exists only in the desktop app');
  const saved = await window.aisle.saveMetricsCsv(id);
  if (!saved.ok) throw new CallError('runs.metricsCsv', saved.error);
  return saved.saved ? { saved: true, where: saved.path, episodes: saved.episodes, metrics: saved.metrics } : { saved: false };
}

/** What Chromium's save picker gives (lib.dom has the handle, not the picker: no other engine has it). */
interface PickedFile {
  readonly name: string;
  createWritable(): Promise<WritableStream<Uint8Array>>;
  /** Chromium's FileSystemHandle.remove (since 110): deletes the file. */
  remove?(): Promise<void>;
}

type SavePicker = (options: { suggestedName: string; types: { description: string; accept: Record<string, string[]> }[] }) => Promise<PickedFile>;

/**
 * The file the user picks to save `name` to; 'none' where the browser has no save picker (or
 * refuses to show it: a page in a frame), 'cancelled' when the user closed it.
 */
async function pickFile(name: string): Promise<PickedFile | 'none' | 'cancelled'> {
  const picker = (window as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  if (typeof picker !== 'function') return 'none';
  try {
    return await picker.call(window, { suggestedName: name, types: [{ description: 'CSV file', accept: { 'text/csv': ['.csv'] } }] });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') return 'cancelled';
    return 'none'; // the download still saves it
  }
}

/**
 * The fetched file's bytes written to `picked` as they arrive, one piece at a time: a piece is read
 * only once the one before is written, so a slow disk slows the host's making rather than filling
 * the page. A connection cut before the end (the run deleted meanwhile, Aisle stopped) or a write
 * that fails discards what was written (the writable's changes land only when it is closed) and
 * removes the picked file where the browser can.
 */
async function streamInto(client: Client, id: number, picked: PickedFile, file: FetchedFile): Promise<{ saved: true; where: string }> {
  let writer: WritableStreamDefaultWriter<Uint8Array>;
  try {
    writer = (await picked.createWritable()).getWriter();
  } catch (e) {
    void file.body.cancel().catch(() => {});
    throw writeError(picked, e, await removeFile(picked));
  }
  const reader = file.body.getReader();
  let failed: { cut: unknown } | { write: unknown } | null = null;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch (e) {
      failed = { cut: e };
      break;
    }
    if (next.done) break;
    try {
      await writer.write(next.value);
    } catch (e) {
      failed = { write: e };
      void reader.cancel().catch(() => {});
      break;
    }
  }
  if (failed === null) {
    try {
      await writer.close();
      return { saved: true, where: picked.name };
    } catch (e) {
      failed = { write: e };
    }
  }
  await writer.abort().catch(() => {});
  const removed = await removeFile(picked);
  if ('write' in failed) throw writeError(picked, failed.write, removed);
  throw await whyCut(client, id, failed.cut, removed ? `nothing was saved (the file begun, ${picked.name}, was removed)` : `nothing was saved to ${picked.name}: delete it`);
}

/** Removes a picked file that holds no CSV (its writing failed or never began); whether it could. */
async function removeFile(picked: PickedFile): Promise<boolean> {
  try {
    if (typeof picked.remove !== 'function') return false;
    await picked.remove();
    return true;
  } catch {
    return false;
  }
}

function writeError(picked: PickedFile, e: unknown, removed: boolean): CallError {
  const message = `could not write ${picked.name}: ${(e as Error).message}${removed ? ' (the file was removed)' : ''}: choose another folder`;
  return new CallError('runs.metricsCsv', { name: 'WriteError', message, status: 500 });
}

/**
 * Why a download's connection was cut before its end, `nothingSaved` said after it: the host ends
 * its answer early, without the chunked encoding's last chunk, when a piece cannot be made (the run
 * was deleted meanwhile: the next window of values is no longer stored) and when it stops, and the
 * browser says only "network error" for all of them. So the page asks whether the run is still
 * stored: no answer is Aisle gone, none stored the run deleted.
 */
async function whyCut(client: Client, id: number, cut: unknown, nothingSaved: string): Promise<CallError> {
  let stored: readonly number[];
  try {
    stored = await client.call('runs.stored', { ids: [id] });
  } catch (e) {
    return new CallError('runs.metricsCsv', { name: NO_ANSWER, message: `the download was cut, ${nothingSaved}: ${(e as Error).message}`, status: 500 });
  }
  if (!stored.includes(id)) return new CallError('runs.metricsCsv', { name: 'NotFound', message: `run ${id} was deleted during the download: ${nothingSaved}`, status: 404 });
  return new CallError('runs.metricsCsv', { name: NO_ANSWER, message: `the download was cut before its end (${(cut as Error).message}): ${nothingSaved}; press Metrics CSV again`, status: 500 });
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
