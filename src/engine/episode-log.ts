/**
 * What training does after every episode, on the JavaScript path and the kernel's alike: the
 * metric sums and the ring of the last 100 rows the summary is taken from, the checkpoint when one
 * falls on the episode, and the onEpisode hook.
 */
import type { RunState } from './resume/format';
import { captureRun, restoreRun, type LoopCounters } from './resume/run-state';
import { checkpointEpisodes } from './checkpoint-episodes';
import type { MetricSummary, PreparedRun, RunSpec, TrainHooks } from './train';

/**
 * What follows every episode on either path: the sums and the ring of the last 100 rows for the
 * summary, the checkpoint if one falls on this episode, and the onEpisode hook.
 */
export class EpisodeLog {
  played = 0;
  steps = 0;
  /** Whether a hook may stop the run. */
  readonly canStop: boolean;
  private readonly width: number;
  private readonly sums: Float64Array;
  /**
   * Episodes without a value, per metric (NaN: a network agent's loss before it starts learning);
   * the summary's mean is over the episodes that have one, as the store's reads are.
   */
  private readonly missing: Float64Array;
  private readonly tail: Float64Array; // ring buffer of the last 100 rows
  private readonly checkpointsAt: number[];
  private checkpointIndex = 0;

  constructor(
    private readonly spec: RunSpec,
    private readonly hooks: TrainHooks,
    private readonly prepared: PreparedRun,
  ) {
    this.width = prepared.metricNames.length;
    this.sums = new Float64Array(this.width);
    this.missing = new Float64Array(this.width);
    this.tail = new Float64Array(100 * this.width);
    this.canStop = hooks.onEpisode !== undefined;
    const { agent } = prepared;
    const wanted = (agent.values && hooks.onCheckpoint) || (agent.weights && hooks.onWeights);
    this.checkpointsAt = wanted ? checkpointEpisodes(spec.episodes, spec.checkpoints ?? 0) : [];
  }

  /** The run's state now, between two episodes (see TrainResult.state). */
  state(): RunState {
    return captureRun(this.spec, this.prepared, this.counters());
  }

  /** Whether a hook asks for the run's state now (see TrainHooks.stateWanted). */
  stateDue(): boolean {
    // None after the last episode: the run's end follows at once.
    return this.hooks.onState !== undefined && this.played < this.spec.episodes && this.hooks.stateWanted?.() === true;
  }

  /** Hands the run's state now to onState (training goes on). */
  handState(): void {
    this.hooks.onState!(this.state());
  }

  /** Takes back a paused run's state (the agent's and environment's too); returns the episode to continue at. */
  resume(state: RunState): number {
    const counters = this.counters();
    const first = restoreRun(this.spec, this.prepared, counters, state);
    this.played = counters.played;
    this.steps = counters.steps;
    // A state taken by a loop that took no checkpoints (no checkpoint hooks) keeps index 0; the
    // checkpoints before `first` are past either way, and one left due would end every chunk
    // before it began (the kernel loop would then play no episode, forever).
    let index = counters.checkpointIndex;
    while (index < this.checkpointsAt.length && this.checkpointsAt[index]! < first) index++;
    this.checkpointIndex = index;
    return first;
  }

  /** The counters a paused run keeps: the arrays live, the numbers copied. */
  private counters(): LoopCounters {
    const { played, steps, checkpointIndex, sums, missing, tail } = this;
    return { played, steps, checkpointIndex, sums, missing, tail };
  }

  /** The next episode at which a checkpoint is taken (Infinity when none is left). */
  get nextCheckpoint(): number {
    return this.checkpointsAt[this.checkpointIndex] ?? Infinity;
  }

  /** Records an episode's row (in metricNames order); false when the hook stops the run. */
  record(episode: number, row: Float64Array): boolean {
    const { sums, missing, tail, width } = this;
    const slot = (episode % 100) * width;
    for (let m = 0; m < width; m++) {
      const v = row[m]!;
      if (v === v) sums[m] = sums[m]! + v;
      else missing[m]!++;
      tail[slot + m] = v;
    }
    this.played++;
    this.steps += row[1]!;
    this.checkpointAt(episode);
    return !(this.hooks.onEpisode && this.hooks.onEpisode(episode, row) === false);
  }

  /**
   * {@link record} for episodes first .. first + count − 1 at once (rows row-major), when no
   * onEpisode hook listens: the same sums in the same order, the same last 100 rows, and the
   * checkpoint of the block's last episode (the only one a block can hold: chunks end there).
   */
  recordBlock(first: number, count: number, rows: Float64Array): void {
    const { sums, missing, tail, width } = this;
    for (let m = 0; m < width; m++) {
      let sum = sums[m]!;
      let none = 0;
      for (let i = 0, at = m; i < count; i++, at += width) {
        const v = rows[at]!;
        if (v === v) sum += v;
        else none++;
      }
      sums[m] = sum;
      missing[m]! += none;
    }
    let steps = this.steps;
    for (let i = 0, at = 1; i < count; i++, at += width) steps += rows[at]!;
    this.steps = steps;
    for (let i = Math.max(0, count - 100); i < count; i++) {
      const slot = ((first + i) % 100) * width;
      for (let m = 0; m < width; m++) tail[slot + m] = rows[i * width + m]!;
    }
    this.played += count;
    this.checkpointAt(first + count - 1);
  }

  /** Takes the checkpoint due at `episode`, if one is (the agent's values or weights to the hooks). */
  private checkpointAt(episode: number): void {
    if (this.checkpointsAt[this.checkpointIndex] !== episode) return;
    const { agent } = this.prepared;
    if (agent.values && this.hooks.onCheckpoint) this.hooks.onCheckpoint(episode, agent.values());
    if (agent.weights && this.hooks.onWeights) this.hooks.onWeights(episode, agent.weights());
    this.checkpointIndex++;
  }

  /** Hands a block of recorded episodes' rows (and columns, if any) to onEpisodes; false when it stops the run. */
  block(first: number, count: number, rows: Float64Array, columns?: readonly Float32Array[]): boolean {
    return !(this.hooks.onEpisodes && this.hooks.onEpisodes(first, count, rows, this.width, columns) === false);
  }

  summary(metricNames: readonly string[]): Record<string, MetricSummary> {
    const summary: Record<string, MetricSummary> = {};
    const played = this.played;
    const tailCount = Math.min(played, 100);
    metricNames.forEach((name, m) => {
      let t = 0;
      let n = 0;
      for (let i = 0; i < tailCount; i++) {
        const v = this.tail[i * this.width + m]!;
        if (v === v) {
          t += v;
          n++;
        }
      }
      const valued = played - this.missing[m]!;
      summary[name] = { mean: valued > 0 ? this.sums[m]! / valued : NaN, last100: n > 0 ? t / n : NaN };
    });
    return summary;
  }
}
