/**
 * What the agent sees. `discrete`: one state index per (segment if observed, last clicked category
 * or none, engagement level, fatigue level), plus a final "left" state that ends a session — small
 * enough for tabular agents, and in the exact mode exactly the MDP's states. `vector`: a fixed
 * vector of features in [0, 1] for linear and neural agents.
 */
import { box, discrete, type BoxSpace, type DiscreteSpace } from '../../spaces';
import { NO_CLICK_LABEL } from './catalog';
import type { ShopModel } from './model';

/** State labels are written for spaces up to this size (larger ones use indices). */
const MAX_LABELLED_STATES = 100_000;

/**
 * index = ((segment · (C + 1) + (ℓ + 1)) · E + engagementLevel) · F + fatigueLevel, with ℓ = −1
 * before the first click and segment 0 when it is hidden; "left" is the last index.
 */
export function discreteIndex(m: ShopModel, segment: number, lastCategory: number, engagementLevel: number, fatigueLevel: number): number {
  const p = m.params;
  return ((segment * (m.categories + 1) + lastCategory + 1) * p.engagementLevels + engagementLevel) * p.fatigueLevels + fatigueLevel;
}

export function leftIndex(m: ShopModel): number {
  return m.discreteStates - 1;
}

/** The inverse of discreteIndex for a non-final state: [segment, ℓ, engagementLevel, fatigueLevel]. */
export function decodeIndex(m: ShopModel, index: number): [number, number, number, number] {
  const { engagementLevels: E, fatigueLevels: F } = m.params;
  const fatigueLevel = index % F;
  let rest = (index - fatigueLevel) / F;
  const engagementLevel = rest % E;
  rest = (rest - engagementLevel) / E;
  const last = rest % (m.categories + 1);
  return [(rest - last) / (m.categories + 1), last - 1, engagementLevel, fatigueLevel];
}

export function discreteSpace(m: ShopModel): DiscreteSpace {
  if (m.discreteStates > MAX_LABELLED_STATES) return discrete(m.discreteStates);
  const labels: string[] = new Array<string>(m.discreteStates);
  for (let s = 0; s < m.discreteStates - 1; s++) {
    const [segment, last, e, f] = decodeIndex(m, s);
    const seg = m.params.observeSegment ? `seg${segment}` : '?';
    labels[s] = `${seg}/${last < 0 ? NO_CLICK_LABEL : m.catalog.categoryNames[last]}/e${e}/f${f}`;
  }
  labels[m.discreteStates - 1] = 'left';
  return discrete(m.discreteStates, labels);
}

/** Feature layout: segment one-hot, last category one-hot (none first), then five scalars. */
export function vectorSpace(m: ShopModel): BoxSpace {
  const labels = [
    ...Array.from({ length: m.params.segments }, (_, s) => `segment seg${s}`),
    `last ${NO_CLICK_LABEL}`,
    ...m.catalog.categoryNames.map((name) => `last ${name}`),
    'engagement',
    'fatigue',
    'time',
    'clicked',
    'purchased',
  ];
  return box(labels.length, 0, 1, labels);
}

/** Writes the vector observation in place, clearing only the one-hot entries it set last time. */
export class VectorObservation {
  readonly features: Float32Array;
  private segmentAt = -1;
  private lastAt = -1;
  private readonly scalars: number;

  constructor(private readonly m: ShopModel) {
    this.features = new Float32Array(m.params.segments + m.categories + 1 + 5);
    this.scalars = m.params.segments + m.categories + 1;
  }

  /** `segment` −1 when hidden; `timeShare` = steps so far / maxSteps. */
  write(segment: number, lastCategory: number, engagement: number, fatigue: number, timeShare: number, clicked: boolean, purchased: boolean): Float32Array {
    const x = this.features;
    if (this.segmentAt >= 0) x[this.segmentAt] = 0;
    if (this.lastAt >= 0) x[this.lastAt] = 0;
    this.segmentAt = segment;
    if (segment >= 0) x[segment] = 1;
    this.lastAt = this.m.params.segments + lastCategory + 1;
    x[this.lastAt] = 1;
    const o = this.scalars;
    x[o] = engagement;
    x[o + 1] = fatigue;
    x[o + 2] = timeShare > 1 ? 1 : timeShare;
    x[o + 3] = clicked ? 1 : 0;
    x[o + 4] = purchased ? 1 : 0;
    return x;
  }
}
