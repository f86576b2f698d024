/**
 * `aisle run`'s progress: a bar per run on a terminal (fitted to its width, saying the run's status
 * and its recent return), a line per status change and every 10 % otherwise.
 */
import cliProgress from 'cli-progress';
import type { Experiment } from '../engine/experiment';
import { DATABASE_WAIT_MESSAGE } from '../main/jobs/pool-contract';
import { Lab } from '../main/lab';
import { quoted } from '../engine/params';
import { fmt } from './context';
import { counted } from '../shared/text';
import { displayWidth, truncated } from './display-width';

interface ProgressPayload {
  runId: number;
  seed: number | undefined;
  /** In a sweep, its experiment's values (`alpha=0.5, epsilon=0.2`); else empty. */
  values: string;
  ret: string;
  status: string;
}

const MIN_BAR = 10;

/**
 * A run's progress bar, fitted to the terminal's `width` (lines wider are cut at its edge): the
 * status comes right after the percentage, so that "completed" or the wait for the database stays
 * in view (after the bar, the counts and the return, an 80-column terminal cut it off), and the bar
 * takes the room left, from 10 to 40 characters. The room is counted with the widest percentage,
 * count, ordinary status ("interrupted") and return, so the bar keeps its width as the run goes on.
 * In a sweep the experiment's values follow the seed, so that a bar says which experiment it is
 * in; they come before the counts and the return (which one cannot read without them), and are cut
 * with "…" where they would push the status, up to its colon, out of view.
 */
export function progressLine(width: number, progress: number, value: number, total: number, p: ProgressPayload): string {
  const run = ` run ${p.runId} seed ${p.seed} `;
  const gist = p.status.split(':')[0]!;
  const head = run + valuesText(p.values, width - run.length - MIN_BAR - ` 100% | ${gist.padEnd(11)}`.length);
  const tail = ` ${Math.floor(progress * 100)}% | ${p.status} | ${fmt(value)}/${fmt(total)} episodes | return ${p.ret}`;
  const widest = ` 100% | ${p.status.padEnd(11)} | ${fmt(total)}/${fmt(total)} episodes | return ${p.ret.padEnd(8)}`;
  const size = Math.max(MIN_BAR, Math.min(40, width - displayWidth(head) - widest.length));
  const done = Math.round(progress * size);
  return `${head}${'█'.repeat(done)}${'░'.repeat(size - done)}${tail}`;
}

/** A sweep experiment's values in parentheses and a space, cut to `room` columns (never below "(…) "); nothing outside a sweep. */
function valuesText(values: string, room: number): string {
  return values === '' ? '' : `(${truncated(values, Math.max(1, room - 3))}) `;
}

export interface Launched {
  experimentId: number;
  runIds: readonly number[];
  experiment: Experiment;
  /** In a sweep, its values as its name shows them; else empty. */
  values: string;
}

/** Progress bars on a terminal, a line per status change (and every 10 %) otherwise. */
export function showProgress(lab: Lab, launched: readonly Launched[]): () => void {
  const tty = Boolean(process.stderr.isTTY);
  const seeds = new Map(launched.flatMap(({ runIds, experiment }) => runIds.map((id, i) => [id, experiment.seeds[i]!] as const)));
  const values = new Map(launched.flatMap((l) => l.runIds.map((id) => [id, l.values] as const)));
  // Off a terminal a line is not cut: the values whole, as in the experiment's name.
  const label = (runId: number) => `run ${runId} seed ${seeds.get(runId)}${values.get(runId) ? ` (${values.get(runId)})` : ''}`;
  for (const { experimentId, runIds, experiment } of launched) {
    // A sweep's bars follow one another: the run ids say which experiment a bar is in.
    const which = launched.length > 1 ? ` (${runIds.length > 1 ? `runs ${runIds[0]}–${runIds[runIds.length - 1]}` : `run ${runIds[0]}`})` : '';
    // The name quoted as the summary and the other commands quote it (a quote in it escaped, as the rest of its control characters).
    process.stderr.write(`experiment ${experimentId} ${quoted(experiment.name)}: ${counted(runIds.length, 'run')} × ${counted(experiment.episodes, 'episode')}${which}\n`);
  }
  const lastReturn = new Map<number, number>();
  if (tty) {
    const multibar = new cliProgress.MultiBar(
      {
        format: (_options, params, payload: ProgressPayload) => progressLine(params.maxWidth, params.progress, params.value, params.total, payload),
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        stream: process.stderr,
        fps: 10,
      },
    );
    const bars = new Map(
      launched.flatMap(({ runIds, experiment }) => runIds.map((id) => [id, multibar.create(experiment.episodes, 0, { runId: id, seed: seeds.get(id), values: values.get(id)!, ret: '–', status: 'queued' })] as const)),
    );
    lab.pool.on('metrics', (m) => {
      const i = m.names.indexOf('return');
      if (i >= 0) {
        const col = m.columns[i]!;
        let s = 0;
        for (let k = 0; k < col.length; k++) s += col[k]!;
        lastReturn.set(m.runId, s / col.length);
      }
    });
    // Runs whose results wait for the database say so until they are written (see JobPool's storeWaiting).
    const waiting = new Set<number>();
    const running = (runId: number) => (waiting.has(runId) ? DATABASE_WAIT_MESSAGE : 'running');
    lab.pool.on('progress', (p) => bars.get(p.runId)?.update(p.episodesDone, { ret: fmt(lastReturn.get(p.runId), 3), status: running(p.runId) }));
    lab.pool.on('status', (s) => bars.get(s.runId)?.update({ status: s.status }));
    lab.pool.on('storeWaiting', (w) => {
      waiting.add(w.runId);
      bars.get(w.runId)?.update({ status: w.message });
    });
    lab.pool.on('storeResumed', (w) => void waiting.delete(w.runId));
    return () => multibar.stop();
  }
  const lastDecile = new Map<number, number>();
  lab.pool.on('progress', (p) => {
    const decile = Math.floor((10 * p.episodesDone) / p.episodesTotal);
    if (decile > (lastDecile.get(p.runId) ?? 0) && decile < 10) {
      lastDecile.set(p.runId, decile);
      process.stderr.write(`${label(p.runId)}: ${fmt(p.episodesDone)}/${fmt(p.episodesTotal)} episodes\n`);
    }
  });
  // The pool says the wait is over once all that waited is written, a run's end included: a run
  // whose end was said already is not said to wait no longer after it.
  const ended = new Set<number>();
  lab.pool.on('status', (s) => {
    if (s.status !== 'running') ended.add(s.runId);
    const extra = s.status === 'failed' || s.status === 'interrupted' ? `: ${s.error}` : '';
    process.stderr.write(`${label(s.runId)}: ${s.status}${extra}\n`);
  });
  lab.pool.on('storeWaiting', (w) => process.stderr.write(`${label(w.runId)}: ${w.message}\n`));
  lab.pool.on('storeResumed', (w) => {
    if (!ended.has(w.runId)) process.stderr.write(`${label(w.runId)}: no longer waiting for the database\n`);
  });
  return () => {};
}
