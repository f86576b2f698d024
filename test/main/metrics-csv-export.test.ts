// The app's Metrics CSV without the CSV held whole: the service's metricsCsv makes the same bytes as
// runs.metricsCsv in pieces (under a cap 20 times runs.metricsCsv's), and the browser-mode host
// streams them (GET /api/metrics-csv/<id>, token-checked, an attachment) as its client reads them,
// stopping when the client goes away.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands, type CommandName, type Handlers } from '../../src/shared/contract';
import { ContractFailure } from '../../src/shared/dispatch';
import { METRICS_CSV_PATH } from '../../src/shared/http';
import { startHost, type RunningHost } from '../../src/main/host/http-host';
import { MAX_CSV_VALUES, MAX_STREAMED_CSV_VALUES, metricsCsv, type MetricsCsv } from '../../src/main/service/runs';
import { cliff, closedAfterEach } from '../helpers/service';
import { heldGet, send, type Reply } from '../helpers/http';
import { tempDir } from '../helpers/tmp';

const TOKEN = 'test-token-0123456789abcdefghij';

describe('the service', () => {
  const open = closedAfterEach();

  it("makes runs.metricsCsv's CSV in pieces, refusing a run over its cap with `aisle metrics`", async () => {
    const t = open();
    const launched = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 300 }) });
    const id = launched.runIds[0]!;
    await t.until([id]);
    const whole = await t.call('runs.metricsCsv', { id });
    const csv = t.service.metricsCsv(id);
    expect({ fileName: csv.fileName, episodes: csv.episodes, metrics: csv.metrics }).toEqual({ fileName: whole.fileName, episodes: 300, metrics: whole.metrics });
    expect([...csv.pieces].join('')).toBe(whole.text);
    // 300 episodes × 3 metrics = 900 values: a cap below refuses it before reading, naming the CLI.
    expect(() => metricsCsv(t.store, id, 899)).toThrow(new ContractFailure(`run ${id} has 900 metric values, more than 899 (the most the app exports at once): export it with \`aisle metrics ${id} -o run-${id}-metrics.csv\``, 409));
    expect(() => t.service.metricsCsv(9999)).toThrow(/run/);
    // Not held whole, nor its columns (read a window at a time), the app's export goes further than
    // the one message did: past the old cap of 50M values, a 10M-episode run of 5 metrics.
    expect(MAX_STREAMED_CSV_VALUES).toBeGreaterThan(50_000_000);
    expect(MAX_STREAMED_CSV_VALUES).toBeGreaterThan(MAX_CSV_VALUES);
  });
});

const get = (port: number, path: string, headers: Record<string, string> = {}, method = 'GET') => send(port, method, path, headers);

describe('the host', () => {
  let host: RunningHost;
  let asked: number[];
  let made: number;
  let finished: boolean;
  /** What the fake service answers for a run: pieces of `pieceSize` characters, counted as made. */
  let answer: (id: number) => MetricsCsv;
  const pieces = (count: number, size: number): Iterable<string> =>
    (function* () {
      try {
        for (let i = 0; i < count; i++) {
          made++;
          yield `${String(i % 10).repeat(size - 1)}\n`;
        }
      } finally {
        finished = true;
      }
    })();

  beforeEach(async () => {
    asked = [];
    made = 0;
    finished = false;
    answer = (id) => ({ fileName: `run-${id}-metrics.csv`, episodes: 3, metrics: ['length', 'return'], pieces: ['episode,length,return\n', '0,3,-1\n1,2,0.5\n', '2,,7\n'] });
    const handlers = Object.fromEntries((Object.keys(commands) as CommandName[]).map((c) => [c, () => ({ stub: c })])) as unknown as Handlers;
    host = await startHost({
      handlers,
      subscribe: () => () => {},
      rendererDir: tempDir('aisle-csv-host-'),
      token: TOKEN,
      staticIdleMs: 300,
      metricsCsv: (id) => (asked.push(id), answer(id)),
    });
  });

  afterEach(async () => {
    await host.close();
  });

  it('answers the CSV as an attachment, with its episodes and metrics in headers', async () => {
    const reply = await get(host.port, `${METRICS_CSV_PATH}7`, { 'x-aisle-token': TOKEN });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('episode,length,return\n0,3,-1\n1,2,0.5\n2,,7\n');
    expect(reply.headers).toMatchObject({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="run-7-metrics.csv"',
      'cache-control': 'no-store',
      'x-aisle-episodes': '3',
      'x-aisle-metrics': '2',
    });
    expect(asked).toEqual([7]);
    // A same-origin page's GET may carry its own Origin; the fetch of it carries none.
    expect((await get(host.port, `${METRICS_CSV_PATH}7`, { 'x-aisle-token': TOKEN, origin: `http://127.0.0.1:${host.port}` })).status).toBe(200);
  });

  it('refuses without the token, from another page or name, by another method, and for no run id, asking nothing of the service', async () => {
    const refused = async (reply: Promise<Reply>, status: number, message: RegExp) => {
      const { status: got, body } = await reply;
      expect(got).toBe(status);
      expect(JSON.parse(body)).toMatchObject({ ok: false, error: { status, message: expect.stringMatching(message) } });
    };
    await refused(get(host.port, `${METRICS_CSV_PATH}7`), 401, /^missing token/);
    await refused(get(host.port, `${METRICS_CSV_PATH}7?token=${TOKEN}`), 401, /^missing token/); // never in the URL
    await refused(get(host.port, `${METRICS_CSV_PATH}7`, { 'x-aisle-token': 'wrong' }), 401, /^wrong token/);
    await refused(get(host.port, `${METRICS_CSV_PATH}7`, { 'x-aisle-token': TOKEN, origin: 'http://evil.example' }), 403, /^Origin http:\/\/evil\.example is not this host/);
    await refused(get(host.port, `${METRICS_CSV_PATH}7`, { 'x-aisle-token': TOKEN, host: `evil.example:${host.port}` }), 403, /^Host evil\.example/);
    await refused(get(host.port, `${METRICS_CSV_PATH}7`, { 'x-aisle-token': TOKEN }, 'POST'), 405, /^POST is not allowed: download a run's metrics CSV with GET \/api\/metrics-csv\/<run id>$/);
    for (const path of ['', '0', '-1', '7.5', 'x', '7/8', '0x7']) {
      await refused(get(host.port, `${METRICS_CSV_PATH}${path}`, { 'x-aisle-token': TOKEN }), 404, /^no metrics CSV at \/api\/metrics-csv\/.*: give a run's id, \/api\/metrics-csv\/3$/);
    }
    expect(asked).toEqual([]);
  });

  it("answers the service's refusal as the contract's error", async () => {
    answer = () => {
      throw new ContractFailure('run 7 has no metrics yet (status queued)', 409);
    };
    const reply = await get(host.port, `${METRICS_CSV_PATH}7`, { 'x-aisle-token': TOKEN });
    expect(reply.status).toBe(409);
    expect(JSON.parse(reply.body)).toEqual({ ok: false, error: { name: 'Conflict', message: 'run 7 has no metrics yet (status queued)', status: 409 } });
  });

  it('makes pieces only as its client reads them, stops when the client goes away, and writes all for one that reads', async () => {
    // 256 MB in 1 MB pieces: a client that reads nothing holds the writing after a few pieces.
    answer = (id) => ({ fileName: `run-${id}-metrics.csv`, episodes: 1, metrics: ['x'], pieces: pieces(256, 2 ** 20) });
    const { req, res } = await heldGet(host.port, `${METRICS_CSV_PATH}7`, { 'x-aisle-token': TOKEN });
    expect(res.statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    const held = made;
    expect(held).toBeLessThan(64);
    req.destroy();
    await expect.poll(() => finished).toBe(true);
    expect(made).toBe(held);
    // A client that reads gets every piece: more than a held one got (80 MB, not 256: read into one
    // string, the whole 256 MB took over the test's minute once on a loaded machine).
    made = 0;
    finished = false;
    answer = (id) => ({ fileName: `run-${id}-metrics.csv`, episodes: 1, metrics: ['x'], pieces: pieces(80, 2 ** 20) });
    const whole = await get(host.port, `${METRICS_CSV_PATH}7`, { 'x-aisle-token': TOKEN });
    expect(whole.body).toHaveLength(80 * 2 ** 20);
    expect(made).toBe(80);
    expect(finished).toBe(true);
  });

  it('cuts a client that stops reading, as it cuts a page file', async () => {
    answer = (id) => ({ fileName: `run-${id}-metrics.csv`, episodes: 1, metrics: ['x'], pieces: pieces(256, 2 ** 20) });
    const { req } = await heldGet(host.port, `${METRICS_CSV_PATH}7`, { 'x-aisle-token': TOKEN });
    // staticIdleMs is 300: the host lets go of the stalled download (its generator closed) on its own.
    await expect.poll(() => finished, { timeout: 5000 }).toBe(true);
    expect(made).toBeLessThan(64);
    req.destroy();
  });
});
