/**
 * A finite MDP from an aisle.mdp/v1 file, run as an environment: the observation is the state index,
 * each step samples the next state from the transition probabilities. Its compiled `mdp` is exposed
 * so the runner can solve it exactly and report how good the learned greedy policy is.
 */
import * as z from 'zod';
import { defineEnv } from '../definitions';
import type { Env, StepResult } from '../env';
import { MDP_FORMAT, mdpFileSchema, parseMdp, type Mdp, type MdpFile } from '../mdp/format';
import { ValidationError, num, showJson } from '../params';
import { fileFormatJsonSchema, lazyJsonSchema } from '../json-schema';
import { Rng, Stream } from '../rng';
import { constantState } from '../resume/state-tree';
import { discrete, type DiscreteSpace } from '../spaces';

/** The brief's two-state chain: "move" from 0 pays 1, "stay" in 1 pays 2 per step. */
const twoStateChain: MdpFile = {
  format: MDP_FORMAT,
  name: 'two-state chain',
  states: 2,
  actions: ['stay', 'move'],
  start: { '0': 1 },
  terminal: [],
  transitions: [
    [0, 0, 1, 0, 0],
    [0, 1, 1, 1, 1],
    [1, 0, 1, 1, 2],
    [1, 1, 1, 0, 0],
  ],
};

/**
 * The inline-MDP branch accepts any object here and parseMdp checks it in `create`: zod would
 * spend ~1.5 µs per transition row, and a union of string | object reports only "Invalid input".
 * Its JSON Schema is the file format's, so editors still check inline MDPs.
 */
const inlineMdp = lazyJsonSchema(z.looseObject({}), () => fileFormatJsonSchema(mdpFileSchema));

const params = z
  .object({
    mdp: z
      .union([z.string().min(1), inlineMdp], {
        error: (iss) => `must be the path of an aisle.mdp/v1 file or an inline aisle.mdp/v1 object, got ${showJson(iss.input)}`,
      })
      .default(twoStateChain)
      .describe('The MDP: the path of an aisle.mdp/v1 JSON file, or the MDP itself inline.'),
    maxSteps: num({ default: 1000, int: true, min: 1, max: 10_000_000, describe: 'Steps after which an episode is truncated (a time limit, not a terminal state).' }),
  })
  .strict();

export class TabularMdpEnv implements Env<number> {
  get terminalStates(): Uint8Array {
    return this.mdp.terminal;
  }

  readonly id = 'tabular-mdp';
  readonly observationSpace: DiscreteSpace;
  readonly actionSpace: DiscreteSpace;
  readonly episodeMetricNames: readonly string[] = [];
  /** The lowest and highest reward of the MDP's transitions. */
  get rewardRange(): readonly [number, number] {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of this.mdp.reward) {
      if (r < lo) lo = r;
      if (r > hi) hi = r;
    }
    return [lo, hi];
  }
  private rng: Rng | null = null;
  /** Cumulative start probabilities, for a binary search at reset (read by the WebAssembly kernel too). */
  readonly startCum: Float64Array;
  private state = 0;
  private t = 0;
  private ended = true;
  private readonly result: StepResult<number> = { observation: 0, reward: 0, terminated: false, truncated: false };

  constructor(
    readonly mdp: Mdp,
    readonly maxSteps: number,
  ) {
    if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new RangeError(`maxSteps must be a whole number ≥ 1, got ${maxSteps}`);
    this.observationSpace = discrete(mdp.states, mdp.stateLabels);
    this.actionSpace = discrete(mdp.actions, mdp.actionLabels);
    this.startCum = new Float64Array(mdp.states);
    let total = 0;
    for (let s = 0; s < mdp.states; s++) this.startCum[s] = total += mdp.start[s]!;
    for (let s = 0; s < mdp.states; s++) this.startCum[s] = this.startCum[s]! / total;
    // The MDP comes from the run's settings and never changes: a paused run's checkpoint leaves it out.
    constantState(mdp, this.startCum);
  }

  /**
   * The environment's generator, made from `seed` as reset(seed) makes it when there is none yet:
   * the WebAssembly kernel, which plays this environment's episodes in its own memory, starts from
   * its state and hands it back, so a paused run's checkpoint holds where the generator stands.
   */
  generator(seed: number): Rng {
    return (this.rng ??= new Rng(seed, Stream.env));
  }

  reset(seed?: number): number {
    if (seed !== undefined) this.rng = new Rng(seed, Stream.env);
    if (this.rng === null) throw new Error('tabular-mdp: the first reset needs a seed (reset(seed))');
    // The first state whose cumulative probability exceeds u; states with start 0 are never chosen.
    this.state = firstAbove(this.startCum, 0, this.mdp.states, this.rng.next());
    this.t = 0;
    this.ended = false;
    return this.state;
  }

  step(action: number): StepResult<number> {
    const rng = this.rng;
    if (rng === null || this.ended) throw new Error(rng === null ? 'tabular-mdp: call reset(seed) before step()' : 'tabular-mdp: the episode has ended: call reset() before step()');
    const mdp = this.mdp;
    if (!(action >= 0 && action < mdp.actions && (action | 0) === action)) throw new RangeError(`tabular-mdp: action ${action} is not in 0..${mdp.actions - 1}`);
    const pair = this.state * mdp.actions + action;
    const k = firstAbove(mdp.cumProb, mdp.offsets[pair]!, mdp.offsets[pair + 1]!, rng.next());
    const r = this.result;
    this.state = mdp.next[k]!;
    this.t++;
    r.observation = this.state;
    r.reward = mdp.reward[k]!;
    r.terminated = mdp.terminal[this.state] === 1;
    r.truncated = this.t >= this.maxSteps; // both flags can be set, as with Gymnasium's TimeLimit
    this.ended = r.terminated || r.truncated;
    return r;
  }

  episodeMetrics(): void {}
}

/** First k in [lo, hi) with u < cum[k] (cum ends at 1 > u); linear for short ranges, else binary. */
function firstAbove(cum: Float64Array, lo: number, hi: number, u: number): number {
  if (hi - lo <= 8) {
    for (let k = lo; k < hi - 1; k++) if (u < cum[k]!) return k;
    return hi - 1;
  }
  let a = lo;
  let b = hi - 1;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (u < cum[mid]!) b = mid;
    else a = mid + 1;
  }
  return a;
}

/** An environment over an already compiled MDP. */
export function createTabularMdpEnv(mdp: Mdp, maxSteps: number): TabularMdpEnv {
  return new TabularMdpEnv(mdp, maxSteps);
}

/**
 * Compiled MDPs, keyed by the rows array: a sweep parses the params once per run, and zod copies
 * the inline object each time but passes its `transitions` array through. The rest of the file is
 * compared as text, so an edited header is compiled afresh.
 */
const compiled = new WeakMap<object, { header: string; mdp: Mdp }>();

function compile(raw: Record<string, unknown>): Mdp {
  const { transitions, ...rest } = raw;
  if (typeof transitions !== 'object' || transitions === null) return parseMdp(raw, 'mdp');
  let header: string;
  try {
    header = JSON.stringify(rest);
  } catch (e) {
    // A field nested thousands deep (`"name": [[[…]]]`) overflows JSON.stringify's stack: no key
    // to cache it by, and parseMdp says which field is wrong (it was "env: Maximum call stack size exceeded").
    if (e instanceof RangeError) return parseMdp(raw, 'mdp');
    throw e;
  }
  const hit = compiled.get(transitions);
  if (hit?.header === header) return hit.mdp;
  const mdp = parseMdp(raw, 'mdp');
  compiled.set(transitions, { header, mdp });
  return mdp;
}

export const tabularMdp = defineEnv({
  id: 'tabular-mdp',
  title: 'Tabular MDP',
  description:
    'A finite Markov decision process from an aisle.mdp/v1 file: states, actions, start distribution, terminal states and transitions with probabilities and rewards. The observation is the state; the exact optimal return is known, so runs report how close the learned greedy policy comes to it.',
  params,
  // No metrics of its own; an episode's length is good short in one MDP (cliff walking) and long in another, so it keeps none.
  metricDirections: {},
  fileParams: ['mdp'],
  checkFile: (_param, json) => void parseMdp(json, 'mdp'),
  maxEpisodeSteps: (p) => p.maxSteps,
  create(p): Env {
    if (typeof p.mdp === 'string') {
      throw new ValidationError([
        `mdp: "${p.mdp}" is a file path the host did not resolve: the environment needs the aisle.mdp/v1 object (load the file and pass its contents)`,
      ]);
    }
    return new TabularMdpEnv(compile(p.mdp), p.maxSteps);
  },
});
