// Whole updates of the deep agents against references written apart from them, in float64, from the
// equations of stable-baselines3 / cleanrl and torch.optim.Adam: gradients by central finite
// differences (not by backprop), GAE with stable-baselines3's truncation rule (the reward takes
// γ·V(terminal observation), then the episode is cut), a Fisher–Yates shuffle drawn from a copy of
// the agent's generator. The unit tests (nn-grad, nn-adam, dqn, ppo, gae) hold each piece; these
// hold their composition: a DQN training phase (2 gradient steps on minibatches of 8, Double DQN
// where the online and target argmaxes differ, clipping active, then a soft target update) and a
// PPO update (4 epochs × 2 minibatches, ratios clipped, value clipping, advantages normalised per
// minibatch with the unbiased std, one global-norm clip over actor and critic, Adam ε = 1e-5).
// Also Adam itself against torch's update over 5 steps where ε matters (gradients of the order of ε).
import { describe, expect, it } from 'vitest';
import { dqn, dqnParams, type DqnAgent } from '../../src/engine/agents/dqn';
import { ppo, type PpoAgent } from '../../src/engine/agents/ppo';
import { Adam, jsKernels, simdKernels, type Kernels, type Mlp } from '../../src/engine/nn';
import { parseOrThrow } from '../../src/engine/params';
import { Rng, Stream } from '../../src/engine/rng';
import { box, discrete } from '../../src/engine/spaces';

type Vec = Float64Array;
type Act = (z: number) => number;

/** Float64 forward of an MLP in Aisle's flat layout (W[out][in] then b, layer after layer). */
function forward64(theta: ArrayLike<number>, sizes: readonly number[], hidden: Act, x: ArrayLike<number>, rows: number): Vec {
  let a = Float64Array.from({ length: rows * sizes[0]! }, (_, i) => x[i]!);
  let off = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l]!, nOut = sizes[l + 1]!;
    const bias = off + nIn * nOut;
    const z = new Float64Array(rows * nOut);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < nOut; o++) {
        let s = theta[bias + o]!;
        for (let i = 0; i < nIn; i++) s += a[r * nIn + i]! * theta[off + o * nIn + i]!;
        z[r * nOut + o] = l + 2 < sizes.length ? hidden(s) : s;
      }
    }
    a = z;
    off = bias + nOut;
  }
  return a;
}

/**
 * Central differences of f in every coordinate (h = 1e-6: the float64 truth to ~1e-10). Below
 * `zeroBelow` an entry is taken as 0: where the true gradient is exactly 0 (a ReLU unit dead on
 * the whole minibatch) the differences leave ~1e-11 of rounding, which Adam's first step, moving
 * by lr·g/(|g| + ε), would turn into a step of 1e-3·lr.
 */
function numericGrad(f: (theta: Vec) => number, theta0: ArrayLike<number>, zeroBelow = 0): Vec {
  const theta = Float64Array.from(theta0);
  return Float64Array.from(theta, (_, j) => {
    const v = theta[j]!;
    theta[j] = v + 1e-6;
    const up = f(theta);
    theta[j] = v - 1e-6;
    const down = f(theta);
    theta[j] = v;
    const g = (up - down) / 2e-6;
    return Math.abs(g) < zeroBelow ? 0 : g;
  });
}

/** torch.optim.Adam's update (no weight decay): θ −= lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε). */
class Adam64 {
  private readonly m: Vec;
  private readonly v: Vec;
  private t = 0;
  constructor(n: number, private readonly lr: number, private readonly eps: number) {
    this.m = new Float64Array(n);
    this.v = new Float64Array(n);
  }
  step(theta: Vec, g: Vec): void {
    this.t++;
    const [b1, b2] = [0.9, 0.999];
    for (let i = 0; i < theta.length; i++) {
      this.m[i] = b1 * this.m[i]! + (1 - b1) * g[i]!;
      this.v[i] = b2 * this.v[i]! + (1 - b2) * g[i]! * g[i]!;
      theta[i] = theta[i]! - ((this.lr / (1 - b1 ** this.t)) * this.m[i]!) / (Math.sqrt(this.v[i]!) / Math.sqrt(1 - b2 ** this.t) + this.eps);
    }
  }
}

/** torch.nn.utils.clip_grad_norm_ over the given gradients together; returns the norm before. */
function clipTogether(maxNorm: number, ...grads: Vec[]): number {
  const norm = Math.sqrt(grads.reduce((s, g) => s + g.reduce((t, x) => t + x * x, 0), 0));
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i]! * coef;
  return norm;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

const TOL = 1e-6; // float32 rounding of the agents' arithmetic is ~1e-7 here; a wrong rule moves weights by ≥ 1e-4

describe('Adam against torch.optim.Adam', () => {
  // torch 2.x _single_tensor_adam emulated op by op in float32 with numpy (exp_avg.lerp_,
  // exp_avg_sq.mul_().addcmul_(), denom = (exp_avg_sq.sqrt() / √bc2).add_(eps), param.addcdiv_):
  // the parameters after each of 5 steps from p0. The last coordinate has gradients far above ε;
  // the others of the order of ε, where ε's place (added to √v̂, after the bias correction) shows.
  const p0 = [0.5, -0.25, 1.0, 0.0];
  const grads = [[2e-5, -1e-5, 3e-6, 0.4], [-1e-5, -2e-5, 0, 0.1], [3e-5, 1e-6, -5e-6, -0.2], [0, -4e-6, 2e-5, 0.3], [1e-5, 1e-5, 1e-5, 0]];
  const cases = [
    {
      eps: 1e-5, lr: 3e-4, scale: 1,
      torch: [
        [0.4997999966144562, -0.24985000491142273, 0.9999307990074158, -0.00029999250546097755],
        [0.4997510612010956, -0.24967262148857117, 0.9998956322669983, -0.0005491632036864758],
        [0.4996207654476166, -0.24955140054225922, 0.9999169111251831, -0.000638725352473557],
        [0.499519020318985, -0.24944283068180084, 0.9998413920402527, -0.000795653962995857],
        [0.499411404132843, -0.2493944764137268, 0.9997480511665344, -0.0009282938553951681],
      ],
    },
    {
      eps: 1e-8, lr: 1e-3, scale: 1e-3,
      torch: [
        [0.49933332204818726, -0.24950000643730164, 0.9997692108154297, -0.0009999749017879367],
        [0.499170184135437, -0.24890872836112976, 0.9996519684791565, -0.0018305438570678234],
        [0.49873587489128113, -0.2485046535730362, 0.9997228980064392, -0.0021290841978043318],
        [0.49839675426483154, -0.2481427639722824, 0.9994710683822632, -0.0026521794497966766],
        [0.49803799390792847, -0.24798157811164856, 0.9991599321365356, -0.0030943122692406178],
      ],
    },
  ];
  // The SIMD set where this runtime has it (nn-simd.test.ts reports why not otherwise).
  const sets: Kernels[] = simdKernels ? [jsKernels, simdKernels] : [jsKernels];
  for (const k of sets) {
    for (const { eps, lr, scale, torch } of cases) {
      it(`${k.name} kernels, ε ${eps}: the parameters of each step to float32 rounding`, () => {
        const arena = k.createArena(64);
        const net = { params: arena.alloc(4), grads: arena.alloc(4), kernels: k };
        net.params.set(p0);
        const adam = new Adam(net, { lr, eps });
        for (let t = 0; t < grads.length; t++) {
          net.grads.set(grads[t]!.map((g) => Math.fround(Math.fround(g) * Math.fround(scale))));
          adam.step();
          for (let i = 0; i < 4; i++) {
            // One or two float32 ulps of the parameter, against steps of 1e-4 to 1e-3.
            expect(Math.abs(net.params[i]! - torch[t]![i]!), `step ${t + 1}, coordinate ${i}`).toBeLessThan(2e-7 * Math.max(1, Math.abs(torch[t]![i]!)) + 1e-10);
          }
        }
      });
    }
  }
});

describe('a DQN training phase against a float64 reference', () => {
  const sizes = [5, 7, 6, 3];
  const relu: Act = (z) => {
    if (Math.abs(z) < 1e-4) throw new Error('a ReLU input sits on its kink: the finite differences would straddle it');
    return Math.max(z, 0);
  };

  for (const doubleDqn of [true, false]) {
    for (const loss of ['huber', 'mse'] as const) {
      it(`${doubleDqn ? 'Double DQN' : 'DQN'}, ${loss}: 2 gradient steps on minibatches of 8, clipped, then τ = 0.3 towards θ`, () => {
        const p = dqnParams.parse({
          hidden: [7, 6], bufferSize: 20, batchSize: 8, learningStarts: 20, trainFrequency: 1, gradientSteps: 2, targetUpdate: 20,
          tau: 0.3, doubleDqn, loss, maxGradNorm: 0.5, learningRate: 0.01, epsilon: 0.5, gamma: 0.9,
        });
        const agent = dqn.create(p, { observationSpace: box(5, -1, 1), actionSpace: discrete(3), rng: new Rng(3, Stream.agent), episodes: 10 }) as DqnAgent;
        const r = new Rng(99);
        // Online and target apart, and far enough from their initial draw that their argmaxes differ.
        for (const net of [agent.target, agent.online]) for (let i = 0; i < net.params.length; i++) net.params[i] = net.params[i]! + 1.5 * (r.next() - 0.5);
        const obs = () => Float32Array.from({ length: 5 }, () => 2 * r.next() - 1);
        const drawn: Int32Array[] = [];
        const sample = agent.buffer.sample.bind(agent.buffer);
        agent.buffer.sample = (out, rng) => {
          sample(out, rng);
          drawn.push(Int32Array.from(out.indices));
        };
        // 20 steps, episodes of 5: ends at steps 5 and 15 truncated, 10 and 20 terminal. The 20th
        // stores its transition, then trains twice and moves the target.
        let online = new Float64Array(0), target = new Float64Array(0);
        agent.start(obs());
        for (let step = 1; step <= 20; step++) {
          const reward = 3 * r.next() - 1;
          if (step === 20) [online, target] = [Float64Array.from(agent.online.params), Float64Array.from(agent.target.params)];
          if (step % 5 !== 0) agent.step(reward, obs());
          else {
            agent.end(reward, obs(), step % 10 === 0);
            if (step < 20) agent.start(obs());
          }
        }
        expect(drawn.length).toBe(2);

        const b = agent.buffer;
        const adam = new Adam64(online.length, 0.01, 1e-8);
        let argmaxesDiffer = 0, terminalRows = 0, clipped = 0;
        for (const idx of drawn) {
          const B = idx.length;
          const rows = (src: Float32Array) => Float64Array.from({ length: B * 5 }, (_, k) => src[idx[Math.floor(k / 5)]! * 5 + (k % 5)]!);
          const s = rows(b.observations), s2 = rows(b.nextObservations);
          const qNextTarget = forward64(target, sizes, relu, s2, B);
          const qNextOnline = forward64(online, sizes, relu, s2, B);
          const argmax = (q: Vec, i: number) => [0, 1, 2].reduce((best, a) => (q[i * 3 + a]! > q[i * 3 + best]! ? a : best), 0);
          const y = Float64Array.from(idx, (slot, i) => {
            const next = doubleDqn ? qNextTarget[i * 3 + argmax(qNextOnline, i)]! : Math.max(...qNextTarget.subarray(i * 3, i * 3 + 3));
            if (argmax(qNextOnline, i) !== argmax(qNextTarget, i)) argmaxesDiffer++;
            terminalRows += b.terminated[slot]!;
            return b.rewards[slot]! + 0.9 * (1 - b.terminated[slot]!) * next;
          });
          const lossOf = (theta: Vec) => {
            const q = forward64(theta, sizes, relu, s, B);
            let total = 0;
            for (let i = 0; i < B; i++) {
              const d = q[i * 3 + b.actions[idx[i]!]!]! - y[i]!;
              if (loss === 'huber' && Math.abs(Math.abs(d) - 1) < 1e-4) throw new Error('a TD error sits on the Huber kink');
              total += loss === 'huber' ? (Math.abs(d) <= 1 ? 0.5 * d * d : Math.abs(d) - 0.5) : d * d;
            }
            return total / B;
          };
          const g = numericGrad(lossOf, online, 1e-9);
          if (clipTogether(0.5, g) > 0.5) clipped++;
          adam.step(online, g);
        }
        // The case exercises what it claims to.
        if (doubleDqn) expect(argmaxesDiffer).toBeGreaterThan(0);
        expect(terminalRows).toBeGreaterThan(0);
        expect(clipped).toBe(2);
        expect(maxAbsDiff(agent.online.params, online)).toBeLessThan(TOL);
        const soft = target.map((t, i) => 0.3 * online[i]! + 0.7 * t);
        expect(maxAbsDiff(agent.target.params, soft)).toBeLessThan(TOL);
      });
    }
  }
});

describe('a PPO update against a float64 reference', () => {
  for (const clipRangeVf of [0, 0.05]) {
    it(`4 epochs × 2 minibatches of 8, clipRange 0.1, clipRangeVf ${clipRangeVf}, a truncation and a termination in the rollout`, () => {
      const [n, nA, T, batch, epochs] = [3, 3, 16, 8, 4];
      const [lr, clip, ent, vf, maxGradNorm, gamma, lam] = [0.05, 0.1, 0.05, 0.7, 0.5, 0.9, 0.8];
      const p = parseOrThrow(ppo.params, {
        nSteps: T, batchSize: batch, nEpochs: epochs, hidden: [5], learningRate: lr, clipRangeVf, entCoef: ent, vfCoef: vf, maxGradNorm,
        clipRange: clip, gamma, gaeLambda: lam,
      });
      const rng = new Rng(4, Stream.agent);
      const agent = ppo.create(p, { observationSpace: box(n, -1, 1), actionSpace: discrete(nA), rng, episodes: 10 }) as PpoAgent;
      const r = new Rng(77);
      for (let i = 0; i < agent.actor.params.length; i++) agent.actor.params[i] = agent.actor.params[i]! + 0.5 * (r.next() - 0.5);
      const obs = () => Float32Array.from({ length: n }, () => 2 * r.next() - 1);

      // 16 steps, episodes of 6: step 6 truncated, step 12 terminal; the 16th fills the rollout,
      // which is then updated with lastValue V(s₁₆).
      agent.start(obs());
      for (let t = 1; t < T; t++) {
        const reward = 2 * r.next() - 0.5;
        if (t % 6 !== 0) agent.step(reward, obs());
        else {
          agent.end(reward, obs(), t === 12);
          agent.start(obs());
        }
      }
      const R = agent.rollout;
      const copy = <A extends Float32Array | Float64Array | Int32Array | Uint8Array>(a: A) => Float64Array.from(a.subarray(0, T));
      const x = Float64Array.from(R.obs.subarray(0, T * n));
      const [actions, oldLogp, values] = [copy(R.actions), copy(R.logProbs), copy(R.values)];
      const [rewards, terminated, truncated, truncValue] = [copy(R.rewards), copy(R.terminated), copy(R.truncated), copy(R.truncationValues)];
      const actor = Float64Array.from(agent.actor.params), critic = Float64Array.from(agent.critic.params);
      const state = new Int32Array(4);
      rng.saveState(state);
      const shadow = new Rng(0);
      shadow.loadState(state);
      const lastReward = 0.25, lastObs = obs();
      rewards[T - 1] = lastReward;
      terminated[T - 1] = truncated[T - 1] = 0;
      expect(Array.from(truncated)).toEqual(Array.from({ length: T }, (_, t) => (t === 5 ? 1 : 0)));
      expect(Array.from(terminated)).toEqual(Array.from({ length: T }, (_, t) => (t === 11 ? 1 : 0)));
      agent.step(lastReward, lastObs); // completes step 16 and updates

      const sa = [n, 5, nA], sc = [n, 5, 1];
      // GAE as stable-baselines3: r += γ·V(terminal obs) at a truncation, then cut the episode.
      const lastValue = forward64(critic, sc, Math.tanh, lastObs, 1)[0]!;
      const adv = new Float64Array(T);
      for (let t = T - 1, last = 0; t >= 0; t--) {
        const done = terminated[t]! || truncated[t]! ? 1 : 0;
        const next = t === T - 1 ? lastValue : values[t + 1]!;
        const delta = rewards[t]! + gamma * truncated[t]! * truncValue[t]! + gamma * next * (1 - done) - values[t]!;
        adv[t] = last = delta + gamma * lam * (1 - done) * last;
      }
      const ret = adv.map((a, t) => a + values[t]!);
      expect(maxAbsDiff(R.advantages.subarray(0, T), adv)).toBeLessThan(TOL);

      const adamA = new Adam64(actor.length, lr, 1e-5), adamC = new Adam64(critic.length, lr, 1e-5);
      let clippedRatios = 0, clippedValues = 0;
      for (let epoch = 0; epoch < epochs; epoch++) {
        const order = Array.from({ length: T }, (_, i) => i);
        for (let i = T - 1; i > 0; i--) {
          const j = shadow.int(i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        for (let start = 0; start < T; start += batch) {
          const idx = order.slice(start, start + batch);
          const xb = Float64Array.from({ length: batch * n }, (_, k) => x[idx[Math.floor(k / n)]! * n + (k % n)]!);
          const a0 = idx.map((t) => adv[t]!);
          const mean = a0.reduce((s, a) => s + a, 0) / batch;
          const std = Math.sqrt(a0.reduce((s, a) => s + (a - mean) ** 2, 0) / (batch - 1));
          const A = a0.map((a) => (a - mean) / (std + 1e-8));
          const ratios = (theta: Vec) => {
            const z = forward64(theta, sa, Math.tanh, xb, batch);
            return idx.map((t, i) => {
              const row = z.subarray(i * nA, i * nA + nA);
              const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
              return { ratio: Math.exp(row[actions[t]!]! - lse - oldLogp[t]!), entropy: -row.reduce((s, v) => s + Math.exp(v - lse) * (v - lse), 0) };
            });
          };
          const policyLoss = (theta: Vec) => {
            let total = 0;
            ratios(theta).forEach(({ ratio, entropy }, i) => {
              total += Math.max(-A[i]! * ratio, -A[i]! * Math.min(Math.max(ratio, 1 - clip), 1 + clip)) - ent * entropy;
            });
            return total / batch;
          };
          const valueLoss = (theta: Vec) => {
            const v = forward64(theta, sc, Math.tanh, xb, batch);
            let total = 0;
            idx.forEach((t, i) => {
              const un = (v[i]! - ret[t]!) ** 2;
              const vClipped = values[t]! + Math.min(Math.max(v[i]! - values[t]!, -clipRangeVf), clipRangeVf);
              total += clipRangeVf > 0 ? Math.max(un, (vClipped - ret[t]!) ** 2) : un;
            });
            return vf * 0.5 * (total / batch);
          };
          clippedRatios += ratios(actor).filter(({ ratio }) => Math.abs(ratio - 1) > clip).length;
          if (clipRangeVf > 0) {
            const v = forward64(critic, sc, Math.tanh, xb, batch);
            clippedValues += idx.filter((t, i) => Math.abs(v[i]! - values[t]!) > clipRangeVf).length;
          }
          const ga = numericGrad(policyLoss, actor), gc = numericGrad(valueLoss, critic);
          clipTogether(maxGradNorm, ga, gc);
          adamA.step(actor, ga);
          adamC.step(critic, gc);
        }
      }
      expect(clippedRatios).toBeGreaterThan(8);
      if (clipRangeVf > 0) expect(clippedValues).toBeGreaterThan(8);
      const check = (net: Mlp, want: Vec) => expect(maxAbsDiff(net.params, want)).toBeLessThan(TOL);
      check(agent.actor, actor);
      check(agent.critic, critic);
    });
  }
});
