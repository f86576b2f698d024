// Run detail's Metrics CSV in Chromium's browser mode: written to the file its save picker gives as
// the bytes arrive (the File System Access API), never held as one Blob; and a run deleted during
// the download saved whole all the same, read from the snapshot the download began in. Playwright
// cannot answer the real picker: the page's showSaveFilePicker is a stand-in whose file keeps what
// it is given (runs.spec's 'a curve per metric' downloads it as Firefox and Safari do, the picker
// taken away; the last test here deletes the run during that download too).
import { readFileSync } from 'node:fs';
import { launchAndWait, openScreen as open } from './arrange';
import { call, cliffExperiment, expect, test } from './fixtures';

/** What the stand-in picker's file got: its text as written, and whether it was closed (saved), aborted or removed. */
interface PickedFile {
  picked: number;
  written: number;
  text: string;
  closed: boolean;
  aborted: boolean;
  removed: boolean;
}

/**
 * Puts a stand-in showSaveFilePicker on the page, its file named as suggested. `held`: each write
 * waits until the page's `releaseWrites()` is called, as a disk that stalls, so the host's making
 * waits for it (the download is then under way for as long as the test wants).
 */
async function standInPicker(page: import('@playwright/test').Page, held = false): Promise<void> {
  await page.evaluate((held) => {
    const file = { picked: 0, written: 0, text: '', closed: false, aborted: false, removed: false };
    let release: () => void = () => {};
    const released = new Promise<void>((r) => (release = r));
    const decoder = new TextDecoder();
    Object.assign(window, {
      pickedFile: file,
      releaseWrites: () => release(),
      showSaveFilePicker: (options: { suggestedName: string }) => {
        file.picked++;
        return Promise.resolve({
          name: options.suggestedName,
          createWritable: () =>
            Promise.resolve(
              new WritableStream<Uint8Array>({
                async write(chunk) {
                  file.written++;
                  if (held) await released;
                  file.text += decoder.decode(chunk, { stream: true });
                },
                close: () => void (file.closed = true),
                abort: () => void (file.aborted = true),
              }),
            ),
          remove: () => Promise.resolve(void (file.removed = true)),
        });
      },
    });
  }, held);
}

const pickedFile = (page: import('@playwright/test').Page) => page.evaluate(() => (window as unknown as { pickedFile: PickedFile }).pickedFile);

test('Metrics CSV is written to the file the save picker gives as it arrives, not downloaded as a Blob', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('csv to a file', undefined, { seeds: 1, episodes: 3000 }));
  const id = runIds[0]!;
  await open(app, `#/runs/${id}`);
  await standInPicker(app);
  let downloads = 0;
  app.on('download', () => downloads++);
  await app.getByTestId('metrics-csv').click();
  const detail = await call<{ metrics: string[] }>(server, 'runs.get', { id });
  await expect(app.getByTestId('metrics-csv-saved')).toHaveText(`3,000 episodes × ${detail.metrics.length} metrics saved to run-${id}-metrics.csv.`);
  const file = await pickedFile(app);
  // The contract's CSV byte for byte, closed (so it landed), in pieces as they came, and no download.
  expect(file.text).toBe((await call<{ text: string }>(server, 'runs.metricsCsv', { id })).text);
  expect(file).toMatchObject({ picked: 1, closed: true, aborted: false, removed: false });
  expect(file.written).toBeGreaterThan(0);
  expect(downloads).toBe(0);
});

/** The picked file's lines and its last episode's line, read in the page (its text is ~36 MB). */
const pickedLines = (page: import('@playwright/test').Page) =>
  page.evaluate(() => {
    const file = (window as unknown as { pickedFile: PickedFile }).pickedFile;
    const lines = file.text.split('\n');
    return { lines: lines.length, last: lines.at(-2)?.split(',')[0], closed: file.closed, aborted: file.aborted, removed: file.removed };
  });

test('a run deleted during its Metrics CSV is saved whole all the same, as it was when the download began', async ({ app, server }) => {
  // 2M episodes, ~36 MB of CSV: more than the socket's and Chromium's buffers hold, so the host is
  // still making it while the picked file's writes wait. It cut the file half-way with the run's 404.
  const { runIds } = await launchAndWait(server, { format: 'aisle.experiment/v1', name: 'csv cut', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 2_000_000, seeds: 1 }, 120_000);
  const id = runIds[0]!;
  await open(app, `#/runs/${id}`);
  const detail = await call<{ metrics: string[] }>(server, 'runs.get', { id });
  await standInPicker(app, true);
  await app.getByTestId('metrics-csv').click();
  await expect.poll(async () => (await pickedFile(app)).written).toBeGreaterThan(0);
  await call(server, 'runs.delete', { ids: [id] });
  await app.evaluate(() => (window as unknown as { releaseWrites: () => void }).releaseWrites());
  // The page goes (the run is gone), and says under it that the download was saved.
  await expect(app.getByTestId('run-deleted')).toBeVisible();
  await expect(app.getByTestId('metrics-csv-saved')).toHaveText(`2,000,000 episodes × ${detail.metrics.length} metrics saved to run-${id}-metrics.csv.`, { timeout: 60_000 });
  await expect(app.getByTestId('metrics-csv-error')).toHaveCount(0);
  expect(await pickedLines(app)).toEqual({ lines: 2_000_002, last: '1999999', closed: true, aborted: false, removed: false });
});

test('without a save picker (Firefox, Safari), a run deleted during its Metrics CSV is downloaded whole all the same', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, { format: 'aisle.experiment/v1', name: 'csv cut', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 2_000_000, seeds: 1 }, 120_000);
  const id = runIds[0]!;
  await open(app, `#/runs/${id}`);
  const detail = await call<{ metrics: string[] }>(server, 'runs.get', { id });
  await app.evaluate(() => delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker);
  // The page's network slowed to 1 MB/s (Chromium's DevTools throttling): the ~36 MB download is
  // under way for as long as the test wants, the host waiting for it to read.
  const cdp = await app.context().newCDPSession(app);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: 1_000_000, uploadThroughput: -1 });
  const downloaded = app.waitForEvent('download', { timeout: 60_000 });
  const answered = app.waitForResponse((r) => r.url().includes('/api/metrics-csv/'));
  await app.getByTestId('metrics-csv').click();
  await answered;
  await call(server, 'runs.delete', { ids: [id] });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await expect(app.getByTestId('run-deleted')).toBeVisible();
  await expect(app.getByTestId('metrics-csv-saved')).toHaveText(`2,000,000 episodes × ${detail.metrics.length} metrics saved to your downloads (run-${id}-metrics.csv).`, { timeout: 60_000 });
  const text = readFileSync((await (await downloaded).path())!, 'utf8');
  const lines = text.split('\n');
  expect(lines.length).toBe(2_000_002);
  expect(lines.at(-2)!.split(',')[0]).toBe('1999999');
});
