/**
 * The y axis's tick labels of a line chart (LineChart). chart.js ticks an axis at a round step of
 * its own choosing, and labelled a set end (yMin, yMax: focusedYRange rounds them out to a finer
 * step than chart.js's) as one more tick off that step: Compare's novelty of the shop-fatigue
 * presets read "…;3.20;3.22", and an end near a tick took that tick's place under its label
 * ("3.2" for 3.22, "4.7" twice on a run's return). A set end is the plot's edge, not a tick: every
 * tick stands on the step and is written with the step's decimals, which tell them apart.
 */
import { Ticks, type Scale, type Tick } from 'chart.js';
import { fmt } from '../format';
import type { AxisBounds } from './y-range';

export interface YTickOptions {
  readonly includeBounds: false;
  callback(this: Scale, value: number | string, index: number, ticks: Tick[]): string | string[];
}

/**
 * The y axis's `ticks` options. `constant` gives the one value of a constant chart (LineChart's
 * yConstant), whose lone tick has no step to take its decimals from (chart.js wrote 1.001 as "1").
 */
export function yTickOptions(constant: () => number | undefined): YTickOptions {
  return {
    includeBounds: false,
    callback(value, index, ticks) {
      return constant() !== undefined ? fmt(Number(value)) : Ticks.formatters.numeric.call(this, Number(value), index, ticks);
    },
  };
}

/**
 * The ticks of a constant chart (LineChart's yConstant): its one value, and each end of its axis
 * that is an end of the metric's range (flatAxisEnds keeps a flat axis within it), so that Run
 * detail's diversity of 0 reads on an axis of 0 to 1, the share it is, not as a lone 0.
 */
export function constantTicks(value: number, ends: { readonly min: number; readonly max: number } | undefined, bounds: AxisBounds | undefined): number[] {
  if (!ends || !bounds) return [value];
  return [...(ends.min === bounds.min && ends.min < value ? [ends.min] : []), value, ...(ends.max === bounds.max && ends.max > value ? [ends.max] : [])];
}
