/**
 * The exact solver's stage loops on WebAssembly (./assembly-mdp): value iteration and policy
 * evaluation over an MDP copied into the kernel's memory once, bit for bit as solve.ts's JavaScript
 * loops, which stay the reference (test/engine/solve-wasm.test.ts holds the two equal) and the
 * fallback where the kernel was not built or does not run.
 */
import type { Mdp } from '../mdp/format';
import { largestChange, settledRelative, type Stages } from '../mdp/solve';
import { MemoryLayout, PAGE_BYTES, compileKernel, type CompiledKernel } from './kernel';
import { mdpKernel } from './generated/mdp.wasm';

interface MdpExports {
  layout(offsetsAt: number, nextAt: number, probAt: number, rewardAt: number, terminalAt: number, states: number, actions: number): void;
  stage(kind: number, v: number, vNext: number, q: number, policy: number, gamma: number, check: number, settledRelative: number): number;
}

let compiled: CompiledKernel | string | undefined;

/** One kernel instance per MDP (its arrays copied in), or null when it cannot have one. */
const instances = new WeakMap<Mdp, MdpSolver | null>();

/**
 * The kernel for this MDP, made on first use and kept while the MDP lives; null without
 * WebAssembly, without the built kernel, or when the memory for its copy cannot be had.
 */
export function mdpSolver(mdp: Mdp): MdpSolver | null {
  let solver = instances.get(mdp);
  if (solver === undefined) {
    compiled ??= compileKernel(mdpKernel, 'MDP');
    solver = typeof compiled === 'string' ? null : MdpSolver.open(compiled.module, compiled.heapBase, mdp);
    instances.set(mdp, solver);
  }
  return solver;
}

/** How solve.ts's recursion runs: its options (the relative change that counts as settled at each stage is solve.ts's settledRelative). */
export interface Recursion {
  readonly gamma: number;
  readonly horizon: number;
  readonly earlyStop: boolean;
}

export class MdpSolver {
  private constructor(
    private readonly x: MdpExports,
    private readonly memory: WebAssembly.Memory,
    private readonly states: number,
    private readonly pairs: number,
    private readonly vA: number,
    private readonly vB: number,
    private readonly qAt: number,
    private readonly policyAt: number,
  ) {}

  static open(module: WebAssembly.Module, heapBase: number, mdp: Mdp): MdpSolver | null {
    const { states, actions, offsets, next, prob, reward, terminal } = mdp;
    const pairs = states * actions;
    const transitions = next.length;
    const layout = new MemoryLayout(heapBase);
    const offsetsAt = layout.take(offsets.length * 4);
    const nextAt = layout.take(transitions * 4);
    const probAt = layout.take(transitions * 8);
    const rewardAt = layout.take(transitions * 8);
    const terminalAt = layout.take(states);
    const vA = layout.take(states * 8);
    const vB = layout.take(states * 8);
    const qAt = layout.take(pairs * 8);
    // Room for either kind of policy: one i32 per state or one f64 per pair.
    const policyAt = layout.take(pairs * 8);
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: Math.ceil(layout.end / PAGE_BYTES) });
    } catch {
      return null; // more than this runtime gives WebAssembly: the JavaScript loops need no copy
    }
    const x = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as MdpExports;
    const buffer = memory.buffer;
    new Int32Array(buffer, offsetsAt, offsets.length).set(offsets);
    new Int32Array(buffer, nextAt, transitions).set(next);
    new Float64Array(buffer, probAt, transitions).set(prob);
    new Float64Array(buffer, rewardAt, transitions).set(reward);
    new Uint8Array(buffer, terminalAt, states).set(terminal);
    x.layout(offsetsAt, nextAt, probAt, rewardAt, terminalAt, states, actions);
    return new MdpSolver(x, memory, states, pairs, vA, vB, qAt, policyAt);
  }

  /** Optimal values by backward induction: V_0, Q_0 and the stages computed. */
  valueIteration(r: Recursion): Stages & { q: Float64Array } {
    const q = new Float64Array(this.memory.buffer, this.qAt, this.pairs);
    q.fill(0); // terminal rows stay 0
    const values = this.run(0, r);
    return { ...values, q: q.slice() };
  }

  /** Values of a policy: one action per state (Int32Array) or π(a | s) row-major (Float64Array). */
  evaluate(policy: Int32Array | Float64Array, r: Recursion): Stages {
    const buffer = this.memory.buffer;
    if (policy instanceof Int32Array) new Int32Array(buffer, this.policyAt, this.states).set(policy);
    else new Float64Array(buffer, this.policyAt, this.pairs).set(policy);
    return this.run(policy instanceof Int32Array ? 1 : 2, r);
  }

  /** solve.ts's loop over t = horizon − 1 … 0, a kernel call per stage (see the kernel's `stage`). */
  private run(kind: number, { gamma, horizon, earlyStop }: Recursion): Stages {
    let v = this.vA;
    let vNext = this.vB;
    new Float64Array(this.memory.buffer, vNext, this.states).fill(0); // V_H = 0
    const relative = settledRelative(gamma);
    let iterations = 0;
    for (let t = horizon - 1; t >= 0; t--) {
      const settled = this.x.stage(kind, v, vNext, this.qAt, this.policyAt, gamma, earlyStop && t > 0 ? 1 : 0, relative);
      iterations++;
      if (t === 0 || settled) break;
      [v, vNext] = [vNext, v];
    }
    const values = new Float64Array(this.memory.buffer, v, this.states).slice();
    const before = new Float64Array(this.memory.buffer, vNext, this.states).slice();
    return { v: values, vNext: before, iterations, lastChange: largestChange(values, before) };
  }
}
