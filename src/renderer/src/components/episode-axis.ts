/**
 * The episode axis that all of one run's learning curves share, so that an episode sits at the same
 * x in every chart (each chart fitting its own data ended its axis at its own rounded tick, and a
 * metric recorded from a later episode on started elsewhere too).
 */
import type { RunStatus } from '../../../shared/dto';
import { fmt } from '../format';

export interface EpisodeAxis {
  readonly min: number;
  /**
   * Episodes are numbered from 0, so the last one sits at `max − 1`: the axis ends at the count of
   * episodes, one past it, which reads as a round plan (100,000,000 rather than 99,999,999) and as
   * the very number the stopped note gives.
   */
  readonly max: number;
  /** Set when the run stopped before its planned episodes: the note that says so. */
  readonly stoppedNote: string | null;
}

const STOPPED: Readonly<Record<RunStatus, string>> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Ended',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
  paused: 'Paused',
};

/**
 * The least round number (1, 2 or 5 times a power of ten) above `played`: a live run's axis end,
 * which grows in steps rather than at every update, so the curves do not rescale each refresh.
 */
export function roundAbove(played: number): number {
  for (let power = 1; ; power *= 10) {
    for (const step of [1, 2, 5]) if (step * power > played) return step * power;
  }
}

/**
 * A run still to play episodes (queued, running) spans the episodes played so far, rounded up to
 * the next 1-2-5 number and never past the plan: spanning the whole plan pressed a long run's curves
 * (2,000 of 200,000 episodes) into a sliver at its left edge for minutes. The progress bar shows the
 * plan. A run that played them all spans its plan. A run that stopped early (cancelled,
 * interrupted, failed) ends with its last stored episode: the episodes after it were never played,
 * and an empty stretch up to the plan read as missing data; its note says where it stopped and what
 * was planned instead.
 */
export function episodeAxis(run: { readonly status: RunStatus; readonly episodesDone: number; readonly episodesTotal: number }): EpisodeAxis {
  const active = run.status === 'queued' || run.status === 'running';
  const stopped = !active && run.episodesDone < run.episodesTotal;
  const end = active ? Math.min(run.episodesTotal, roundAbove(run.episodesDone)) : stopped ? run.episodesDone : run.episodesTotal;
  return {
    min: 0,
    max: Math.max(1, end),
    stoppedNote: stopped
      ? `${STOPPED[run.status]} after ${fmt(run.episodesDone)} of ${fmt(run.episodesTotal)} planned episodes: the episode axis ends where the run stopped.`
      : null,
  };
}
