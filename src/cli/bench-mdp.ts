/**
 * `npm run bench mdp`: the exact solver (src/engine/mdp/solve.ts) on its WebAssembly kernel against
 * its JavaScript loops, the reference, on a 100k-state MDP (4 actions, 4 next states per pair, γ 1):
 * value iteration (`aisle solve`, a run's optimum), and evaluation of a deterministic policy (a run's
 * greedy report) and of the uniform random one. The two sides take turns in one process and are
 * timed in CPU time; the ratio is JavaScript's time over WebAssembly's, the median over rounds.
 */
import { parseMdp, type MdpTransition } from '../engine/mdp/format';
import { evaluatePolicy, uniformRandomPolicy, valueIteration, type HorizonOptions } from '../engine/mdp/solve';
import { Rng } from '../engine/rng';
import { median } from '../engine/stats/quantile';
import { mdpSolver } from '../engine/wasm/mdp';

export interface BenchMdpContext {
  readonly quick: boolean;
  readonly emit: (line: Record<string, unknown>) => void;
}

const ACTIONS = 4;
const NEXT_STATES = 4;

/** `states` states, each pair leading to 4 distinct random states with equal probability and a reward in [0, 1). */
function randomMdp(states: number) {
  const rng = new Rng(1);
  const transitions: MdpTransition[] = [];
  for (let s = 0; s < states; s++) {
    for (let a = 0; a < ACTIONS; a++) {
      const next = new Set<number>();
      while (next.size < NEXT_STATES) next.add(rng.int(states));
      for (const ns of next) transitions.push([s, a, 1 / NEXT_STATES, ns, rng.next()]);
    }
  }
  return parseMdp({ format: 'aisle.mdp/v1', states, actions: ACTIONS, start: { '0': 1 }, transitions });
}

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export function benchMdp({ quick, emit }: BenchMdpContext): void {
  const states = quick ? 20_000 : 100_000;
  const rounds = quick ? 3 : 9;
  const mdp = randomMdp(states);
  // All stages run: a random MDP at γ 1 does not settle, and the stage count stays fixed.
  const opts: HorizonOptions = { gamma: 1, horizon: quick ? 10 : 50, earlyStop: false };
  const greedy = Int32Array.from({ length: states }, (_, s) => s % ACTIONS);
  const random = uniformRandomPolicy(mdp);
  const work = {
    valueIteration: (webAssembly: boolean) => valueIteration(mdp, { ...opts, webAssembly }),
    deterministic: (webAssembly: boolean) => evaluatePolicy(mdp, greedy, { ...opts, webAssembly }),
    stochastic: (webAssembly: boolean) => evaluatePolicy(mdp, random, { ...opts, webAssembly }),
  };
  const ratios: Record<string, number[]> = { valueIteration: [], deterministic: [], stochastic: [] };
  const wasmMs: number[] = [];
  const jsMs: number[] = [];
  for (const [name, fn] of Object.entries(work)) {
    fn(true); // warm-up: the kernel's copy of the MDP, V8's tiers on both sides
    fn(false);
    for (let round = 0; round < rounds; round++) {
      // The order alternates, so that neither side always runs on the other's caches.
      const first = round % 2 === 0;
      const a = cpuMs(() => fn(first));
      const b = cpuMs(() => fn(!first));
      const [wasm, js] = first ? [a, b] : [b, a];
      ratios[name]!.push(js / wasm);
      if (name === 'valueIteration') {
        wasmMs.push(wasm);
        jsMs.push(js);
      }
    }
  }
  const round2 = (x: number) => Number(x.toFixed(2));
  const ratio = median(ratios.valueIteration!);
  const transitions = mdp.next.length;
  emit({
    bench: 'mdp-solve',
    unit: `ns per transition per stage, value iteration (${states} states × ${ACTIONS} actions × ${NEXT_STATES} next states, γ 1, ${opts.horizon} stages); ratio = JavaScript / WebAssembly, CPU time`,
    aisle: round2((median(wasmMs) * 1e6) / (transitions * opts.horizon)),
    backend: mdpSolver(mdp) ? 'wasm' : 'js (the kernel is not built)',
    reference: round2((median(jsMs) * 1e6) / (transitions * opts.horizon)),
    referenceName: 'the same recursion on the JavaScript loops (webAssembly: false), rounds alternating in one process',
    ratio: round2(ratio),
    ratioRange: [round2(Math.min(...ratios.valueIteration!)), round2(Math.max(...ratios.valueIteration!))],
    deterministicPolicyRatio: round2(median(ratios.deterministic!)),
    stochasticPolicyRatio: round2(median(ratios.stochastic!)),
    rounds,
    goal: '>= 2x',
    met: ratio >= 2,
  });
}
